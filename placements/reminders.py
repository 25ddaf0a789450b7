"""Placements' reminder sources (portal/reminders.py explains the API), registered in apps.py."""

from collections.abc import Iterator
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from portal.reminders import Reminder

from .models import Case, Mission, MissionReport

MISSION_ENDING_NOTICE = relativedelta(months=3)


def mission_ending(today: date) -> Iterator[Reminder]:
    """From three months before a running mission's planned end: the expert (when they have an
    account) and the case officer, each once per mission and planned end, so that an extension
    that moves the end reminds them again."""
    missions = Mission.objects.filter(
        actual_end__isnull=True,
        terminated_early=False,
        planned_end__gt=today,
        planned_end__lte=today + MISSION_ENDING_NOTICE,
    ).select_related("expert__user", "case__case_officer", "case__eoi")
    for mission in missions:
        case = mission.case
        context = {"mission": mission, "case": case}
        key = f"mission-ending:{mission.pk}:{mission.planned_end.isoformat()}"
        if mission.expert.user:
            yield Reminder(
                key=f"{key}:expert",
                recipient=mission.expert.user,
                template="mission_ending",
                context={
                    **context,
                    "for_expert": True,
                    "link": settings.SITE_URL + reverse("dashboard"),
                },
            )
        if case.case_officer:
            yield Reminder(
                key=f"{key}:case-officer",
                recipient=case.case_officer,
                template="mission_ending",
                context={**context, "link": settings.SITE_URL + case.get_absolute_url()},
            )


# Before a report is due the expert is reminded twice; once it is overdue, the expert and the
# case officer.
REPORT_NOTICES = MissionReport.REMINDER_DAYS


def reports_due(today: date) -> Iterator[Reminder]:
    """Reports the expert still owes: 14 and 3 days before the due date (each from that day
    until the due date, so a missed run catches up), and once it is overdue. The key holds the
    due date: a re-planned report is reminded again."""
    reports = MissionReport.objects.due_soon(today).select_related(
        "mission__expert__user", "mission__case__case_officer", "mission__case__eoi"
    )
    for report in reports:
        key = f"report:{report.pk}:{report.due_date.isoformat()}"
        expert = report.mission.expert.user
        officer = report.mission.case.case_officer
        link = settings.SITE_URL + reverse("placements:report-edit", args=[report.pk])
        context = {"report": report, "mission": report.mission}
        if report.due_date < today:
            if expert:
                yield Reminder(
                    key=f"{key}:overdue:expert",
                    recipient=expert,
                    template="report_overdue",
                    context={**context, "for_expert": True, "link": link},
                )
            if officer:
                yield Reminder(
                    key=f"{key}:overdue:case-officer",
                    recipient=officer,
                    template="report_overdue",
                    context={**context, "link": settings.SITE_URL + report.get_absolute_url()},
                )
            continue
        days_left = (report.due_date - today).days
        # The nearest notice only: three days before, the 14-day one has had its day.
        for notice in sorted(REPORT_NOTICES):
            if days_left <= notice and expert:
                yield Reminder(
                    key=f"{key}:due-{notice}",
                    recipient=expert,
                    template="report_due",
                    context={**context, "days": days_left, "link": link},
                )
                break


# An extension request waits for the case officer's decision: reminded after a week.
EXTENSION_WAITS = timedelta(days=7)


def extension_waiting(today: date) -> Iterator[Reminder]:
    """Cases whose extension request has waited a week or more: the case officer, once per
    request (the key holds when the request was made)."""
    cases = Case.objects.filter(
        state=Case.State.EXTENSION_REQUESTED,
        state_changed_at__date__lte=today - EXTENSION_WAITS,
        case_officer__isnull=False,
    ).select_related("case_officer", "eoi", "mission__expert")
    for case in cases:
        yield Reminder(
            key=f"extension-waiting:{case.pk}:{case.state_changed_at.isoformat()}",
            recipient=case.case_officer,
            template="extension_waiting",
            context={
                "case": case,
                "since": case.state_changed_at,
                "link": settings.SITE_URL + case.get_absolute_url(),
            },
        )
