"""Mission reports of the generated missions: planned with the portal's own schedule
(placements.reporting.schedule), in every state a real mission passes through."""

import random

from placements.models import MissionReport
from placements.reporting import DUE_AFTER, schedule

from .writing import bulk

S = MissionReport.Status
TEXT = {
    "activities": "Worked with the technical department on the collection routes.",
    "results": "Two more districts are served every week.",
    "difficulties": "Fuel shortages in the rainy season.",
    "next_steps": "Train the drivers and publish the timetable.",
    "transparency": "Routes and results posted at the town hall every month.",
    "cooperation": "Technical and finance departments meet every month.",
    "inclusion": "The women's cooperative runs the sorting site.",
}


class ReportsPhase:
    """Mixed into Generator: reports for the missions just written."""

    def write_reports(self, missions) -> None:
        today = self.today
        reports = []
        for mission in missions:
            # A random generator of the mission's own, so that adding reports leaves every other
            # generated row as it was for the same seed.
            rng = random.Random(f"{mission.start}:{mission.case.eoi.title}:{mission.expert.email}")
            end = mission.actual_end or mission.planned_end
            for number, period in enumerate(
                schedule(mission.start, end, mission.report_interval_months), start=1
            ):
                due = period.end + DUE_AFTER
                if period.end >= today:
                    status = S.PLANNED
                elif due >= today:
                    status = rng.choice([S.PLANNED, S.DRAFT, S.DRAFT, S.SUBMITTED])
                elif (today - due).days > 60:
                    status = rng.choices([S.ACCEPTED, S.RETURNED, S.PLANNED], [90, 6, 4])[0]
                else:
                    status = rng.choice([S.SUBMITTED, S.RETURNED, S.ACCEPTED, S.PLANNED])
                written = status != S.PLANNED
                reports.append(
                    MissionReport(
                        mission=mission,
                        number=number,
                        kind=period.kind,
                        period_start=period.start,
                        period_end=period.end,
                        due_date=due,
                        status=status,
                        **(TEXT if written else {}),
                    )
                )
        self.counts["mission reports"] += len(bulk(MissionReport, reports))
