"""The table of the case workflow (placements.workflow.TRANSITIONS): every transition moves the
case and writes one event with who, when and why; only the roles the table names may trigger it;
none starts from a state it does not start from or from a final state; and those that need a
reason refuse an empty one."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from placements import workflow
from placements.models import Case
from tests.conftest import make_user
from tests.partnerships.factories import CommuneFactory, MembershipFactory

from .factories import advance, applicant_for
from .helpers import (
    ALL,
    ALLOWED,
    ALSO_BY_COMMUNES,
    BY_APPLICANTS,
    BY_STAFF,
    GIZ_TOO,
    SKEW_ONLY,
    WITH_REASON,
    EOIStatus,
    S,
    attempt,
    reach,
    refused,
)


@pytest.fixture
def bob_commune(bob):
    """Bob is an applicant too, but of a commune that has nothing to do with the case."""
    return MembershipFactory(commune=CommuneFactory(name="Bonn"), user=bob).commune


@pytest.fixture
def root(db):
    """The superuser as these tests have always had it, without the second factor of the root of
    conftest.py (the workflow itself does not ask for one)."""
    return make_user("root@example.org", staff=True, superuser=True, name="Root Admin")


# The table


def test_the_table_of_these_tests_covers_every_transition_of_the_workflow():
    assert set(ALLOWED) == set(workflow.TRANSITIONS)
    for name, (path, target, stage) in ALLOWED.items():
        t = workflow.TRANSITIONS[name]
        assert path[-1] in t.sources
        assert t.target in (target, None)
        assert Case.STAGE_OF[target] == stage


def test_a_submitted_expression_of_interest_opens_one_case_in_the_request_stage(
    case, alice, pierre
):
    assert case.state == S.SUBMITTED
    assert case.stage == Case.Stage.REQUEST
    assert case.eoi.status == EOIStatus.SUBMITTED
    assert list(case.host_communes.all()) == list(case.eoi.host_communes.all())
    assert (case.planned_start, case.duration_months) == (date(2027, 9, 1), 24)
    event = case.events.get()
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "submit",
        "",
        S.SUBMITTED,
        pierre,
    )


# Every transition: the allowed move, the roles that may not, the states it does not start from


@pytest.mark.parametrize("name", ALL)
def test_each_transition_moves_the_case_and_writes_one_event_with_who_when_and_why(name, case, sam):
    case = reach(case, name, by=sam)
    path, target, stage = ALLOWED[name]
    by = applicant_for(case) if name in BY_APPLICANTS else sam
    events = case.events.count()
    before = timezone.now()

    moved = attempt(case, name, by=by)

    assert moved.state == target
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.stage) == (target, stage)
    assert before <= case.state_changed_at <= timezone.now()
    assert case.events.count() == events + 1
    event = case.events.last()
    reason = "Because of the council's decision." if name in WITH_REASON else ""
    assert (event.transition, event.actor, event.from_state, event.to_state, event.reason) == (
        name,
        by,
        path[-1],
        target,
        reason,
    )
    assert before <= event.created_at <= timezone.now()


@pytest.mark.parametrize("name", BY_STAFF)
def test_coordinators_finance_applicants_experts_and_visitors_may_not_move_a_case(
    name, case, sam, cora, fiona, alice, bob, bob_commune, erin
):
    case = reach(case, name, by=sam)
    # Where the communes may act too, only those of another request are refused.
    applicant = bob if name in ALSO_BY_COMMUNES else alice
    for user in (cora, fiona, applicant, erin, AnonymousUser()):
        error = refused(PermissionDenied, case, name, by=user)
        label = workflow.TRANSITIONS[name].label
        assert str(error) == f"Your role may not do “{label}”."


def test_an_inactive_staff_account_may_not_move_a_case(case, sam):
    sam.is_active = False
    sam.save(update_fields=["is_active"])

    refused(PermissionDenied, case, "start_eligibility_check", by=sam)


@pytest.mark.parametrize("name", SKEW_ONLY)
def test_giz_staff_may_not_decide_on_requests(name, case, sam, gina):
    case = reach(case, name, by=sam)

    refused(PermissionDenied, case, name, by=gina)


@pytest.mark.parametrize("name", GIZ_TOO)
def test_giz_staff_may_recruit_and_accompany_the_mission(name, case, sam, gina):
    case = reach(case, name, by=sam)

    attempt(case, name, by=gina)

    case = Case.objects.get(pk=case.pk)
    assert case.state == ALLOWED[name][1]
    assert case.events.last().actor == gina


@pytest.mark.parametrize("name", ALSO_BY_COMMUNES)
def test_the_communes_of_the_request_may_act_where_the_table_lets_them(name, case, sam, pierre):
    case = reach(case, name, by=sam)

    attempt(case, name, by=pierre)

    case = Case.objects.get(pk=case.pk)
    assert case.state == ALLOWED[name][1]
    assert case.events.last().actor == pierre


def test_a_superuser_may_do_what_programme_staff_do(case, root):
    case = advance(case, S.PROFILE_AGREED, by=root)

    attempt(case, "approve", by=root)

    assert Case.objects.get(pk=case.pk).state == S.APPROVED


@pytest.mark.parametrize("name", BY_APPLICANTS)
def test_only_the_communes_of_the_request_may_act_for_them(
    name, case, sam, gina, cora, fiona, erin, root, bob, bob_commune
):
    case = reach(case, name, by=sam)

    for user in (sam, gina, cora, fiona, erin, root, bob, AnonymousUser()):
        refused(PermissionDenied, case, name, by=user)


def wrong_state_for(name):
    sources = workflow.TRANSITIONS[name].sources
    return next(s for s in (S.SUBMITTED, S.APPROVED, S.ACTIVE) if s not in sources)


@pytest.mark.parametrize("name", ALL)
def test_a_transition_is_refused_from_a_state_it_does_not_start_from(name, case, sam):
    wrong = wrong_state_for(name)
    case = advance(case, wrong, by=sam)
    by = applicant_for(case) if name in BY_APPLICANTS else sam

    error = refused(ValidationError, case, name, by=by)

    assert error.code == "invalid_transition"
    label = workflow.TRANSITIONS[name].label
    assert error.messages == [f"“{label}” is not possible while the case is “{wrong.label}”."]


@pytest.mark.parametrize("final", [S.DECLINED, S.WITHDRAWN, S.CLOSED])
def test_nothing_moves_a_case_that_has_reached_a_final_state(final, case, sam):
    case = advance(case, final, by=sam)
    by = {True: applicant_for(case), False: sam}

    for name in ALL:
        error = refused(ValidationError, case, name, by=by[name in BY_APPLICANTS])
        assert error.code == "invalid_transition"


def test_an_unknown_action_is_refused(case, sam):
    error = refused(ValidationError, case, "fast_track", by=sam)

    assert error.messages == ["Unknown action."]


@pytest.mark.parametrize("name", WITH_REASON)
@pytest.mark.parametrize("reason", ["", "   \n"])
def test_transitions_that_need_a_reason_refuse_an_empty_one(name, reason, case, sam):
    case = reach(case, name, by=sam)

    error = refused(ValidationError, case, name, by=sam, reason=reason)

    assert error.code == "reason_required"
    assert error.messages == ["Please give a reason."]
