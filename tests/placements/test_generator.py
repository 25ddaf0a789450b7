"""generate_data: realistic data in every workflow state, reproducible, in one transaction."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalogue.models import DeploymentType, EligibleCountry
from devtools import generator
from experts.models import ExpertLanguage, ExpertProfile, Position
from partnerships import services as eoi_services
from partnerships.models import Commune, EOIEvent, ExpressionOfInterest, Partnership
from placements.guards import (
    guard_contract_party,
    guard_expert_eligible,
    guard_model_allowed,
    guard_profile_complete,
)
from placements.models import (
    STAGE_OF_STATE,
    Application,
    Case,
    CaseEvent,
    Mission,
    MissionReport,
    SupportEvent,
    Vacancy,
)
from placements.reporting import schedule
from placements.services import profile_snapshot
from placements.workflow import transition
from portal import roles
from portal.models import User
from tests.partnerships.factories import EOIFactory
from tests.placements.factories import save_fields

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
FROM_PUBLISHED = FROM_CANDIDATE_SELECTED | {S.PUBLISHED, S.SCREENING, S.SHORTLIST_SENT}
FROM_VACANCY_DRAFTED = FROM_PUBLISHED | {S.VACANCY_DRAFTED}
A = Application.Status
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
        "experts": list(
            ExpertProfile.objects.order_by("pk").values_list(
                "full_name", "keywords", "years_municipal_experience", "earliest_availability"
            )
        ),
        "languages": list(
            ExpertLanguage.objects.order_by("pk").values_list("expert__email", "language", "level")
        ),
        "applications": list(
            Application.objects.order_by("pk").values_list(
                "vacancy__title", "expert__email", "status", "profile_snapshot"
            )
        ),
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


def test_experts_have_a_profile_worth_matching():
    generate(cases=20, experts=200)
    experts = list(ExpertProfile.objects.with_details())
    eligible = {str(c) for c in EligibleCountry.objects.values_list("country", flat=True)}
    today = timezone.localdate()
    for expert in experts:
        assert 1 <= len(expert.expertise.all()) <= 3
        assert expert.keywords
        languages = [lang.language for lang in expert.languages.all()]
        assert 1 <= len(languages) <= 4
        assert "C2" in {lang.level for lang in expert.languages.all()}  # a first language
        assert 0 <= expert.years_municipal_experience <= 30
        assert len(expert.countries_worked_in) <= 4
        assert {c.code for c in expert.countries_worked_in} <= eligible
        assert 1 <= len(expert.open_to_models.all()) <= 3
        if expert.earliest_availability:
            assert today - timedelta(days=366) <= expert.earliest_availability
            assert expert.earliest_availability <= today + timedelta(days=550)
        positions = list(expert.positions.all())
        assert len(positions) <= 3
        for newer, older in zip(positions, positions[1:], strict=False):
            assert older.end is not None and older.end <= newer.start
        for position in positions:
            assert position.employer and position.role
            assert position.end is None or position.start <= position.end <= today
    # Enough variety for the ranking to tell experts apart.
    assert len({lang.language for e in experts for lang in e.languages.all()}) >= 6
    assert ExpertProfile.objects.filter(earliest_availability__isnull=True).exists()
    assert Position.objects.filter(end__isnull=True).exists()


def test_cases_from_the_vacancy_draft_on_have_their_vacancy(cases):
    vacancies = {v.case_id: v for v in Vacancy.objects.all()}
    assert vacancies
    for case in cases:
        vacancy = vacancies.get(case.pk)
        assert (vacancy is not None) == (case.state in FROM_VACANCY_DRAFTED), case.state
        if vacancy is None:
            continue
        assert vacancy.title == case.eoi.title
        assert vacancy.tasks == case.tasks
        assert vacancy.competence_profile == case.competence_profile
        assert vacancy.languages
        assert (vacancy.published_at is not None) == (case.state in FROM_PUBLISHED)
        drafted = next(e for e in case.events.all() if e.transition == "draft_vacancy")
        assert vacancy.created_at == drafted.created_at
        if vacancy.published_at:
            assert vacancy.closing_date >= vacancy.published_at.date()
    assert Vacancy.objects.filter(public=True).exists()


def test_applications_follow_the_state_of_their_case(cases):
    by_case = {}
    for application in Application.objects.select_related("vacancy"):
        by_case.setdefault(application.vacancy.case_id, []).append(application)
    assert by_case
    for case in cases:
        applications = by_case.get(case.pk, [])
        statuses = [a.status for a in applications]
        if case.state not in FROM_PUBLISHED:
            assert not applications, case.state
            continue
        assert len(applications) <= 12
        assert len({a.expert_id for a in applications}) == len(applications)
        for application in applications:
            assert application.vacancy.published_at <= application.created_at
            assert application.created_at.date() <= application.vacancy.closing_date
            assert application.created_at <= application.updated_at <= timezone.now()
            assert application.motivation or application.proposed_by_staff
            if application.shared_with_commune:
                # On the shortlist sent to the host commune, chosen or not.
                assert application.status in (A.SHORTLISTED, A.SELECTED, A.DECLINED)
        if case.state in (S.PUBLISHED, S.SCREENING):
            assert set(statuses) <= {
                A.APPLIED,
                A.SCREENED,
                A.INTERVIEWED,
                A.SHORTLISTED,
                A.WITHDRAWN,
            }
            assert not any(a.shared_with_commune for a in applications)
        elif case.state == S.SHORTLIST_SENT:
            shortlisted = [a for a in applications if a.status == A.SHORTLISTED]
            assert shortlisted
            assert [a for a in applications if a.shared_with_commune] == shortlisted
            assert A.SELECTED not in statuses
        else:
            selected = [a for a in applications if a.status == A.SELECTED]
            assert [a.expert_id for a in selected] == [case.selected_expert_id], case.state
            assert selected[0].shared_with_commune
            assert set(statuses) <= {A.SELECTED, A.DECLINED, A.WITHDRAWN}
            assert case.deployment_type in case.selected_expert.open_to_models.all()


def test_application_snapshots_are_what_profile_snapshot_makes_of_the_expert(cases):
    applications = list(Application.objects.all())
    assert applications
    experts = {e.pk: e for e in ExpertProfile.objects.with_details()}
    for application in applications:
        assert application.profile_snapshot == profile_snapshot(experts[application.expert_id])


def sent_back_once(case: Case) -> dict:
    """The rows a request of two communes leaves from its submission through one round of
    more information to its resubmission, without who and when."""
    events = list(case.events.all())[:3]
    until, reason = events[-1].created_at, events[1].reason
    eoi = case.eoi

    def text(value):
        return "<reason>" if value and value == reason else value

    return {
        "case events": [(e.transition, e.from_state, e.to_state, text(e.reason)) for e in events],
        "EOI events": [
            (e.kind, e.from_status, e.to_status, text(e.note))
            for e in eoi.events.filter(created_at__lte=until).exclude(kind=EOIEvent.Kind.CREATED)
        ],
        "confirmations": sorted(
            eoi.confirmations.filter(created_at__lte=until).values_list("revision", flat=True)
        ),
        "comments": [
            (c.from_programme, text(c.body)) for c in eoi.comments.filter(created_at__lte=until)
        ],
    }


def test_a_generated_request_sent_back_once_has_the_rows_the_services_write(
    partnership, german, partner, alice, pierre, sam
):
    eoi = EOIFactory(partnership=partnership, created_by=alice)
    eoi_services.confirm(eoi=eoi, user=alice, commune=german)
    eoi_services.confirm(eoi=eoi, user=pierre, commune=partner)
    case = Case.objects.get(eoi=eoi)
    transition(case=case, name="request_information", by=sam, reason="Please add the budget.")
    eoi_services.confirm(eoi=eoi, user=alice, commune=german)
    eoi_services.confirm(eoi=eoi, user=pierre, commune=partner)
    written = sent_back_once(case)
    assert written["comments"] == [(True, "<reason>")]

    generate()
    sent_back = [
        c
        for c in Case.objects.exclude(pk=case.pk).prefetch_related("events", "host_communes")
        if [e.transition for e in c.events.all()][:3]
        == ["submit", "request_information", "resubmit"]
        and len(c.host_communes.all()) == 1
    ]
    assert sent_back
    for generated in sent_back:
        assert sent_back_once(generated) == written


def test_staff_are_created_once_and_a_second_run_adds_more(cases):
    generate(cases=20, experts=10, seed=2)
    assert Case.objects.count() == 80
    staff = User.objects.filter(is_staff=True, email__endswith=generator.EMAIL_SUFFIX)
    assert staff.filter(groups__name=roles.SKEW).count() == 4
    assert staff.filter(groups__name=roles.GIZ).count() == 3
    # With two-factor authentication set up, as the admin requires of staff.
    assert Authenticator.objects.filter(user__in=staff).count() == 7
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
    assert not Vacancy.objects.exists()
    assert not Application.objects.exists()
    assert not ExpertLanguage.objects.exists()
    assert not Position.objects.exists()

    generate()
    assert snapshot() == first


def test_flush_refuses_while_a_hand_made_case_has_a_generated_expert(case):
    generate(cases=5, experts=10)
    expert = ExpertProfile.objects.filter(email__endswith=generator.EMAIL_SUFFIX).first()
    save_fields(case, selected_expert=expert)

    with pytest.raises(CommandError, match="still used"):
        generate(flush=True)

    assert ExpertProfile.objects.filter(pk=expert.pk).exists()
    assert Case.objects.count() == 6


def test_seed_demo_adds_a_few_hundred_generated_experts_once():
    call_command("seed_demo", force=True, stdout=StringIO())
    generated = ExpertProfile.objects.filter(email__endswith=generator.EMAIL_SUFFIX)
    experts = generated.count()
    assert experts >= 300
    assert Application.objects.filter(expert__in=generated).exists()

    call_command("seed_demo", force=True, stdout=StringIO())
    assert generated.count() == experts


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


def test_missions_have_the_reports_their_dates_plan_in_every_state(cases):
    missions = Mission.objects.prefetch_related("reports")
    assert missions.exists()
    statuses = set()
    for mission in missions:
        planned = schedule(mission.start, mission.end, mission.report_interval_months)
        reports = sorted(mission.reports.all(), key=lambda r: r.number)
        assert [(r.kind, r.period_start, r.period_end) for r in reports] == [
            (p.kind, p.start, p.end) for p in planned
        ]
        statuses |= {r.status for r in reports}
        today = timezone.localdate()
        # Nothing is written before its period has ended.
        assert all(r.status == "planned" for r in reports if r.period_end >= today)
    assert {"planned", "accepted"} <= statuses


def test_missions_on_request_with_support_events_and_flush_removes_them():
    output = generate(cases=20, experts=60, seed=3, missions=15)
    mission_states = ["active", "extension_requested", "closing", "closed"]

    assert Case.objects.filter(state__in=mission_states).count() >= 15
    assert "mission reports" in output and MissionReport.objects.exists()
    events = SupportEvent.objects.all()
    assert events.count() >= 4
    for event in events.prefetch_related("registrations"):
        registered = [r for r in event.registrations.all() if r.status == "registered"]
        assert len(registered) <= event.capacity
    generator.flush()
    assert not SupportEvent.objects.exists()
    assert not MissionReport.objects.exists()


def test_generated_communes_of_one_region_are_not_one_town_under_two_names():
    """Kairouan beside "Commune de Kairouan" in the same region looked like a duplicate in the
    commune picker: the generator names another commune of a taken town by a part of it (Nord,
    Sud…), never by another word for the same municipality."""
    generate(cases=10, experts=5, communes=400)

    names = {}
    for name, country, region in Commune.objects.values_list("name", "country", "region"):
        names.setdefault((country, region), set()).add(name)
    synonyms = ("Commune de ", "Municipalidad de ", "Municipio de ", "Prefeitura de ")
    for (country, region), found in names.items():
        for name in found:
            assert not name.startswith(synonyms), (name, country, region)
            assert f"{name} Municipal Council" not in found, (name, country, region)
