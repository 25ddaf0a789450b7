"""Irreversible steps ask first, in a real headless Chromium with JavaScript switched off, in
German and in French: the host commune's choice of a candidate opens a page that says what
follows; "Cancel" changes nothing, and only the button on that page chooses."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from placements import services as recruitment
from placements.models import Application, Case
from tests.conftest import ARTIFACTS, PASSWORD

from .factories import ExpertProfileFactory, advance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"


def in_language(language, text, **values):
    with translation.override(language):
        return gettext(text) % values if values else gettext(text)


@pytest.mark.parametrize("language", ["de", "fr"])
def test_the_host_commune_confirms_its_choice_on_a_page_of_its_own_without_javascript(
    live_server, browser, case, sam, pierre, language
):
    pierre.language = language
    pierre.save(update_fields=["language"])
    case = advance(case, Case.State.SCREENING, by=sam)
    eva = ExpertProfileFactory(full_name="Eva Schmidt", nationalities=["DE"])
    recruitment.apply(vacancy=case.vacancy, expert=eva, motivation="Ich kenne die Region.")
    recruitment.shortlist(case=case, expert=eva, by=sam)
    case = advance(case, Case.State.SHORTLIST_SENT, by=sam)
    base = live_server.url
    page = browser.new_context(locale=language, java_script_enabled=False).new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(pierre.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(f"{base}/dashboard/")

    page.goto(f"{base}/cases/{case.pk}/shortlist/")
    choose = in_language(language, "Choose %(name)s", name="Eva Schmidt")
    page.get_by_role("link", name=choose).click()

    # A page of its own: what follows, and that it cannot be undone.
    question = in_language(language, "Choose %(name)s?", name="Eva Schmidt")
    expect(page.get_by_role("heading", name=question)).to_be_visible()
    expect(page.get_by_text(in_language(language, "This cannot be undone."))).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"choose-candidate-{language}.png"), full_page=True)
    page.get_by_role("link", name=in_language(language, "Cancel, go back")).click()
    assert Case.objects.get(pk=case.pk).state == Case.State.SHORTLIST_SENT
    assert Application.objects.get(expert=eva).status == Application.Status.SHORTLISTED

    page.get_by_role("link", name=choose).click()
    yes = in_language(language, "Yes, choose %(name)s", name="Eva Schmidt")
    page.get_by_role("button", name=yes).click()

    expect(page.locator(".alert-success")).to_be_visible()
    case.refresh_from_db()
    assert case.state == Case.State.CANDIDATE_SELECTED
    assert case.selected_expert == eva and case.host_commune_chose_expert
    # Chosen: the page offers no other choice any more.
    expect(page.get_by_role("link", name=choose)).to_have_count(0)
