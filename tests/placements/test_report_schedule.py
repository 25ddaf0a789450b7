"""The reports a mission owes, planned from its dates: worked examples with month ends, 29 February,
extensions and an early end; re-planning keeps what the expert has started or what is past."""

from datetime import date

import pytest

from placements.models import Mission, MissionReport
from placements.reporting import plan_reports, schedule
from tests.conftest import make_user
from tests.experts.factories import mission_for
from tests.partnerships.factories import PartnershipFactory
from tests.placements.factories import ExpertProfileFactory

P, F = MissionReport.Kind.PROGRESS, MissionReport.Kind.FINAL


def periods(start, end, every=6):
    return [(p.kind, p.start, p.end, p.due) for p in schedule(start, end, every)]


def test_two_years_from_the_first_of_a_month():
    assert periods(date(2026, 10, 1), date(2028, 10, 1)) == [
        (P, date(2026, 10, 1), date(2027, 3, 31), date(2027, 4, 30)),
        (P, date(2027, 4, 1), date(2027, 9, 30), date(2027, 10, 30)),
        (P, date(2027, 10, 1), date(2028, 3, 31), date(2028, 4, 30)),
        # Ending on 30 September 2028 would leave a final period of two days: the final report
        # takes the last six months.
        (F, date(2028, 4, 1), date(2028, 10, 1), date(2028, 10, 31)),
    ]


def test_a_start_on_a_month_end_counts_from_it_without_drift_and_meets_29_february():
    result = periods(date(2026, 8, 31), date(2028, 8, 31))
    ends = [end for _kind, _start, end, _due in result]
    # The anniversaries of 31 August are 28 February (29 in 2028) and 31 August: each period
    # ends the day before.
    assert ends[:3] == [date(2027, 2, 27), date(2027, 8, 30), date(2028, 2, 28)]
    starts = [start for _kind, start, _end, _due in result]
    assert starts[1:3] == [date(2027, 2, 28), date(2027, 8, 31)]
    assert result[-1][:3] == (F, date(2028, 2, 29), date(2028, 8, 31))


def test_a_mission_starting_on_29_february():
    result = periods(date(2028, 2, 29), date(2029, 2, 28), every=3)
    assert [end for _k, _s, end, _d in result] == [
        date(2028, 5, 28),
        date(2028, 8, 28),
        date(2028, 11, 28),
        date(2029, 2, 28),
    ]
    assert result[-1][0] == F


def test_a_short_mission_has_only_the_final_report():
    assert periods(date(2027, 1, 1), date(2027, 5, 31)) == [
        (F, date(2027, 1, 1), date(2027, 5, 31), date(2027, 6, 30))
    ]


def test_another_cadence():
    kinds = [k for k, *_ in periods(date(2027, 1, 1), date(2029, 1, 1), every=3)]
    assert kinds == [P] * 7 + [F]


@pytest.fixture
def mission(db):
    mission = mission_for(
        ExpertProfileFactory(), partnership=PartnershipFactory(), created_by=make_user("a@x.org")
    )
    Mission.objects.filter(pk=mission.pk).update(
        start=date(2026, 10, 1), planned_end=date(2028, 10, 1)
    )
    mission.refresh_from_db()
    return mission


def rows(mission):
    return [
        (r.number, r.kind, r.period_start, r.period_end, r.status)
        for r in mission.reports.order_by("number")
    ]


def test_planning_twice_changes_nothing(mission):
    plan_reports(mission, today=date(2026, 10, 1))
    first = rows(mission)

    plan_reports(mission, today=date(2026, 10, 1))

    assert rows(mission) == first
    assert len(first) == 4


def test_an_extension_keeps_the_started_and_past_reports_and_plans_more(mission):
    plan_reports(mission, today=date(2026, 10, 1))
    first = mission.reports.get(number=1)
    first.status = MissionReport.Status.ACCEPTED
    first.save()
    second = mission.reports.get(number=2)
    second.status = MissionReport.Status.DRAFT
    second.activities = "Work in progress"
    second.save()
    Mission.objects.filter(pk=mission.pk).update(planned_end=date(2029, 4, 1))
    mission.refresh_from_db()

    plan_reports(mission, today=date(2027, 11, 1))

    result = rows(mission)
    assert result[:2] == [
        (1, P, date(2026, 10, 1), date(2027, 3, 31), "accepted"),
        (2, P, date(2027, 4, 1), date(2027, 9, 30), "draft"),
    ]
    assert mission.reports.get(number=2).activities == "Work in progress"
    assert [r[1] for r in result] == [P, P, P, P, F]
    assert result[-1][2:4] == (date(2028, 10, 1), date(2029, 4, 1))


def test_an_early_end_makes_the_report_being_written_the_final_one(mission):
    plan_reports(mission, today=date(2026, 10, 1))
    second = mission.reports.get(number=2)
    second.status = MissionReport.Status.DRAFT
    second.save()
    Mission.objects.filter(pk=mission.pk).update(
        actual_end=date(2027, 6, 15), terminated_early=True
    )
    mission.refresh_from_db()

    plan_reports(mission, today=date(2027, 6, 15))

    assert rows(mission) == [
        (1, P, date(2026, 10, 1), date(2027, 3, 31), "planned"),
        (2, F, date(2027, 4, 1), date(2027, 6, 15), "draft"),
    ]
    assert mission.reports.get(number=2).due_date == date(2027, 7, 15)


def test_an_early_end_between_reports_plans_a_final_report_up_to_it(mission):
    plan_reports(mission, today=date(2026, 10, 1))
    Mission.objects.filter(pk=mission.pk).update(actual_end=date(2027, 12, 20))
    mission.refresh_from_db()

    plan_reports(mission, today=date(2027, 12, 20))

    # The first two were due before the end: they stay; what follows is one final report.
    assert rows(mission) == [
        (1, P, date(2026, 10, 1), date(2027, 3, 31), "planned"),
        (2, P, date(2027, 4, 1), date(2027, 9, 30), "planned"),
        (3, F, date(2027, 10, 1), date(2027, 12, 20), "planned"),
    ]
