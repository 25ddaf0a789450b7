"""One candidate, read in three languages in a real headless Chromium: Kofi applied from a Spanish
page; the host commune's members log in from browsers that ask for English and read the welcome
and the shortlist in their own languages, French and German; Hans chooses Kofi in German; staff
read the timeline, its dates and the ranking in English."""

import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from playwright.sync_api import expect

from catalogue.models import DeploymentType, Theme
from experts.models import ExpertLanguage
from partnerships.models import RequiredLanguage
from placements import services as recruitment
from placements.models import Case, CaseEvent
from tests.conftest import ARTIFACTS, PASSWORD, make_user, totp_code
from tests.partnerships.factories import MembershipFactory
from tests.placements.factories import ExpertProfileFactory, advance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"
NATIONAL = DeploymentType.Code.NATIONAL


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def in_language(language, text, **values):
    with translation.override(language):
        return gettext(text) % values if values else gettext(text)


def log_in(browser, base, user, *, code=None):
    """A browser that asks for English; the user logs in."""
    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    if code:
        page.locator("input[name=code]").fill(code)
        page.locator("input[name=code]").press("Enter")
    return page


@pytest.fixture
def shortlist_sent(case, sam, partner):
    """Kofi, a Togolese engineer who speaks French and Ewe, applied from a Spanish page and is
    on the shortlist sent to Kpalimé, which needs Ewe."""
    RequiredLanguage.objects.create(eoi=case.eoi, language="ee", level="B1")
    case = advance(case, Case.State.PUBLISHED, by=sam, model=NATIONAL)
    kofi = ExpertProfileFactory(
        full_name="Kofi Mensah", nationalities=["TG"], country_of_residence="TG"
    )
    kofi.expertise.set(Theme.objects.filter(code__in=[Theme.Code.WASTE, Theme.Code.WATER]))
    ExpertLanguage.objects.create(expert=kofi, language="fr", level="C1")
    ExpertLanguage.objects.create(expert=kofi, language="ee", level="C2")
    with translation.override("es"):
        recruitment.apply(vacancy=case.vacancy, expert=kofi, motivation="Trabajo en Lomé.")
    case.vacancy.shared_fields = ["nationalities", "languages", "expertise", "motivation"]
    case.vacancy.save(update_fields=["shared_fields"])
    case = advance(case, Case.State.SCREENING, by=sam, model=NATIONAL)
    recruitment.shortlist(case=case, expert=kofi, by=sam)
    return advance(case, Case.State.SHORTLIST_SENT, by=sam, model=NATIONAL)


def test_the_shortlist_and_the_timeline_speak_their_readers_language(
    live_server, browser, shortlist_sent, pierre, partner, sam
):
    base = live_server.url
    case = shortlist_sent
    hans = make_user("hans@example.org", name="Hans Huber", language="de")
    MembershipFactory(commune=partner, user=hans)
    shortlist_url = f"{base}/cases/{case.pk}/shortlist/"

    # Pierre reads French, though his browser asks for English.
    page = log_in(browser, base, pierre)
    expect(page.locator(".alert-success")).to_have_text(
        in_language("fr", "Successfully signed in as %(name)s.", name="Pierre Agbeko")
    )
    expect(page.locator(".alert-success")).to_contain_text("Connexion avec Pierre Agbeko")
    page.goto(shortlist_url)
    card = page.get_by_role("article", name="Kofi Mensah")
    expect(card).to_contain_text("Éwé C2, Français C1")
    expect(card).to_contain_text("Eau, Gestion des déchets et économie circulaire")
    expect(card).to_contain_text("Togo")
    expect(card).not_to_contain_text("Francés")
    shot(page, "languages-shortlist-fr")

    # Hans reads German, and chooses Kofi.
    page = log_in(browser, base, hans)
    expect(page.locator(".alert-success")).to_have_text("Erfolgreich als Hans Huber angemeldet.")
    page.goto(shortlist_url)
    card = page.get_by_role("article", name="Kofi Mensah")
    expect(card).to_contain_text("Ewe C2, Französisch C1")
    expect(card).to_contain_text("Abfall- und Kreislaufwirtschaft, Wasser")
    shot(page, "languages-shortlist-de")
    card.get_by_role("link", name=in_language("de", "Choose %(name)s", name="Kofi Mensah")).click()
    page.get_by_role(
        "button", name=in_language("de", "Yes, choose %(name)s", name="Kofi Mensah")
    ).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Case.objects.get(pk=case.pk).state == Case.State.CANDIDATE_SELECTED

    # Staff read the timeline and the ranking in English, with British dates.
    page = log_in(browser, base, sam, code=totp_code())
    page.goto(f"{base}/admin/placements/case/{case.pk}/change/")
    timeline = page.locator(".case-timeline")
    expect(timeline).to_contain_text("Chosen by the host commune.")
    expect(timeline).not_to_contain_text("Kommune")
    chosen = CaseEvent.objects.get(case=case, transition="select_candidate").created_at
    with translation.override("en"), timezone.override(sam.time_zone):
        written = date_format(timezone.localtime(chosen), "SHORT_DATETIME_FORMAT")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", written)
    expect(timeline).to_contain_text(written)
    shot(page, "languages-admin-timeline-en")
    page.get_by_role("link", name="Rank and shortlist candidates").click()
    expect(page.get_by_text("Languages: Ewe B1")).to_be_visible()
    row = page.locator("tr", has=page.get_by_role("link", name="Kofi Mensah"))
    expect(row).to_contain_text("Ewe at B1 or better")
    expect(row).to_contain_text("Togo")
    shot(page, "languages-admin-ranking-en")
