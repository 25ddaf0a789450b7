"""The case workflow: every transition of placements.workflow.TRANSITIONS, who may trigger it,
what each guard refuses and with which words, what the effects do, and the whole road from the
submitted request to the closed mission."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from catalogue.models import CountryDeploymentRule, DeploymentType, EligibleCountry
from partnerships import services as eoi_services
from partnerships.models import Comment, ExpressionOfInterest
from placements import workflow
from placements.models import Application, Case, CaseEvent, Mission, SalaryTopUp, Vacancy
from portal import roles
from tests.conftest import make_user
from tests.partnerships.factories import CommuneFactory, MembershipFactory

from .factories import (
    ExpertProfileFactory,
    advance,
    agree_profile,
    applicant_for,
    choose_expert,
    prepare,
    record_appraisal,
    record_contract,
    record_contract_start,
    save_fields,
    shortlist_expert,
)

S = Case.State
Code = DeploymentType.Code
EOIStatus = ExpressionOfInterest.Status
PREFIX = "[Experts for Partners] "

# For each transition: the states to walk through to reach a state it starts from, the state it
# leads to and that state's stage.
ALLOWED = {
    "request_information": ([S.SUBMITTED], S.INFO_REQUESTED, "request"),
    "resubmit": ([S.INFO_REQUESTED], S.SUBMITTED, "request"),
    "start_eligibility_check": ([S.SUBMITTED], S.ELIGIBILITY_CHECK, "request"),
    "confirm_eligibility": ([S.ELIGIBILITY_CHECK], S.APPRAISAL, "request"),
    "agree_profile": ([S.APPRAISAL], S.PROFILE_AGREED, "request"),
    "approve": ([S.PROFILE_AGREED], S.APPROVED, "request"),
    "decline": ([S.APPRAISAL], S.DECLINED, "request"),
    "withdraw": ([S.ELIGIBILITY_CHECK], S.WITHDRAWN, "request"),
    "put_on_hold": ([S.APPRAISAL], S.ON_HOLD, "request"),
    "resume": ([S.APPRAISAL, S.ON_HOLD], S.APPRAISAL, "request"),
    "draft_vacancy": ([S.APPROVED], S.VACANCY_DRAFTED, "recruitment"),
    "publish_vacancy": ([S.VACANCY_DRAFTED], S.PUBLISHED, "recruitment"),
    "start_screening": ([S.PUBLISHED], S.SCREENING, "recruitment"),
    "send_shortlist": ([S.SCREENING], S.SHORTLIST_SENT, "recruitment"),
    "select_candidate": ([S.SHORTLIST_SENT], S.CANDIDATE_SELECTED, "recruitment"),
    "start_contracting": ([S.CANDIDATE_SELECTED], S.CONTRACTING, "recruitment"),
    "prepare_departure": ([S.CONTRACTING], S.PREPARING_DEPARTURE, "recruitment"),
    "recruitment_failed": ([S.CONTRACTING], S.PUBLISHED, "recruitment"),
    "start_mission": ([S.PREPARING_DEPARTURE], S.ACTIVE, "mission"),
    "request_extension": ([S.ACTIVE], S.EXTENSION_REQUESTED, "mission"),
    "grant_extension": ([S.EXTENSION_REQUESTED], S.ACTIVE, "mission"),
    "refuse_extension": ([S.EXTENSION_REQUESTED], S.ACTIVE, "mission"),
    "begin_closing": ([S.ACTIVE], S.CLOSING, "mission"),
    "terminate_early": ([S.EXTENSION_REQUESTED], S.CLOSING, "mission"),
    "close": ([S.CLOSING], S.CLOSED, "mission"),
}
ALL = sorted(workflow.TRANSITIONS)
# Only the communes: resubmitting and withdrawing their request.
BY_APPLICANTS = sorted(n for n, t in workflow.TRANSITIONS.items() if t.roles == workflow.APPLICANTS)
BY_STAFF = sorted(set(ALL) - set(BY_APPLICANTS))
# Staff, or the communes themselves (the host commune chooses its candidate).
ALSO_BY_COMMUNES = sorted(
    n for n in BY_STAFF if workflow.TRANSITIONS[n].roles & workflow.APPLICANTS
)
SKEW_ONLY = sorted(n for n, t in workflow.TRANSITIONS.items() if t.roles == {roles.SKEW})
GIZ_TOO = sorted(n for n, t in workflow.TRANSITIONS.items() if roles.GIZ in t.roles)
WITH_REASON = sorted(n for n, t in workflow.TRANSITIONS.items() if t.reason_required)


@pytest.fixture
def bob_commune(bob):
    """Bob is an applicant too, but of a commune that has nothing to do with the case."""
    return MembershipFactory(commune=CommuneFactory(name="Bonn"), user=bob).commune


@pytest.fixture
def root(db):
    return make_user("root@example.org", staff=True, superuser=True, name="Root Admin")


def reach(case, name, *, by):
    """Walk the case to a state from which ``name`` can start and fill in what its guards need."""
    for state in ALLOWED[name][0]:
        case = advance(case, state, by=by)
    return prepare(case, name, by=by)


def attempt(case, name, *, by, reason=None, data=None):
    """Try a transition with a reason where it needs one and six months for an extension."""
    t = workflow.TRANSITIONS.get(name)
    if reason is None:
        reason = "Because of the council's decision." if t and t.reason_required else ""
    return workflow.transition(
        case=case, name=name, by=by, reason=reason, data={"months": 6} if data is None else data
    )


def refused(exception, case, name, *, by, **kwargs):
    """Try a transition that must be refused; check that the case and its timeline stayed as
    they were, and return the error."""
    before = Case.objects.get(pk=case.pk)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(exception) as refusal:
        attempt(case, name, by=by, **kwargs)
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.stage, after.state_changed_at) == (
        before.state,
        before.stage,
        before.state_changed_at,
    )
    assert CaseEvent.objects.filter(case=case).count() == events
    return refusal.value


def guard_messages(case, name, *, by):
    error = refused(ValidationError, case, name, by=by)
    assert {e.code for e in error.error_list} == {"guard"}
    return error.messages


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


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


# Guards of the request stage


def test_a_host_country_taken_off_the_eligible_list_blocks_the_eligibility_check(case, sam):
    case = advance(case, S.ELIGIBILITY_CHECK, by=sam)
    EligibleCountry.objects.filter(country="TG").update(active=False)

    messages = guard_messages(case, "confirm_eligibility", by=sam)

    assert messages == ["Not on the list of countries that can host an expert: Togo."]


def test_a_request_without_a_registered_partnership_is_not_eligible(case, sam):
    case = advance(case, S.ELIGIBILITY_CHECK, by=sam)
    case.eoi.partnerships.clear()

    messages = guard_messages(case, "confirm_eligibility", by=sam)

    assert messages == ["The expression of interest names no registered partnership."]


def test_a_request_without_a_host_commune_is_not_eligible(case, sam):
    case = advance(case, S.ELIGIBILITY_CHECK, by=sam)
    case.host_communes.clear()
    case.eoi.host_communes.clear()

    messages = guard_messages(case, "confirm_eligibility", by=sam)

    assert messages == ["The expression of interest names no host commune."]


@pytest.mark.parametrize(
    "missing", [{"appraisal_mode": ""}, {"appraisal_date": None}, {"appraisal_findings": "  "}]
)
def test_the_profile_cannot_be_agreed_before_the_appraisal_is_recorded(missing, case, sam):
    case = prepare(advance(case, S.APPRAISAL, by=sam), "agree_profile")
    save_fields(case, **missing)

    messages = guard_messages(case, "agree_profile", by=sam)

    assert messages == [
        "Record the consultation with both communes (how, when and its findings) first."
    ]


PROFILE_FIELDS = [
    ("competence_profile", "", "agreed competence profile"),
    ("tasks", "", "agreed tasks"),
    ("objectives", "", "agreed objectives"),
    ("planned_start", None, "planned start"),
    ("deployment_type", None, "deployment model"),
    ("host_communes", None, "host communes"),
]


def empty(case, field, value):
    if field == "host_communes":
        case.host_communes.clear()
        return case
    return save_fields(case, **{field: value})


@pytest.mark.parametrize(("field", "value", "label"), PROFILE_FIELDS)
@pytest.mark.parametrize(
    ("name", "start"), [("agree_profile", S.APPRAISAL), ("approve", S.PROFILE_AGREED)]
)
def test_an_incomplete_profile_can_be_neither_agreed_nor_approved_and_the_gap_is_named(
    name, start, field, value, label, case, sam
):
    case = prepare(advance(case, start, by=sam), name)
    case = empty(case, field, value)

    messages = guard_messages(case, name, by=sam)

    assert messages == [f"The agreed profile is incomplete: {label}."]


def test_every_gap_of_the_profile_is_named_at_once(case, sam):
    case = record_appraisal(advance(case, S.APPRAISAL, by=sam))
    case = save_fields(case, planned_start=None)
    case.host_communes.clear()

    messages = guard_messages(case, "agree_profile", by=sam)

    assert messages == [
        "The agreed profile is incomplete: agreed competence profile, agreed tasks, "
        "agreed objectives, planned start, deployment model, host communes."
    ]


@pytest.mark.parametrize("model", [Code.INTEGRATED, Code.TECHNICAL_ASSISTANT, Code.NATIONAL])
def test_every_deployment_model_may_be_agreed_for_togo(model, case, sam):
    case = advance(case, S.APPROVED, by=sam, model=model)

    assert case.deployment_type.code == model


def integrated_in_togo():
    return CountryDeploymentRule.objects.filter(
        country__country="TG", deployment_type__code=Code.INTEGRATED
    )


@pytest.mark.parametrize(
    "change",
    [
        {"allowed": False},
        # The rule ended the day before the planned start.
        {"valid_until": date(2027, 8, 31)},
        # The rule begins only after the planned start.
        {"valid_from": date(2028, 1, 1)},
    ],
    ids=["not-allowed", "ended-before-the-start", "begins-after-the-start"],
)
@pytest.mark.parametrize(
    ("name", "start"), [("agree_profile", S.APPRAISAL), ("approve", S.PROFILE_AGREED)]
)
def test_a_deployment_model_not_allowed_in_the_host_country_at_the_start_is_refused(
    name, start, change, case, sam
):
    case = prepare(advance(case, start, by=sam), name)
    integrated_in_togo().update(**change)

    messages = guard_messages(case, name, by=sam)

    assert messages == ["Integrated expert is not allowed in TG."]


def test_a_new_rule_in_force_at_the_planned_start_allows_the_model_again(case, sam):
    case = prepare(advance(case, S.APPRAISAL, by=sam), "agree_profile")
    old = integrated_in_togo().get()
    integrated_in_togo().update(valid_until=date(2027, 6, 30))
    CountryDeploymentRule.objects.create(
        country=old.country,
        deployment_type=old.deployment_type,
        allowed=True,
        valid_from=date(2027, 7, 1),
    )

    attempt(case, "agree_profile", by=sam)

    assert Case.objects.get(pk=case.pk).state == S.PROFILE_AGREED


def test_a_technical_assistant_is_refused_where_germany_has_no_development_cooperation(case, sam):
    assert not EligibleCountry.objects.get(country="BT").german_partner_country
    case = advance(case, S.APPRAISAL, by=sam)
    case.host_communes.set([CommuneFactory(name="Thimphu", country="BT", region="Thimphu")])
    case = prepare(case, "agree_profile", model=Code.TECHNICAL_ASSISTANT)

    messages = guard_messages(case, "agree_profile", by=sam)

    assert messages == ["Technical assistant is not allowed in BT."]


# Guards of the recruitment and mission stages


def test_drafting_the_vacancy_prefills_it_from_the_agreed_profile(case, sam):
    case = advance(case, S.APPROVED, by=sam)

    attempt(case, "draft_vacancy", by=sam)

    vacancy = Vacancy.objects.get(case=case)
    assert (vacancy.title, vacancy.tasks) == ("Waste management in Kpalimé", case.tasks)
    assert vacancy.closing_date > timezone.localdate()
    assert vacancy.published_at is None


def test_publishing_the_vacancy_puts_it_online(case, sam):
    case = advance(case, S.VACANCY_DRAFTED, by=sam)

    attempt(case, "publish_vacancy", by=sam)

    assert Vacancy.objects.published().get().case == case


def test_a_vacancy_cannot_be_published_before_it_is_drafted(case, sam):
    case = advance(case, S.VACANCY_DRAFTED, by=sam)
    Vacancy.objects.filter(case=case).delete()

    messages = guard_messages(case, "publish_vacancy", by=sam)

    assert messages == ["Draft the vacancy first."]


@pytest.mark.parametrize("closing_date", [None, date(2020, 1, 31)])
def test_a_vacancy_needs_a_closing_date_in_the_future_to_be_published(closing_date, case, sam):
    case = advance(case, S.VACANCY_DRAFTED, by=sam)
    Vacancy.objects.filter(case=case).update(closing_date=closing_date)

    messages = guard_messages(case, "publish_vacancy", by=sam)

    assert messages == ["Give the vacancy a closing date in the future."]


def test_an_empty_shortlist_cannot_be_sent(case, sam):
    case = advance(case, S.SCREENING, by=sam)

    messages = guard_messages(case, "send_shortlist", by=sam)

    assert messages == ["Put at least one candidate on the shortlist first."]


def test_sending_the_shortlist_shows_it_to_the_host_commune_and_tells_its_members(
    case, sam, mailoutbox, django_capture_on_commit_callbacks
):
    case = shortlist_expert(advance(case, S.SCREENING, by=sam), by=sam)

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "send_shortlist", by=sam)

    assert Application.objects.get(vacancy__case=case).shared_with_commune
    assert recipients(mailoutbox) == ["pierre@example.org"]


def test_a_candidate_cannot_be_selected_before_an_expert_is_chosen(case, sam):
    case = advance(case, S.SHORTLIST_SENT, by=sam)

    messages = guard_messages(case, "select_candidate", by=sam)

    assert messages == ["Choose the selected expert first."]


@pytest.mark.parametrize(
    ("model", "label"),
    [(Code.INTEGRATED, "Integrated expert"), (Code.TECHNICAL_ASSISTANT, "Technical assistant")],
)
@pytest.mark.parametrize(
    ("name", "start"),
    [("select_candidate", S.SHORTLIST_SENT), ("start_contracting", S.CANDIDATE_SELECTED)],
)
def test_integrated_experts_and_technical_assistants_need_a_european_nationality(
    name, start, model, label, case, sam
):
    case = prepare(advance(case, start, by=sam, model=model), name, model=model)
    kofi = ExpertProfileFactory(full_name="Kofi Mensah", nationalities=["TG", "GH"])
    case = choose_expert(case, kofi)

    messages = guard_messages(case, name, by=sam)

    assert messages == [
        f"{label} requires a European (EU, EEA or Swiss) nationality; Kofi Mensah has none."
    ]


@pytest.mark.parametrize("nationalities", [["FR"], ["CH"], ["NO"], ["TG", "IT"]])
def test_a_nationality_of_the_eu_the_eea_or_switzerland_is_european(nationalities, case, sam):
    case = advance(case, S.SHORTLIST_SENT, by=sam)
    case = choose_expert(case, ExpertProfileFactory(nationalities=nationalities))

    attempt(case, "select_candidate", by=sam)

    assert Case.objects.get(pk=case.pk).state == S.CANDIDATE_SELECTED


@pytest.mark.parametrize(
    ("name", "start"),
    [("select_candidate", S.SHORTLIST_SENT), ("start_contracting", S.CANDIDATE_SELECTED)],
)
def test_a_national_expert_needs_the_nationality_of_the_host_country(name, start, case, sam):
    case = prepare(advance(case, start, by=sam, model=Code.NATIONAL), name, model=Code.NATIONAL)
    anna = ExpertProfileFactory(full_name="Anna Schmidt", nationalities=["DE"])
    case = choose_expert(case, anna)

    messages = guard_messages(case, name, by=sam)

    assert messages == [
        "A national expert must have the nationality of the host country; Anna Schmidt has not."
    ]


def test_a_togolese_expert_may_be_a_national_expert_in_togo(case, sam):
    case = advance(case, S.SHORTLIST_SENT, by=sam, model=Code.NATIONAL)
    case = choose_expert(case, ExpertProfileFactory(nationalities=["TG"]))

    attempt(case, "select_candidate", by=sam)

    assert Case.objects.get(pk=case.pk).state == S.CANDIDATE_SELECTED


@pytest.mark.parametrize(
    ("name", "start"),
    [("select_candidate", S.SHORTLIST_SENT), ("start_contracting", S.CANDIDATE_SELECTED)],
)
def test_the_programme_cannot_go_on_before_the_host_commune_has_chosen_the_expert(
    name, start, case, sam
):
    case = prepare(advance(case, start, by=sam), name)
    case = save_fields(case, host_commune_chose_expert=False)

    messages = guard_messages(case, name, by=sam)

    assert messages == ["The host commune has not chosen this expert yet."]


@pytest.mark.parametrize(
    ("model", "party", "message"),
    [
        (
            Code.INTEGRATED,
            "giz",
            "Integrated expert is contracted by: Host commune. Record that contract party first.",
        ),
        (
            Code.INTEGRATED,
            "",
            "Integrated expert is contracted by: Host commune. Record that contract party first.",
        ),
        (
            Code.NATIONAL,
            "giz",
            "National expert is contracted by: Host commune. Record that contract party first.",
        ),
        (
            Code.TECHNICAL_ASSISTANT,
            "host_commune",
            "Technical assistant is contracted by: GIZ. Record that contract party first.",
        ),
    ],
)
@pytest.mark.parametrize(
    ("name", "start"),
    [("start_contracting", S.CANDIDATE_SELECTED), ("prepare_departure", S.CONTRACTING)],
)
def test_the_contract_party_must_be_the_one_of_the_deployment_model(
    name, start, model, party, message, case, sam
):
    case = prepare(advance(case, start, by=sam, model=model), name, model=model)
    case = save_fields(case, contract_party=party)

    messages = guard_messages(case, name, by=sam)

    assert messages == [message]


@pytest.mark.parametrize(
    ("name", "start"),
    [("start_contracting", S.CANDIDATE_SELECTED), ("prepare_departure", S.CONTRACTING)],
)
def test_an_integrated_expert_needs_the_salary_top_up_recorded(name, start, case, sam):
    case = prepare(advance(case, start, by=sam), name)
    SalaryTopUp.objects.filter(case=case).delete()

    messages = guard_messages(case, name, by=sam)

    assert messages == ["Record the local salary and the programme's top-up first."]


@pytest.mark.parametrize("model", [Code.TECHNICAL_ASSISTANT, Code.NATIONAL])
def test_other_models_need_no_salary_top_up(model, case, sam):
    case = advance(case, S.PREPARING_DEPARTURE, by=sam, model=model)

    assert not SalaryTopUp.objects.filter(case=case).exists()
    assert case.contract_party == DeploymentType.objects.get(code=model).contract_party


def test_a_mission_cannot_start_without_a_contract_start_date(case, sam):
    case = advance(case, S.PREPARING_DEPARTURE, by=sam)

    messages = guard_messages(case, "start_mission", by=sam)

    assert messages == ["Record the contract start date first."]


# Effects


def test_starting_the_mission_opens_it_for_the_agreed_duration_of_24_months(case, sam):
    case = advance(case, S.PREPARING_DEPARTURE, by=sam)
    case = save_fields(case, contract_start=date(2026, 10, 1))

    attempt(case, "start_mission", by=sam)

    mission = Mission.objects.get(case=case)
    assert mission.expert == case.selected_expert
    assert (mission.start, mission.planned_end) == (date(2026, 10, 1), date(2028, 10, 1))
    assert (mission.actual_end, mission.extension_months, mission.terminated_early) == (
        None,
        0,
        False,
    )


def test_a_mission_agreed_for_18_months_is_planned_for_18_months(case, sam):
    case = save_fields(advance(case, S.PREPARING_DEPARTURE, by=sam), duration_months=18)
    case = save_fields(case, contract_start=date(2027, 1, 31))

    attempt(case, "start_mission", by=sam)

    assert Mission.objects.get(case=case).planned_end == date(2028, 7, 31)


@pytest.mark.parametrize("months", [1, 24, "6"])
def test_granting_an_extension_extends_the_planned_end_by_the_months_given(months, case, sam):
    case = advance(case, S.EXTENSION_REQUESTED, by=sam)
    planned_end = case.mission.planned_end

    attempt(case, "grant_extension", by=sam, data={"months": months})

    mission = Mission.objects.get(case=case)
    assert mission.extension_months == int(months)
    assert mission.planned_end == planned_end + relativedelta(months=int(months))


def test_extensions_add_up(case, sam):
    case = advance(case, S.EXTENSION_REQUESTED, by=sam)
    planned_end = case.mission.planned_end
    attempt(case, "grant_extension", by=sam, data={"months": 6})
    attempt(case, "request_extension", by=sam)

    attempt(case, "grant_extension", by=sam, data={"months": 3})

    mission = Mission.objects.get(case=case)
    assert mission.extension_months == 9
    assert mission.planned_end == planned_end + relativedelta(months=9)


@pytest.mark.parametrize("months", [0, 25, -1, None, "", "six"])
def test_an_extension_needs_between_1_and_24_months(months, case, sam):
    case = advance(case, S.EXTENSION_REQUESTED, by=sam)
    planned_end = case.mission.planned_end

    error = refused(ValidationError, case, "grant_extension", by=sam, data={"months": months})

    assert error.code == "months"
    assert error.messages == ["Give the extension in months (1 to 24)."]
    assert Mission.objects.get(case=case).planned_end == planned_end


def test_an_extension_without_months_is_refused(case, sam):
    case = advance(case, S.EXTENSION_REQUESTED, by=sam)

    error = refused(ValidationError, case, "grant_extension", by=sam, data={})

    assert error.messages == ["Give the extension in months (1 to 24)."]


def test_a_refused_extension_leaves_the_planned_end_as_it_was(case, sam):
    case = advance(case, S.EXTENSION_REQUESTED, by=sam)
    planned_end = case.mission.planned_end

    attempt(case, "refuse_extension", by=sam, reason="The budget is spent.")

    mission = Mission.objects.get(case=case)
    assert (mission.planned_end, mission.extension_months) == (planned_end, 0)


@pytest.mark.parametrize("start", [S.ACTIVE, S.EXTENSION_REQUESTED])
def test_terminating_a_mission_early_records_the_day_it_ended(start, case, sam):
    case = advance(case, start, by=sam)

    attempt(case, "terminate_early", by=sam, reason="The expert fell ill.")

    mission = Mission.objects.get(case=case)
    assert mission.terminated_early
    assert mission.actual_end == timezone.localdate()
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.CLOSING
    assert case.events.last().reason == "The expert fell ill."


def test_closing_the_case_records_the_end_of_the_mission(case, sam):
    case = advance(case, S.CLOSING, by=sam)
    assert case.mission.actual_end is None

    attempt(case, "close", by=sam)

    mission = Mission.objects.get(case=case)
    assert mission.actual_end == min(timezone.localdate(), mission.planned_end)
    assert not mission.terminated_early


def test_closing_after_an_early_end_keeps_the_day_it_ended(case, sam):
    case = advance(case, S.ACTIVE, by=sam)
    attempt(case, "terminate_early", by=sam, reason="The commune ended the contract.")
    Mission.objects.filter(case=case).update(actual_end=date(2026, 11, 2))

    attempt(case, "close", by=sam)

    assert Mission.objects.get(case=case).actual_end == date(2026, 11, 2)


def test_a_failed_recruitment_forgets_the_candidate_and_publishes_again(case, sam):
    case = advance(case, S.CONTRACTING, by=sam)
    assert case.selected_expert is not None

    attempt(case, "recruitment_failed", by=sam, reason="The candidate took another job.")

    case = Case.objects.get(pk=case.pk)
    assert case.state == S.PUBLISHED
    assert (case.selected_expert, case.host_commune_chose_expert) == (None, False)


@pytest.mark.parametrize("start", [S.SUBMITTED, S.APPRAISAL, S.PROFILE_AGREED, S.APPROVED])
def test_a_case_put_on_hold_resumes_where_it_was(start, case, sam):
    case = advance(case, start, by=sam)

    attempt(case, "put_on_hold", by=sam, reason="The council elections come first.")
    on_hold = Case.objects.get(pk=case.pk)
    attempt(case, "resume", by=sam)

    assert (on_hold.state, on_hold.stage, on_hold.resume_state) == (S.ON_HOLD, "request", start)
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.resume_state) == (start, "")
    assert list(case.events.values_list("transition", "from_state", "to_state", "reason"))[-2:] == [
        ("put_on_hold", start, S.ON_HOLD, "The council elections come first."),
        ("resume", S.ON_HOLD, start, ""),
    ]


def test_declining_stores_the_reason_and_tells_both_communes_why(
    case, sam, mailoutbox, django_capture_on_commit_callbacks
):
    case = advance(case, S.APPRAISAL, by=sam)
    reason = "The host commune has no budget for the workplace."

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "decline", by=sam, reason=reason)

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.decline_reason) == (S.DECLINED, reason)
    assert case.eoi.status == EOIStatus.DECIDED
    assert recipients(mailoutbox) == ["alice@example.org", "pierre@example.org"]
    for message in mailoutbox:
        assert reason in message.body
    to_alice = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert to_alice.subject == PREFIX + "Decision on “Waste management in Kpalimé”"


def test_approving_tells_both_communes_and_decides_the_expression_of_interest(
    case, sam, mailoutbox, django_capture_on_commit_callbacks
):
    case = advance(case, S.PROFILE_AGREED, by=sam)

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "approve", by=sam)

    case = Case.objects.get(pk=case.pk)
    assert case.state == S.APPROVED
    assert case.eoi.status == EOIStatus.DECIDED
    assert recipients(mailoutbox) == ["alice@example.org", "pierre@example.org"]
    to_alice = next(m for m in mailoutbox if m.to == ["alice@example.org"])
    assert to_alice.subject == PREFIX + "“Waste management in Kpalimé” has been approved"
    assert "Good news" in to_alice.body


def test_asking_for_information_sends_the_request_back_until_both_communes_confirm_again(
    case, sam, alice, german, pierre, partner, mailoutbox, django_capture_on_commit_callbacks
):
    question = "How will the composting site be financed after the mission?"

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "request_information", by=sam, reason=question)

    case = Case.objects.get(pk=case.pk)
    eoi = case.eoi
    assert case.state == S.INFO_REQUESTED
    assert eoi.status == EOIStatus.CHANGES_REQUESTED
    assert Comment.objects.get(eoi=eoi).body == question
    assert recipients(mailoutbox) == ["alice@example.org", "pierre@example.org"]
    assert all(question in message.body for message in mailoutbox)

    eoi_services.confirm(eoi=eoi, user=alice, commune=german)
    assert Case.objects.get(pk=case.pk).state == S.INFO_REQUESTED
    eoi_services.confirm(eoi=eoi, user=pierre, commune=partner)

    case = Case.objects.get(pk=case.pk)
    assert case.state == S.SUBMITTED
    assert Case.objects.filter(eoi=eoi).count() == 1
    event = case.events.last()
    assert (event.transition, event.from_state, event.to_state, event.actor) == (
        "resubmit",
        S.INFO_REQUESTED,
        S.SUBMITTED,
        pierre,
    )


@pytest.mark.parametrize("start", [S.SUBMITTED, S.ELIGIBILITY_CHECK, S.INFO_REQUESTED])
def test_the_communes_withdrawing_their_request_withdraw_the_case(start, case, sam, alice):
    case = advance(case, start, by=sam)

    eoi_services.withdraw(eoi=case.eoi, user=alice, reason="The council changed its plans.")

    case = Case.objects.get(pk=case.pk)
    assert case.state == S.WITHDRAWN
    assert case.eoi.status == EOIStatus.WITHDRAWN
    event = case.events.last()
    assert (event.transition, event.from_state, event.actor, event.reason) == (
        "withdraw",
        start,
        alice,
        "The council changed its plans.",
    )


@pytest.mark.parametrize("start", [S.APPROVED, S.PUBLISHED])
def test_the_communes_can_no_longer_withdraw_once_the_case_is_approved(start, case, sam, alice):
    case = advance(case, start, by=sam)

    with pytest.raises(ValidationError):
        eoi_services.withdraw(eoi=case.eoi, user=alice, reason="Too late.")

    case = Case.objects.get(pk=case.pk)
    assert case.state == start
    assert case.eoi.status == EOIStatus.DECIDED
    assert case.events.last().transition != "withdraw"


def test_the_case_officer_hears_when_a_colleague_moves_the_case(
    case, sam, sven, mailoutbox, django_capture_on_commit_callbacks
):
    case = save_fields(case, case_officer=sam)

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "put_on_hold", by=sven, reason="Waiting for the council's budget.")

    assert recipients(mailoutbox) == ["sam@example.org"]
    message = mailoutbox[0]
    assert message.subject == PREFIX + f"Case {case.pk}: On hold"
    assert f"Sven Seidel did “Put on hold” on case {case.pk}, which is now “On hold”." in (
        message.body
    )
    assert "Waiting for the council's budget." in message.body
    assert f"/admin/placements/case/{case.pk}/change/" in message.body


def test_the_case_officer_gets_no_email_about_their_own_moves(
    case, sam, mailoutbox, django_capture_on_commit_callbacks
):
    case = save_fields(case, case_officer=sam)

    with django_capture_on_commit_callbacks(execute=True):
        attempt(case, "start_eligibility_check", by=sam)

    assert mailoutbox == []


# The whole road


def test_a_request_goes_all_the_way_from_submission_to_the_closed_mission(
    case, sam, gina, alice, german, pierre, partner
):
    def move(name, by, **kwargs):
        nonlocal case
        case = attempt(case, name, by=by, **kwargs)
        return case.stage

    # Request
    assert case.stage == "request"
    move("request_information", sam, reason="Who provides the workplace?")
    eoi_services.confirm(eoi=case.eoi, user=alice, commune=german)
    eoi_services.confirm(eoi=case.eoi, user=pierre, commune=partner)
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.SUBMITTED
    move("start_eligibility_check", sam)
    move("confirm_eligibility", sam)
    move("put_on_hold", sam, reason="Local elections.")
    move("resume", sam)
    record_appraisal(case)
    agree_profile(case, Code.INTEGRATED)
    move("agree_profile", sam)
    assert move("approve", sam) == "request"
    # Recruitment
    assert move("draft_vacancy", gina) == "recruitment"
    move("publish_vacancy", gina)
    move("start_screening", gina)
    jana = ExpertProfileFactory(full_name="Jana Novak", nationalities=["CZ"])
    shortlist_expert(case, by=gina, expert=jana)
    move("send_shortlist", gina)
    # The host commune chooses.
    choose_expert(case, jana)
    move("select_candidate", pierre)
    record_contract(case)
    move("start_contracting", gina)
    assert move("prepare_departure", gina) == "recruitment"
    record_contract_start(case)
    # Mission
    assert move("start_mission", gina) == "mission"
    move("request_extension", gina, reason="The strategy needs another council vote.")
    move("grant_extension", sam, data={"months": 4})
    move("begin_closing", gina)
    assert move("close", sam) == "mission"

    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.stage) == (S.CLOSED, "mission")
    mission = case.mission
    assert mission.expert.full_name == "Jana Novak"
    start = timezone.localdate() - timedelta(days=30)
    assert mission.start == start
    assert mission.planned_end == start + relativedelta(months=24) + relativedelta(months=4)
    assert mission.actual_end == timezone.localdate()
    assert list(case.events.values_list("transition", "from_state", "to_state", "actor")) == [
        ("submit", "", S.SUBMITTED, pierre.pk),
        ("request_information", S.SUBMITTED, S.INFO_REQUESTED, sam.pk),
        ("resubmit", S.INFO_REQUESTED, S.SUBMITTED, pierre.pk),
        ("start_eligibility_check", S.SUBMITTED, S.ELIGIBILITY_CHECK, sam.pk),
        ("confirm_eligibility", S.ELIGIBILITY_CHECK, S.APPRAISAL, sam.pk),
        ("put_on_hold", S.APPRAISAL, S.ON_HOLD, sam.pk),
        ("resume", S.ON_HOLD, S.APPRAISAL, sam.pk),
        ("agree_profile", S.APPRAISAL, S.PROFILE_AGREED, sam.pk),
        ("approve", S.PROFILE_AGREED, S.APPROVED, sam.pk),
        ("draft_vacancy", S.APPROVED, S.VACANCY_DRAFTED, gina.pk),
        ("publish_vacancy", S.VACANCY_DRAFTED, S.PUBLISHED, gina.pk),
        ("start_screening", S.PUBLISHED, S.SCREENING, gina.pk),
        ("send_shortlist", S.SCREENING, S.SHORTLIST_SENT, gina.pk),
        ("select_candidate", S.SHORTLIST_SENT, S.CANDIDATE_SELECTED, pierre.pk),
        ("start_contracting", S.CANDIDATE_SELECTED, S.CONTRACTING, gina.pk),
        ("prepare_departure", S.CONTRACTING, S.PREPARING_DEPARTURE, gina.pk),
        ("start_mission", S.PREPARING_DEPARTURE, S.ACTIVE, gina.pk),
        ("request_extension", S.ACTIVE, S.EXTENSION_REQUESTED, gina.pk),
        ("grant_extension", S.EXTENSION_REQUESTED, S.ACTIVE, sam.pk),
        ("begin_closing", S.ACTIVE, S.CLOSING, gina.pk),
        ("close", S.CLOSING, S.CLOSED, sam.pk),
    ]
    assert [e.reason for e in case.events.all() if e.reason] == [
        "Who provides the workplace?",
        "Local elections.",
        "The strategy needs another council vote.",
    ]
