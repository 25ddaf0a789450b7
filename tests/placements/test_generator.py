"""generate_data: realistic data in every workflow state, reproducible, in one transaction."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from experts.models import ExpertProfile
from partnerships.models import Commune, ExpressionOfInterest, Partnership
from placements import generator
from placements.models import STAGE_OF_STATE, Case, CaseEvent, DeploymentType, Mission
from placements.workflow import (
    guard_contract_party,
    guard_expert_eligible,
    guard_model_allowed,
    guard_profile_complete,
)
from portal import roles
from portal.models import User

pytestmark = pytest.mark.django_db

S = Case.State
FROM_CANDIDATE_SELECTED = {
    S.CANDIDATE_SELECTED,
    S.CONTRACTING,
    S.PREPARING_DEPARTURE,
    S.ACTIVE,
    S.EXTENSION_REQUESTED,
    S.CLOSING,
    S.CLOSED,
}
FROM_CONTRACTING = FROM_CANDIDATE_SELECTED - {S.CANDIDATE_SELECTED}
FROM_ACTIVE = {S.ACTIVE, S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED}


def generate(**options):
    out = StringIO()
    call_command("generate_data", stdout=out, **{"cases": 60, "experts": 50, "seed": 1, **options})
    return out.getvalue()


def snapshot():
    """What a run generated, in the order it was written."""
    return {
        "requests": list(
            ExpressionOfInterest.objects.order_by("pk").values_list(
                "title", "status", "case__state"
            )
        ),
        "communes": list(Commune.objects.order_by("pk").values_list("name", "country", "region")),
        "experts": list(ExpertProfile.objects.order_by("pk").values_list("full_name", flat=True)),
        "events": list(
            CaseEvent.objects.order_by("case__eoi__pk", "created_at", "pk").values_list(
                "transition", "to_state"
            )
        ),
    }


@pytest.fixture
def cases():
    generate()
    return list(
        Case.objects.select_related("eoi", "deployment_type", "selected_expert").prefetch_related(
            "events", "host_communes"
        )
    )


def test_sixty_cases_cover_every_state_of_the_workflow(cases):
    assert len(cases) == 60
    assert {case.state for case in cases} == set(S.values)


def test_every_case_has_a_timeline_from_submission_that_ends_in_its_state(cases):
    now = timezone.now()
    for case in cases:
        events = list(case.events.all())
        assert now - timedelta(days=3 * 365) < events[0].created_at
        assert events[-1].created_at < now
        assert events[0].transition == "submit"
        assert events[0].to_state == S.SUBMITTED
        for before, after in zip(events, events[1:], strict=False):
            assert after.from_state == before.to_state, case.pk
            assert after.created_at > before.created_at, case.pk
        assert events[-1].to_state == case.state
        assert case.stage == STAGE_OF_STATE[case.state]
        assert case.state_changed_at == events[-1].created_at


def test_cases_past_the_agreed_profile_pass_the_profile_guards(cases):
    agreed = [c for c in cases if any(e.to_state == S.PROFILE_AGREED for e in c.events.all())]
    assert agreed
    for case in agreed:
        assert case.appraisal_mode and case.appraisal_date and case.appraisal_findings
        assert guard_profile_complete(case) is None
        assert guard_model_allowed(case) is None


def test_cases_past_candidate_selection_have_an_eligible_expert(cases):
    selected = [c for c in cases if c.state in FROM_CANDIDATE_SELECTED]
    assert selected
    for case in selected:
        assert guard_expert_eligible(case) is None
        if case.state in FROM_CONTRACTING:
            assert guard_contract_party(case) is None


def test_active_and_later_cases_have_a_mission_of_their_duration(cases):
    for case in [c for c in cases if c.state in FROM_ACTIVE]:
        mission = Mission.objects.get(case=case)
        assert mission.start == case.contract_start
        assert mission.expert == case.selected_expert
        assert mission.planned_end > mission.start
        if case.state == S.CLOSED:
            assert mission.actual_end
        if case.deployment_type.code == DeploymentType.Code.INTEGRATED:
            assert case.salary_top_up.top_up > 0


def test_declined_and_on_hold_cases_say_why_and_where_they_go_back_to(cases):
    for case in cases:
        assert bool(case.decline_reason) == (case.state == S.DECLINED)
        assert bool(case.resume_state) == (case.state == S.ON_HOLD)


def test_the_expression_of_interest_status_follows_the_case(cases):
    Status = ExpressionOfInterest.Status
    for case in cases:
        decided = any(e.transition in ("approve", "decline") for e in case.events.all())
        expected = (
            Status.CHANGES_REQUESTED
            if case.state == S.INFO_REQUESTED
            else Status.WITHDRAWN
            if case.state == S.WITHDRAWN
            else Status.DECIDED
            if decided
            else Status.SUBMITTED
        )
        assert case.eoi.status == expected, case.state
    assert ExpressionOfInterest.objects.filter(status=Status.DRAFT, case__isnull=True).exists()


def test_staff_are_created_once_and_a_second_run_adds_more(cases):
    generate(cases=20, experts=10, seed=2)
    assert Case.objects.count() == 80
    staff = User.objects.filter(is_staff=True, email__endswith=generator.EMAIL_SUFFIX)
    assert staff.filter(groups__name=roles.SKEW).count() == 4
    assert staff.filter(groups__name=roles.GIZ).count() == 3
    assert not User.objects.filter(is_staff=False, groups__isnull=True).exists()


def test_the_same_seed_gives_the_same_data_and_flush_removes_it():
    generate()
    first = snapshot()
    generate(flush=True)
    assert not Case.objects.exists()
    assert not ExpressionOfInterest.objects.exists()
    assert not Partnership.objects.exists()
    assert not generator.generated_communes().exists()
    assert not ExpertProfile.objects.exists()
    assert not User.objects.filter(email__endswith=generator.EMAIL_SUFFIX).exists()

    generate()
    assert snapshot() == first


def test_a_failure_midway_leaves_nothing_behind(monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEvent.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        generate()

    assert not Commune.objects.exists()
    assert not User.objects.filter(email__endswith=generator.EMAIL_SUFFIX).exists()
    assert not ExpertProfile.objects.exists()
    assert not Case.objects.exists()
