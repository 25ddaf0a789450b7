"""Reports due and overdue: the expert is reminded 14 and 3 days before the due date, the expert
and the case officer once it is overdue; each once, a re-planned due date again; an accepted or
submitted report never."""

from datetime import UTC, date, datetime, timedelta

import pytest

from placements.models import Case, Mission, MissionReport
from placements.reminders import reports_due
from placements.reporting import plan_reports
from portal.registries import reminder_sources
from portal.reminders import send_due_reminders

from .factories import ExpertProfileFactory, save_fields


@pytest.fixture
def report(case, erin, sam):
    """The first report of Erin's mission (1 October 2026 – 1 October 2028), due 30 April 2027."""
    save_fields(case, case_officer=sam)
    expert = ExpertProfileFactory(user=erin, full_name="Erin Eriksen")
    mission = Mission.objects.create(
        case=case, expert=expert, start=date(2026, 10, 1), planned_end=date(2028, 10, 1)
    )
    plan_reports(mission, today=date(2026, 10, 1))
    report = mission.reports.get(number=1)
    assert report.due_date == date(2027, 4, 30)
    return report


def subject(message):
    return message.subject.removeprefix("[Experts for Partners] ")


@pytest.fixture
def run(django_capture_on_commit_callbacks, mailoutbox):
    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            send_due_reminders(today)
        return sorted((m.to[0], subject(m)) for m in mailoutbox)

    return run


def test_placements_registers_the_source():
    assert reports_due in reminder_sources


def test_14_and_3_days_before_then_overdue_each_once(report, run, mailoutbox):
    assert run(date(2027, 4, 15)) == []
    assert run(date(2027, 4, 16)) == [
        ("erin@example.org", f"Your report is due in 14 days: {report}")
    ]
    run(date(2027, 4, 20))
    assert len(mailoutbox) == 1
    run(date(2027, 4, 27))
    assert subject(mailoutbox[-1]) == f"Your report is due in 3 days: {report}"
    run(date(2027, 4, 30))
    assert len(mailoutbox) == 2

    run(date(2027, 5, 1))
    overdue = sorted((m.to[0], subject(m)) for m in mailoutbox[2:])
    assert overdue == [
        ("erin@example.org", f"Report overdue: {report}"),
        ("sam@example.org", f"Report overdue: {report}"),
    ]
    run(date(2027, 5, 20))
    assert len(mailoutbox) == 4


def test_a_missed_day_is_caught_up_with_the_nearest_notice(report, run, mailoutbox):
    run(date(2027, 4, 28))  # nothing ran on 16 April

    assert [subject(m) for m in mailoutbox] == [f"Your report is due in 2 days: {report}"]


def test_a_submitted_or_accepted_report_is_not_reminded(report, run, mailoutbox):
    MissionReport.objects.filter(pk=report.pk).update(status=MissionReport.Status.SUBMITTED)
    run(date(2027, 5, 10))
    MissionReport.objects.filter(pk=report.pk).update(status=MissionReport.Status.ACCEPTED)
    run(date(2027, 5, 11))

    assert mailoutbox == []


def test_a_new_due_date_is_reminded_again(report, run, mailoutbox):
    run(date(2027, 4, 16))
    MissionReport.objects.filter(pk=report.pk).update(due_date=report.due_date + timedelta(days=30))

    run(date(2027, 5, 16))

    assert len(mailoutbox) == 2


def test_an_extension_request_waiting_a_week_reminds_the_case_officer_once(report, run, mailoutbox):
    case = report.mission.case
    requested = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
    Case.objects.filter(pk=case.pk).update(
        state=Case.State.EXTENSION_REQUESTED, state_changed_at=requested
    )
    MissionReport.objects.filter(mission=report.mission).update(status="accepted")

    assert run(date(2027, 6, 7)) == []
    run(date(2027, 6, 8))
    run(date(2027, 6, 20))

    assert [(m.to[0], subject(m)) for m in mailoutbox] == [
        (
            "sam@example.org",
            f"An extension request waits for your decision: “{case.eoi.title}”",
        )
    ]
