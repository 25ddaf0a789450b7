"""The mission stage of the case workflow: the guard of its start, what starting, extending, ending
early and closing do to the mission, and the whole road from the submitted request to the closed
mission."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services as eoi_services
from placements.models import Case, Mission

from .factories import (
    ExpertProfileFactory,
    advance,
    agree_profile,
    choose_expert,
    record_appraisal,
    record_contract,
    record_contract_start,
    save_fields,
    shortlist_expert,
)
from .helpers import Code, S, attempt, guard_messages, refused

# Guard


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
        # Shortlisting leaves the state as it is; the timeline keeps it all the same.
        ("shortlist", S.SCREENING, S.SCREENING, gina.pk),
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
    assert [e.reason for e in case.events.all() if e.reason and e.from_state != e.to_state] == [
        "Who provides the workplace?",
        "Local elections.",
        "The strategy needs another council vote.",
    ]
