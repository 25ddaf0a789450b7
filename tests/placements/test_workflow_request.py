"""The request stage of the case workflow: what the guards of the eligibility check, the appraisal
and the agreed profile refuse and with which words, and what its transitions do (putting on hold,
declining, approving, asking for information, the communes withdrawing) and whom they tell, the
case officer included."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from catalogue.models import CountryDeploymentRule, EligibleCountry
from partnerships import services as eoi_services
from partnerships.models import Comment
from placements.models import Case
from tests.partnerships.factories import CommuneFactory

from .factories import advance, prepare, record_appraisal, save_fields
from .helpers import PREFIX, Code, EOIStatus, S, attempt, guard_messages, recipients

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


# Effects


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
