"""Every role's dashboard in a real headless Chromium, in German and French: it opens with what
needs the person's action, each item with its link; vacancies are never an unexplained empty
list. Screenshots: test-artifacts/screenshots/dashboard-*.png and vacancies-*.png."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from partnerships import services as eoi_services
from partnerships.models import MembershipRequest
from placements.models import Case, Mission, MissionReport
from placements.reporting import plan_reports
from tests.conftest import ARTIFACTS, make_user
from tests.partnerships.factories import EOIFactory

from .factories import (
    CaseFactory,
    ExpertProfileFactory,
    SupportEventFactory,
    advance,
    save_fields,
    step,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def in_language(language, text):
    with translation.override(language):
        return gettext(text)


def open_as(browser, live_server, user, language):
    """A browser page logged in as the user (a session made by Django's test client), reading
    the portal in ``language``."""
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale=language)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context.new_page()


def mission_of(expert, case, *, report_status, due_in_days):
    start = timezone.localdate() - timedelta(days=150)
    mission = Mission.objects.create(
        case=case, expert=expert, start=start, planned_end=start + timedelta(days=730)
    )
    plan_reports(mission, today=start)
    MissionReport.objects.filter(mission=mission, number=1).update(
        status=report_status,
        due_date=timezone.localdate() + timedelta(days=due_in_days),
        submitted_at=timezone.now() if report_status == MissionReport.Status.SUBMITTED else None,
    )
    return mission


@pytest.fixture
def world(case, partnership, alice, pierre, erin, sam, staff):
    """Something for everyone to do."""
    gina = staff["giz"]
    shortlisted = advance(case, Case.State.SHORTLIST_SENT, by=sam)
    save_fields(shortlisted, case_officer=sam)
    draft = EOIFactory(partnership=partnership, created_by=alice, title="Trinkwasser für Kpalimé")
    eoi_services.confirm(eoi=draft, user=alice, commune=partnership.german_commune)
    asked = CaseFactory(partnership=partnership, title="Marché couvert de Kpalimé")
    step(asked, "request_information", by=sam)
    MembershipRequest.objects.create(
        commune=partnership.german_commune,
        user=make_user("neu@example.org", name="Nora Neu"),
        function="Sachbearbeiterin",
    )
    expert = ExpertProfileFactory(user=erin, full_name="Erin Eriksen")
    mission_of(
        expert,
        CaseFactory(partnership=partnership, title="Abfallwirtschaft"),
        report_status=MissionReport.Status.PLANNED,
        due_in_days=5,
    )
    reviewed = CaseFactory(partnership=partnership, title="Stadtplanung")
    save_fields(reviewed, case_officer=sam)
    mission_of(expert, reviewed, report_status=MissionReport.Status.SUBMITTED, due_in_days=-3)
    save_fields(CaseFactory(title="Energieeffizienz"), case_officer=gina)
    CaseFactory(title="Gestion des déchets à Sokodé")
    SupportEventFactory(title="Coaching: Berichte schreiben")
    return {"shortlisted": shortlisted}


def test_every_role_sees_first_what_needs_their_action(
    browser, live_server, world, alice, pierre, erin, sam, staff
):
    people = [
        ("applicant-german-commune-de", alice, "de", "Answer the request"),
        ("applicant-partner-commune-fr", pierre, "fr", "Choose a candidate"),
        ("expert-de", erin, "de", "Write the report"),
        ("expert-fr", erin, "fr", "Write the report"),
        ("skew-de", sam, "de", "Review the report"),
        ("giz-fr", staff["giz"], "fr", "Open the case"),
        ("coordinator-de", staff["coordinator"], "de", None),
        ("finance-fr", staff["finance"], "fr", None),
        ("superuser-de", staff["superuser"], "de", "Take a case on"),
        ("no-role-yet-fr", make_user("nina@example.org", name="Nina"), "fr", None),
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, user, language, action in people:
        page = open_as(browser, live_server, user, language)
        page.goto(f"{live_server.url}/dashboard/")
        todo = page.get_by_role("region", name=in_language(language, "What needs your action"))
        expect(todo).to_be_visible()
        if action:
            expect(
                todo.get_by_role("link", name=in_language(language, action)).first
            ).to_be_visible()
        else:
            expect(todo).to_contain_text(
                in_language(language, "Nothing needs your action right now.")
            )
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}.png"), full_page=True)
        if name == "no-role-yet-fr":
            page.get_by_role("link", name=in_language("fr", "Set up my expert profile")).click()
            expect(page).to_have_url(f"{live_server.url}/experts/profile/")
        if name == "applicant-partner-commune-fr":
            expect(page.get_by_role("main")).to_contain_text(
                in_language("fr", "Waiting for your choice of candidate")
            )
            todo.get_by_role("link", name=in_language("fr", "Choose a candidate")).click()
            expect(page).to_have_url(
                f"{live_server.url}/cases/{world['shortlisted'].pk}/shortlist/"
            )
        page.context.close()


def test_vacancies_tell_visitors_and_people_without_profile_what_to_do(
    browser, live_server, world, bob, sam
):
    advance(CaseFactory(title="Wasserversorgung"), Case.State.PUBLISHED, by=sam)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visitor = browser.new_context(locale="de").new_page()
    visitor.goto(f"{live_server.url}/vacancies/")
    expect(visitor.get_by_role("main")).to_contain_text("Konto")
    visitor.screenshot(path=str(SCREENSHOTS / "vacancies-visitor-de.png"), full_page=True)

    page = open_as(browser, live_server, bob, "fr")
    page.goto(f"{live_server.url}/vacancies/")
    profile_link = page.get_by_role("link", name=in_language("fr", "Create my expert profile"))
    expect(profile_link).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "vacancies-no-profile-fr.png"), full_page=True)
    profile_link.click()
    expect(page).to_have_url(f"{live_server.url}/experts/profile/")
