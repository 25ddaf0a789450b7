"""What users meet: the dashboard opens with what needs the person's action now (each app adds
its items), statuses say who acts next, and vacancies are never an unexplained empty list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnerships import services as eoi_services
from partnerships.models import ExpressionOfInterest, MembershipRequest
from partnerships.selectors import forget_eoi_pages
from placements.dashboard import todos
from placements.models import Case, Mission, MissionReport
from placements.policies import has_expert_profile
from placements.reporting import plan_reports
from placements.selectors import forget_mission_pages
from portal.registries import todo_sources
from portal.todo import todos_for
from tests.conftest import make_user
from tests.partnerships.factories import EOIFactory

from .factories import (
    CaseFactory,
    ExpertProfileFactory,
    SupportEventFactory,
    advance,
    save_fields,
    step,
)


def texts(user):
    return [(item.text, item.url, item.action) for item in todos_for(user)]


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


# --- Vacancies ------------------------------------------------------------------------------------


@pytest.fixture
def vacancy(case, sam):
    """A published vacancy, for people with an account only (not public)."""
    return advance(case, Case.State.PUBLISHED, by=sam).vacancy


def test_a_visitor_is_told_that_an_account_shows_more_vacancies(client, vacancy):
    assert not vacancy.public

    page = client.get(reverse("placements:vacancy-list")).content.decode()

    assert vacancy.title not in page
    assert "One more vacancy is shown to people with an account." in page
    assert reverse("account_signup") in page


def test_a_person_without_expert_profile_sees_the_vacancies_and_how_to_apply(client, vacancy, bob):
    client.force_login(bob)

    listing = client.get(reverse("placements:vacancy-list")).content.decode()
    detail = client.get(reverse("placements:vacancy-detail", args=[vacancy.pk])).content.decode()

    assert vacancy.title in listing
    assert "No vacancy matches" not in listing
    assert "To apply for a vacancy you need an expert profile." in listing
    assert "To apply you need an expert profile" in detail
    assert reverse("experts:profile") in listing and reverse("experts:profile") in detail


def test_an_empty_filter_result_says_so_and_offers_all_vacancies(client, vacancy, bob):
    client.force_login(bob)

    page = client.get(reverse("placements:vacancy-list"), {"language": "de"}).content.decode()

    assert "No vacancy matches your filters." in page


def test_an_expert_with_a_profile_is_not_asked_to_create_one(client, vacancy, erin):
    ExpertProfileFactory(user=erin)
    client.force_login(erin)

    page = client.get(reverse("placements:vacancy-list")).content.decode()

    assert vacancy.title in page and "you need an expert profile" not in page


# --- The dashboard's to-do list -------------------------------------------------------------------


def test_placements_contributes_its_items_to_the_dashboard():
    assert todos in todo_sources


def test_a_person_without_a_role_gets_a_link_to_set_up_an_expert_profile(client, db):
    newcomer = make_user("nina@example.org", name="Nina Neu")

    page = dashboard(client, newcomer)

    assert f'href="{reverse("experts:profile")}">Set up my expert profile' in page
    assert "Nothing needs your action right now." in page


def test_a_draft_waits_for_each_commune_that_has_not_confirmed_it(
    client, partnership, alice, pierre
):
    pierre.language = "en"
    pierre.save(update_fields=["language"])
    eoi = EOIFactory(partnership=partnership, created_by=alice, title="Clean water for Kpalimé")
    review = reverse("partnerships:eoi-review", args=[eoi.pk])

    assert texts(alice) == [
        (
            "“Clean water for Kpalimé” is waiting for the confirmation of Leipzig.",
            review,
            "Review and confirm",
        )
    ]
    eoi_services.confirm(eoi=eoi, user=alice, commune=partnership.german_commune)

    assert texts(alice) == []
    assert (
        texts(pierre)[0][0]
        == "“Clean water for Kpalimé” is waiting for the confirmation of Kpalimé."
    )
    page = dashboard(client, alice)
    assert "Waiting for the confirmation of Kpalimé" in page
    assert "Draft" not in page
    assert "Waiting for your confirmation" in dashboard(client, pierre)


def test_the_dashboard_lists_the_five_latest_requests_and_every_draft_to_confirm(
    client, partnership, alice
):
    eois = [
        EOIFactory(partnership=partnership, created_by=alice, title=f"Request {n}")
        for n in range(7)
    ]
    # Changed in their order: the latest five are requests 2 to 6.
    now = timezone.now()
    for n, eoi in enumerate(eois):
        ExpressionOfInterest.objects.filter(pk=eoi.pk).update(
            updated_at=now - timedelta(days=9 - n)
        )

    page = dashboard(client, alice)

    panel = page[page.index('id="applicant-title"') :]
    assert [f"Request {n}" in panel for n in range(7)] == [False, False] + [True] * 5
    # The to-do list has every draft waiting for Leipzig, the one waiting longest first.
    assert [text for text, _url, _action in texts(alice)] == [
        f"“Request {n}” is waiting for the confirmation of Leipzig." for n in range(7)
    ]


def test_a_request_for_more_information_asks_the_communes_to_answer(
    client, case, alice, pierre, sam
):
    step(case, "request_information", by=sam)

    for person in (alice, pierre):
        [(text, url, action)] = texts(person)
        assert text == f"The programme team needs more information on “{case.eoi}”."
        assert (url, action) == (case.eoi.get_absolute_url(), "Answer the request")
    assert "Waiting for your answer to the programme team" in dashboard(client, alice)


def test_requests_to_join_a_commune_wait_for_its_members(alice, german, db):
    for n in range(2):
        MembershipRequest.objects.create(
            commune=german, user=make_user(f"new{n}@example.org"), function="Clerk"
        )

    assert texts(alice) == [
        (
            "2 people ask to join Leipzig.",
            reverse("partnerships:commune-detail", args=[german.pk]),
            "Confirm or refuse",
        )
    ]


def test_the_host_commune_is_asked_to_choose_among_the_shortlisted_candidates(
    client, case, alice, pierre, sam
):
    case = advance(case, Case.State.SHORTLIST_SENT, by=sam)
    pierre.language = "en"
    pierre.save(update_fields=["language"])

    assert texts(pierre) == [
        (
            f"The programme team has sent you candidates for “{case.eoi}”.",
            reverse("placements:shortlist", args=[case.pk]),
            "Choose a candidate",
        )
    ]
    assert texts(alice) == []
    assert "Waiting for your choice of candidate" in dashboard(client, pierre)
    assert "Waiting for the host commune to choose a candidate" in dashboard(client, alice)


@pytest.fixture
def report(case, erin, sam):
    """Erin's first report, due in five days."""
    save_fields(case, case_officer=sam)
    expert = ExpertProfileFactory(user=erin, full_name="Erin Eriksen")
    start = timezone.localdate() - timedelta(days=150)
    mission = Mission.objects.create(
        case=case, expert=expert, start=start, planned_end=start + timedelta(days=730)
    )
    plan_reports(mission, today=start)
    report = mission.reports.get(number=1)
    MissionReport.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() + timedelta(days=5)
    )
    report.refresh_from_db()
    return report


def test_the_expert_is_asked_for_the_report_the_reminders_are_about(client, report, erin):
    [item] = todos_for(erin)

    assert item.url == reverse("placements:report-edit", args=[report.pk])
    assert (item.action, item.due) == ("Write the report", report.due_date)
    assert list(MissionReport.objects.due_soon(timezone.localdate())) == [report]
    MissionReport.objects.filter(pk=report.pk).update(
        due_date=timezone.localdate() + timedelta(days=40)
    )
    assert todos_for(erin) == []


def test_the_case_officer_reviews_submitted_reports_and_sees_cases_waiting_on_them(
    report, sam, sven, gina
):
    MissionReport.objects.filter(pk=report.pk).update(
        status=MissionReport.Status.SUBMITTED, submitted_at=timezone.now()
    )
    Case.objects.filter(pk=report.mission.case_id).update(state=Case.State.EXTENSION_REQUESTED)
    CaseFactory(title="Nobody's case yet")

    mine = texts(sam)
    assert [action for _text, _url, action in mine] == [
        "Open the case",
        "Take a case on",
        "Review the report",
    ]
    assert mine[0][0] == f"“{report.mission.case.eoi}” is waiting for you: Extension requested."
    assert mine[1][0] == "1 case waiting for the programme team has no case officer yet."
    assert mine[2][1] == report.get_absolute_url()
    # Another officer sees the unassigned case only; read-only roles nothing.
    assert [action for _t, _u, action in texts(sven)] == ["Take a case on"]


def test_read_only_staff_have_nothing_to_do(cora, fiona, case):
    assert texts(cora) == [] and texts(fiona) == []


def test_people_who_may_register_for_an_upcoming_event_are_invited_to(erin, alice, german, sam):
    event = SupportEventFactory(title="Coaching day")
    ExpertProfileFactory(user=erin)

    assert [(t[1], t[2]) for t in texts(erin)] == [(event.get_absolute_url(), "Register")]
    assert [(t[1], t[2]) for t in texts(alice)] == [(event.get_absolute_url(), "Register")]
    assert texts(sam) == []


def test_the_dashboard_opens_with_the_to_do_list(client, case, pierre, sam):
    advance(case, Case.State.SHORTLIST_SENT, by=sam)

    page = dashboard(client, pierre)

    # Pierre reads French: find the sections by their ids.
    assert page.index('id="todo-title"') < page.index('id="applicant-title"')
    assert page.index(reverse("placements:shortlist", args=[case.pk])) < page.index(
        'id="applicant-title"'
    )


# --- Status words for experts ---------------------------------------------------------------------


def test_the_expert_reads_who_acts_next_on_their_applications(client, case, erin, sam):
    expert = ExpertProfileFactory(user=erin)
    case = advance(case, Case.State.SHORTLIST_SENT, by=sam)
    application = case.vacancy.applications.first()
    application.expert = expert
    application.save()
    client.force_login(erin)

    page = client.get(reverse("placements:my-applications")).content.decode()

    assert "On the shortlist: waiting for the host commune&#x27;s choice" in page


# --- Query counts ---------------------------------------------------------------------------------


def _more_of_everything(partnership, sam, erin_profile, n):
    """n more items on each person's list."""
    for i in range(n):
        EOIFactory(partnership=partnership, created_by=sam, title=f"Draft {i}")
        case = CaseFactory(partnership=partnership)
        advance(case, Case.State.SHORTLIST_SENT, by=sam)
        save_fields(case, case_officer=sam)
        SupportEventFactory()
        mission = Mission.objects.create(
            case=CaseFactory(partnership=partnership),
            expert=erin_profile,
            start=timezone.localdate(),
            planned_end=timezone.localdate() + timedelta(days=730),
        )
        plan_reports(mission, today=timezone.localdate())
        MissionReport.objects.filter(mission=mission, number=1).update(
            due_date=timezone.localdate(), status=MissionReport.Status.SUBMITTED
        )
        MissionReport.objects.filter(mission=mission, number=2).update(
            due_date=timezone.localdate()
        )
        CaseFactory()


@pytest.mark.parametrize("person", ["alice", "pierre", "erin", "sam"])
def test_the_dashboard_asks_as_many_queries_for_many_items_as_for_one(
    client, request, person, partnership, sam, erin, django_assert_max_num_queries
):
    profile = ExpertProfileFactory(user=erin)
    _more_of_everything(partnership, sam, profile, 1)
    user = request.getfixturevalue(person)
    client.force_login(user)
    client.get(reverse("dashboard"))
    few_items = len(todos_for(user))
    # When the commune members' part and placements' rows are read, and when they are shown from
    # the cache (partnerships.selectors, "What the EOI pages keep in the cache"; placements'
    # rows under the mission pages' version, dashboard.py).
    forget_eoi_pages()
    forget_mission_pages()
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dashboard"))
    with CaptureQueriesContext(connection) as few_kept:
        client.get(reverse("dashboard"))

    _more_of_everything(partnership, sam, profile, 3)

    assert len(todos_for(user)) > few_items
    forget_eoi_pages()
    forget_mission_pages()
    with django_assert_max_num_queries(len(few)):
        assert client.get(reverse("dashboard")).status_code == 200
    with django_assert_max_num_queries(len(few_kept)):
        assert client.get(reverse("dashboard")).status_code == 200


def test_has_expert_profile_reads_as_the_users_expert_profile_does(erin, sam):
    """Its SQL is compiled once (portal.sqlcache), but it answers and keeps what
    ``user.expert_profile`` would: the profile, or that there is none, asked once per user."""
    erin = type(erin).objects.get(pk=erin.pk)
    with CaptureQueriesContext(connection) as asked:
        assert not has_expert_profile(erin)
        assert not has_expert_profile(erin)
        assert not hasattr(erin, "expert_profile")
    assert len(asked) == 1

    profile = ExpertProfileFactory(user=sam)
    sam = type(sam).objects.get(pk=sam.pk)
    with CaptureQueriesContext(connection) as asked:
        assert has_expert_profile(sam)
        assert sam.expert_profile == profile
        assert sam.expert_profile.user is sam
    assert len(asked) == 1
    # A new profile is seen by a user read afresh (the next request).
    ExpertProfileFactory(user=erin)
    assert has_expert_profile(type(erin).objects.get(pk=erin.pk))
