"""Writing the plan: the experts' profiles, the expressions of interest, their events and cases,
vacancies and applications."""

import json
from collections import Counter
from datetime import timedelta

from django.db import connection

from experts.models import ExpertLanguage, ExpertProfile, Position
from partnerships.models import (
    Comment,
    Confirmation,
    EOIEvent,
    ExpressionOfInterest,
    RequiredLanguage,
)
from partnerships.services import eoi_comment, eoi_confirmation, eoi_event
from placements.models import Application, Case, CaseEvent, Mission, SalaryTopUp, Vacancy
from placements.workflow import APPLICANTS, TRANSITIONS, case_event
from portal import roles

from .cases import Plan
from .paths import Step
from .writing import bulk, insert, link


class Store:
    """Writes the planned rows in bulk, in the order their keys are needed."""

    def actor(self, step: Step, plan: Plan, case: Case):
        t = TRANSITIONS[step.transition]
        if t.roles == APPLICANTS:
            commune = self.rng.choice([plan.partnership.german_commune, *plan.hosts])
            return self.rng.choice(self.members_of[id(commune)])
        if roles.GIZ in t.roles:
            return self.rng.choice(self.recruiters)
        if case.case_officer and self.rng.random() < 0.7:
            return case.case_officer
        return self.rng.choice(self.skew)

    def write_profiles(self):
        experts = [(e, self.profiles[id(e)]) for e in self.expert_pool]
        link(
            ExpertProfile.expertise.through,
            ("expertprofile_id", "theme_id"),
            ((e.pk, self.themes[code].pk) for e, p in experts for code in p.themes),
        )
        link(
            ExpertProfile.open_to_models.through,
            ("expertprofile_id", "deploymenttype_id"),
            ((e.pk, self.types[code].pk) for e, p in experts for code in p.models),
        )
        self.counts["expert languages"] += insert(
            ExpertLanguage,
            ("expert", "language", "level"),
            ((e.pk, *language) for e, p in experts for language in p.languages),
        )
        self.counts["previous positions"] += insert(
            Position,
            ("expert", "employer", "country", "role", "start", "end"),
            ((e.pk, *position) for e, p in experts for position in p.positions),
        )

    def write_requests(self, plans: list[Plan]):
        rng = self.rng
        eois = [plan.eoi for plan in plans]
        self.counts["expressions of interest"] += len(bulk(ExpressionOfInterest, eois))
        EOI = ExpressionOfInterest
        link(
            EOI.partnerships.through,
            ("expressionofinterest_id", "partnership_id"),
            ((p.eoi.pk, p.partnership.pk) for p in plans),
        )
        link(
            EOI.host_communes.through,
            ("expressionofinterest_id", "commune_id"),
            ((p.eoi.pk, h.pk) for p in plans for h in p.hosts),
        )
        link(
            EOI.themes.through,
            ("expressionofinterest_id", "theme_id"),
            ((p.eoi.pk, self.themes[t].pk) for p in plans for t in p.themes),
        )
        link(
            EOI.sdgs.through,
            ("expressionofinterest_id", "sustainabledevelopmentgoal_id"),
            ((p.eoi.pk, self.sdgs[n].pk) for p in plans for n in p.sdgs),
        )
        link(
            EOI.preferred_deployment_types.through,
            ("expressionofinterest_id", "deploymenttype_id"),
            ((p.eoi.pk, self.types[c].pk) for p in plans for c in p.preferred),
        )
        self.counts["required languages"] += len(
            bulk(
                RequiredLanguage,
                [
                    RequiredLanguage(eoi=p.eoi, language=language, level=level)
                    for p in plans
                    for language, level in p.languages
                ],
            )
        )

        eoi_events, confirmations, comments = [], [], []
        case_events, top_ups, missions = [], [], []
        Kind, Status = EOIEvent.Kind, EOI.Status
        for plan in plans:
            eoi = plan.eoi
            eoi_events.append(
                eoi_event(
                    eoi,
                    Kind.CREATED,
                    eoi.created_by,
                    commune=eoi.initiating_commune,
                    to_status=Status.DRAFT,
                    at=eoi.created_at,
                )
            )
            case = plan.case
            if case is None:
                continue
            parties = [plan.partnership.german_commune, *plan.hosts]
            status, revision = Status.DRAFT, 0
            for step, at, reason in zip(plan.steps, plan.times, plan.reasons, strict=True):
                name = step.transition
                if name in ("submit", "resubmit"):
                    # Each party commune confirms; the last confirmation submits.
                    revision += 1
                    rng.shuffle(parties)
                    for index, commune in enumerate(parties):
                        actor = rng.choice(self.members_of[id(commune)])
                        hours_before = (len(parties) - 1 - index) * rng.uniform(2, 72)
                        confirmed_at = at - timedelta(hours=hours_before)
                        confirmations.append(
                            eoi_confirmation(
                                eoi, commune, actor, revision=revision, at=confirmed_at
                            )
                        )
                        eoi_events.append(
                            eoi_event(eoi, Kind.CONFIRMED, actor, commune=commune, at=confirmed_at)
                        )
                else:
                    actor = self.actor(step, plan, case)
                case_events.append(
                    case_event(
                        case,
                        name,
                        actor,
                        from_state=step.from_state,
                        to_state=step.to_state,
                        reason=reason,
                        at=at,
                    )
                )
                if name in ("submit", "resubmit"):
                    to, kind, note = Status.SUBMITTED, Kind.SUBMITTED, str(revision)
                elif name == "request_information":
                    comments.append(eoi_comment(eoi, actor, reason, from_programme=True, at=at))
                    to, kind, note = Status.CHANGES_REQUESTED, Kind.CHANGES_REQUESTED, reason
                elif name == "withdraw":
                    to, kind, note = Status.WITHDRAWN, Kind.WITHDRAWN, reason
                elif name in ("approve", "decline"):
                    to, kind, note = Status.DECIDED, Kind.DECIDED, reason
                else:
                    continue
                eoi_events.append(
                    eoi_event(eoi, kind, actor, from_status=status, to_status=to, note=note, at=at)
                )
                status = to
            if status != eoi.status:
                raise AssertionError(f"EOI status {eoi.status} does not follow its events")
            if plan.top_up:
                top_ups.append(plan.top_up)
            if plan.mission:
                missions.append(plan.mission)

        self.counts["EOI events"] += len(bulk(EOIEvent, eoi_events))
        self.counts["confirmations"] += len(bulk(Confirmation, confirmations))
        self.counts["comments"] += len(bulk(Comment, comments))
        cases = [p.case for p in plans if p.case is not None]
        self.counts["cases"] += len(bulk(Case, cases))
        link(
            Case.host_communes.through,
            ("case_id", "commune_id"),
            ((p.case.pk, h.pk) for p in plans if p.case is not None for h in p.hosts),
        )
        self.counts["case events"] += len(bulk(CaseEvent, case_events))
        self.counts["salary top-ups"] += len(bulk(SalaryTopUp, top_ups))
        self.counts["missions"] += len(bulk(Mission, missions))
        self.write_reports(missions)
        self.write_events(missions)
        self.counts["vacancies"] += len(bulk(Vacancy, [p.vacancy for p in plans if p.vacancy]))
        moment = connection.ops.adapt_datetimefield_value
        self.counts["applications"] += insert(
            Application,
            (
                "vacancy",
                "expert",
                "status",
                "shared_with_commune",
                "proposed_by_staff",
                "motivation",
                "screening_notes",
                "interview_notes",
                "profile_snapshot",
                "created_at",
                "updated_at",
            ),
            (
                (
                    a.vacancy.pk,
                    a.expert.pk,
                    str(a.status),
                    a.shared_with_commune,
                    a.proposed_by_staff,
                    a.motivation,
                    a.screening_notes,
                    a.interview_notes,
                    json.dumps(self.snapshot(a.expert)),
                    moment(a.created_at),
                    moment(a.updated_at),
                )
                for p in plans
                for a in p.applications
            ),
        )
        self.states = Counter(case.state for case in cases)
