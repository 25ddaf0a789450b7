"""Placements' reminder sources (portal/reminders.py explains the API), registered in apps.py."""

from collections.abc import Iterator
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse

from portal.reminders import Reminder

from .models import Mission

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
