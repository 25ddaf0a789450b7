"""Recruitment in a real headless Chromium: an expert registers, fills in the profile in German
and applies to a published vacancy; staff rank, shortlist and send the shortlist; the host
commune chooses in French; the case moves to "candidate selected"."""

import re

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from catalogue.models import Theme
from experts.models import ExpertProfile
from placements.models import Application, Case
from placements.workflow import TRANSITIONS
from tests.conftest import ARTIFACTS, PASSWORD, choose, totp_code
from tests.partnerships.factories import PDF_BYTES
from tests.placements.factories import advance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def log_in(page, base, email, *, code=None):
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    if code:
        page.locator("input[name=code]").fill(code)
        page.locator("input[name=code]").press("Enter")


def test_an_expert_applies_and_the_host_commune_chooses_her(
    live_server, browser, case, sam, pierre, tmp_path, settings
):
    settings.SITE_URL = live_server.url
    base = live_server.url
    case = advance(case, Case.State.PUBLISHED, by=sam)
    vacancy = case.vacancy

    # 1. The expert registers and fills in her profile in German.
    expert_page = browser.new_context(locale="de-DE").new_page()
    expert_page.goto(f"{base}/accounts/signup/")
    expert_page.locator("input[name=full_name]").fill("Eva Schmidt")
    expert_page.locator("input[name=email]").fill("eva@example.de")
    expert_page.locator("input[name=password1]").fill(PASSWORD)
    expert_page.locator("input[name=password2]").fill(PASSWORD)
    expert_page.locator("input[name=password2]").press("Enter")
    verification = next(m for m in mail.outbox if "eva@example.de" in m.to)
    expert_page.goto(re.search(r"https?://\S+", verification.body).group(0))
    expert_page.locator("main form button[type=submit]").click()
    expert_page.goto(f"{base}/experts/profile/")
    expert_page.get_by_role("button", name=in_language("de", "Create my expert profile")).click()
    expert_page.locator("input[name=full_name]").fill("Eva Schmidt")
    choose(expert_page, in_language("de", "Nationalities"), "deut", "Deutschland")
    choose(expert_page, in_language("de", "Country of residence"), "deut", "Deutschland")
    waste = Theme.objects.get(code=Theme.Code.WASTE)
    expert_page.locator(f"input[name=expertise][value='{waste.pk}']").check()
    expert_page.locator("input[name=years_municipal_experience]").fill("12")
    first_row = expert_page.locator("#div_id_languages-0-language")
    choose(expert_page, re.compile("^Sprache"), "franz", "Französisch", within=first_row)
    expert_page.locator("select[name='languages-0-level']").select_option("C1")
    expert_page.locator("input[name=consent_to_be_found]").check()
    expert_page.get_by_role("button", name=in_language("de", "Save my profile")).click()
    expect(expert_page.locator(".alert-success")).to_be_visible()
    cv = tmp_path / "Lebenslauf.pdf"
    cv.write_bytes(PDF_BYTES)
    expert_page.locator("form[action$='/documents/cv/'] input[type=file]").set_input_files(str(cv))
    expert_page.get_by_role("button", name=in_language("de", "Upload CV"), exact=True).click()
    shot(expert_page, "expert-profile-de")
    eva = ExpertProfile.objects.get(full_name="Eva Schmidt")
    assert eva.user.email == "eva@example.de" and eva.documents.count() == 1

    # ... finds the vacancy and applies.
    expert_page.goto(f"{base}/vacancies/")
    expert_page.get_by_role("link", name=vacancy.title).click()
    expert_page.locator("textarea[name=motivation]").fill(
        "Ich arbeite seit zwölf Jahren in der Abfallwirtschaft."
    )
    expert_page.get_by_role("button", name=in_language("de", "Send my application")).click()
    expect(
        expert_page.get_by_role("cell", name=in_language("de", "With the programme team"))
    ).to_be_visible()
    assert Application.objects.get(expert=eva).status == Application.Status.APPLIED

    # 2. Staff rank the candidates, shortlist Eva and send the shortlist.
    staff_page = browser.new_context(locale="en-GB").new_page()
    log_in(staff_page, base, sam.email, code=totp_code())
    staff_page.goto(f"{base}/admin/placements/case/{case.pk}/change/")
    staff_page.get_by_role("button", name=str(TRANSITIONS["start_screening"].label)).click()
    staff_page.get_by_role("link", name="Rank and shortlist candidates").click()
    row = staff_page.locator(f"#expert-{eva.pk}")
    expect(row).to_contain_text("applicant")
    shot(staff_page, "admin-matching-with-applicant")
    staff_page.get_by_role("button", name="Shortlist Eva Schmidt").click()
    staff_page.goto(f"{base}/admin/placements/case/{case.pk}/change/")
    staff_page.get_by_role("button", name=str(TRANSITIONS["send_shortlist"].label)).click()
    expect(staff_page.locator(".messagelist .success")).to_be_visible()

    # 3. The host commune, in French, chooses Eva.
    commune_page = browser.new_context(locale="fr-FR").new_page()
    log_in(commune_page, base, pierre.email)
    commune_page.goto(f"{base}{case.eoi.get_absolute_url()}")
    commune_page.get_by_role("link", name=in_language("fr", "See the candidates")).click()
    expect(commune_page.get_by_role("heading", name="Eva Schmidt")).to_be_visible()
    shot(commune_page, "shortlist-host-commune-fr")
    with translation.override("fr"):
        choose_eva = gettext("Choose %(name)s") % {"name": "Eva Schmidt"}
        yes = gettext("Yes, choose %(name)s") % {"name": "Eva Schmidt"}
    commune_page.get_by_role("link", name=choose_eva).click()
    commune_page.get_by_role("button", name=yes).click()
    expect(commune_page.locator(".alert-success")).to_be_visible()

    case.refresh_from_db()
    assert case.state == Case.State.CANDIDATE_SELECTED
    assert case.selected_expert == eva and case.host_commune_chose_expert
