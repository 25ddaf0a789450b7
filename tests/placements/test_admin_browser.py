"""One case from submission to closed, driven by programme staff through the admin in a real
headless Chromium (two-factor login included)."""

import re

import pytest
from playwright.sync_api import expect

from experts.models import ExpertProfile
from partnerships import services as eoi_services
from partnerships.models import CommuneMembership
from placements.models import Case
from placements.workflow import TRANSITIONS
from portal import roles
from tests.conftest import ARTIFACTS, PASSWORD, make_user, totp_code
from tests.partnerships.factories import CommuneFactory, EOIFactory, PartnershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def press(page, transition_name):
    """Click the button of one transition (ticking "cannot be undone" first where it asks) and
    check that the admin says it was done."""
    if TRANSITIONS[transition_name].irreversible:
        page.locator(f"#t-{transition_name}-confirm").check()
    page.get_by_role("button", name=str(TRANSITIONS[transition_name].label), exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()


def test_staff_take_a_case_from_submission_to_closed_in_the_admin(live_server, browser):
    base = live_server.url
    german = CommuneFactory(name="Leipzig")
    partner = CommuneFactory(name="Kpalimé", abroad=True)
    partnership = PartnershipFactory(german_commune=german, partner=partner)
    anna = make_user("anna@leipzig.example", role=roles.APPLICANT, name="Anna Becker")
    pierre = make_user("pierre@example.tg", role=roles.APPLICANT, name="Pierre Agbeko")
    CommuneMembership.objects.create(user=anna, commune=german)
    CommuneMembership.objects.create(user=pierre, commune=partner)
    eoi = EOIFactory(partnership=partnership, initiating_commune=german)
    eoi_services.confirm(eoi=eoi, user=anna, commune=german)
    eoi_services.confirm(eoi=eoi, user=pierre, commune=partner)
    case = Case.objects.get(eoi=eoi)
    make_user("sam@example.org", role=roles.SKEW, staff=True, mfa=True, name="Sam Sauer")
    eva = ExpertProfile.objects.create(
        full_name="Eva Schmidt", nationalities=["DE"], consent_to_be_found=True
    )

    page = browser.new_context(locale="en-GB").new_page()
    page.goto(f"{base}/admin/")
    page.locator("input[name=login]").fill("sam@example.org")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.locator("input[name=code]").fill(totp_code())
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{base}/admin/placements/case/?mine=")
    page.get_by_role("link", name=eoi.title).first.click()
    shot(page, "admin-case-submitted")
    press(page, "start_eligibility_check")
    press(page, "confirm_eligibility")

    # The profile cannot be agreed before the appraisal and the profile are recorded.
    page.get_by_role("button", name=str(TRANSITIONS["agree_profile"].label), exact=True).click()
    expect(page.locator(".messagelist .error").first).to_contain_text("consultation")
    page.locator("select[name=case_officer]").select_option(label="Sam Sauer")
    page.locator("select[name=appraisal_mode]").select_option("virtual")
    page.locator("input[name=appraisal_date]").fill("2026-11-20")
    page.locator("textarea[name=appraisal_findings]").fill("Both communes back the plan.")
    page.locator("textarea[name=competence_profile]").fill("Environmental engineer.")
    page.locator("textarea[name=tasks]").fill("Plan the collection rounds.")
    page.locator("textarea[name=objectives]").fill("Collection everywhere by 2029.")
    page.locator("select[name=deployment_type]").select_option(label="Technical assistant")
    page.locator("input[name=_continue]").click()
    press(page, "agree_profile")
    press(page, "approve")
    for name in ("draft_vacancy", "publish_vacancy", "start_screening"):
        press(page, name)

    # Staff rank the pool and shortlist Eva, then send the shortlist.
    page.get_by_role("link", name="Rank and shortlist candidates").click()
    expect(page.locator("#expert-" + str(eva.pk))).to_contain_text("Eva Schmidt")
    shot(page, "admin-case-matching")
    page.get_by_role("button", name="Shortlist Eva Schmidt").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    # Shortlisting can be undone (with a reason), and done again.
    page.get_by_label("Why (optional)").fill("Checking her availability first.")
    page.get_by_role("button", name="Take Eva Schmidt off the shortlist").click()
    expect(page.locator(".messagelist .success")).to_contain_text("no longer on the shortlist")
    page.get_by_role("button", name="Shortlist Eva Schmidt").click()
    shot(page, "admin-case-matching-shortlisted")
    page.goto(f"{base}/admin/placements/case/{case.pk}/change/")
    expect(page.locator(".case-timeline")).to_contain_text("Checking her availability first.")
    press(page, "send_shortlist")

    # The host commune has chosen Eva: staff record it and select her.
    page.locator(".field-selected_expert .select2-selection").click()
    page.locator(".select2-search--dropdown .select2-search__field").fill("Eva")
    page.get_by_role("option", name="Eva Schmidt").click()
    page.locator("input[name=host_commune_chose_expert]").check()
    page.locator("select[name=contract_party]").select_option("giz")
    page.locator("input[name=_continue]").click()
    press(page, "select_candidate")
    press(page, "start_contracting")
    press(page, "prepare_departure")
    page.locator("input[name=contract_start]").fill("2027-01-04")
    page.locator("input[name=_continue]").click()
    press(page, "start_mission")
    shot(page, "admin-case-active")
    press(page, "begin_closing")
    press(page, "close")
    shot(page, "admin-case-closed")

    case.refresh_from_db()
    assert case.state == Case.State.CLOSED
    assert case.mission.planned_end.isoformat() == "2029-01-04"
    timeline = page.locator(".case-timeline li")
    expect(timeline).to_have_count(case.events.count())
    expect(timeline.last).to_contain_text("Closed")
