"""Recruitment: the vacancy of a case and the experts' applications to it."""

from datetime import UTC, datetime, timedelta

from catalogue.models import DeploymentType
from experts.models import ExpertProfile
from placements.models import Application, Case, Vacancy

from .cases import Plan
from .data import INTERVIEW_NOTES, MOTIVATION, SCREENING_NOTES, pick

S = Case.State
FROM_SHORTLIST_SENT = {
    S.SHORTLIST_SENT, S.CANDIDATE_SELECTED, S.CONTRACTING, S.PREPARING_DEPARTURE, S.ACTIVE,
    S.EXTENSION_REQUESTED, S.CLOSING, S.CLOSED,
}  # fmt: skip
FROM_CANDIDATE_SELECTED = FROM_SHORTLIST_SENT - {S.SHORTLIST_SENT}
FROM_INTERVIEW = {
    Application.Status.INTERVIEWED,
    Application.Status.SHORTLISTED,
    Application.Status.SELECTED,
}


class Recruitment:
    """Vacancies and applications in the statuses the case's state implies."""

    def plan_vacancy(self, plan: Plan, names: list[str], times: list[datetime]):
        """The vacancy as the workflow drafted it from the agreed profile, published when the
        case was, open until screening started (or for a month from publishing)."""
        rng = self.rng
        case, eoi = plan.case, plan.eoi
        drafted = times[names.index("draft_vacancy")]
        published = times[names.index("publish_vacancy")] if "publish_vacancy" in names else None
        if published is None:
            closing = drafted.date() + timedelta(days=30)
        else:
            # The last time the vacancy was opened, and the screening that closed it.
            opened = max(
                i for i, n in enumerate(names) if n in ("publish_vacancy", "recruitment_failed")
            )
            screening = [i for i in range(opened, len(names)) if names[i] == "start_screening"]
            if screening:
                closing = max(
                    times[opened].date(),
                    times[screening[0]].date() - timedelta(days=rng.randint(0, 3)),
                )
            else:
                closing = times[opened].date() + timedelta(days=rng.randint(21, 45))
        plan.vacancy = Vacancy(
            case=case,
            title=eoi.title,
            tasks=case.tasks or eoi.expert_tasks,
            objectives=case.objectives or eoi.objectives,
            competence_profile=case.competence_profile or eoi.competence_skills,
            languages=", ".join(self.language_label(code, level) for code, level in plan.languages),
            closing_date=closing,
            public=rng.random() < 0.4,
            published_at=published,
            created_at=drafted,
        )

    def plan_applications(self, plan: Plan, names: list[str], times: list[datetime], code: str):
        """Up to twelve applications, most from experts the deployment model allows, in the
        statuses the case's state implies."""
        rng = self.rng
        case, state = plan.case, plan.case.state
        selected = case.selected_expert if state in FROM_CANDIDATE_SELECTED else None
        count = rng.randint(1 if state in FROM_SHORTLIST_SENT else 0, 12)
        european = case.deployment_type.required_nationality == DeploymentType.Nationality.EUROPEAN
        eligible = self.pools["european" if european else code]
        experts = [selected] if selected else []
        for _ in range(count * 2):
            if len(experts) >= count:
                break
            pool = eligible if eligible and rng.random() < 0.75 else self.expert_pool
            if not pool:
                break
            expert = rng.choice(pool)
            if expert not in experts:
                experts.append(expert)
        rng.shuffle(experts)

        published = times[names.index("publish_vacancy")]
        screening = [t for n, t in zip(names, times, strict=True) if n == "start_screening"]
        closing = plan.vacancy.closing_date
        closed = min(
            screening[0] if screening else self.base - timedelta(hours=1),
            datetime(closing.year, closing.month, closing.day, tzinfo=UTC) + timedelta(days=1),
        )
        decided = [
            t
            for n, t in zip(names, times, strict=True)
            if n in ("start_screening", "send_shortlist", "select_candidate", "recruitment_failed")
        ]
        shortlisted = set()
        if state == S.SHORTLIST_SENT:
            shortlisted = {id(e) for e in rng.sample(experts, rng.randint(1, min(3, len(experts))))}
        elif selected:
            # The others the host commune had on its shortlist.
            others = [e for e in experts if e is not selected]
            shortlisted = {id(e) for e in rng.sample(others, min(len(others), rng.randint(0, 2)))}
        for expert in experts:
            created = published + (closed - published) * rng.uniform(0.02, 0.98)
            status, shared = self.application_status(state, expert, selected, shortlisted)
            by_staff = status != Application.Status.APPLIED and rng.random() < 0.1
            application = Application(
                vacancy=plan.vacancy,
                expert=expert,
                status=status,
                shared_with_commune=shared,
                proposed_by_staff=by_staff,
                motivation="" if by_staff else self.motivation(plan, expert),
                created_at=created,
            )
            if status == Application.Status.APPLIED:
                application.updated_at = created
            elif status == Application.Status.WITHDRAWN:
                application.updated_at = created + (self.base - created) * rng.uniform(0, 0.3)
            else:
                application.updated_at = max(created, decided[-1] if decided else created)
            if status not in (Application.Status.APPLIED, Application.Status.WITHDRAWN):
                if not by_staff or rng.random() < 0.5:
                    application.screening_notes = rng.choice(SCREENING_NOTES)
                if status in FROM_INTERVIEW or (shared and rng.random() < 0.8):
                    application.interview_notes = rng.choice(INTERVIEW_NOTES)
            plan.applications.append(application)

    def application_status(
        self, state: str, expert, selected, shortlisted: set
    ) -> tuple[str, bool]:
        """An application's status in a case of this state, and whether the host commune has it
        on the shortlist sent to it."""
        A = Application.Status
        if expert is selected:
            return A.SELECTED, True
        if id(expert) in shortlisted:
            return (A.SHORTLISTED, True) if state == S.SHORTLIST_SENT else (A.DECLINED, True)
        if state == S.PUBLISHED:
            weights = {A.APPLIED: 85, A.SCREENED: 5, A.WITHDRAWN: 10}
        elif state == S.SCREENING:
            weights = {
                A.APPLIED: 30,
                A.SCREENED: 35,
                A.INTERVIEWED: 20,
                A.SHORTLISTED: 8,
                A.WITHDRAWN: 7,
            }
        elif state == S.SHORTLIST_SENT:
            weights = {A.SCREENED: 40, A.INTERVIEWED: 30, A.DECLINED: 20, A.WITHDRAWN: 10}
        else:
            weights = {A.DECLINED: 85, A.WITHDRAWN: 15}
        return pick(self.rng, weights), False

    def motivation(self, plan: Plan, expert: ExpertProfile) -> str:
        """A short motivation letter from what the expert's profile holds."""
        rng = self.rng
        profile = self.profiles[id(expert)]
        shared = [code for code in profile.themes if code in plan.themes]
        values = {
            "title": plan.eoi.title,
            "host": self.town_of[id(plan.hosts[0])],
            "german": plan.partnership.german_commune.name,
            "years": expert.years_municipal_experience,
            "themes": ", ".join(
                self.theme_label(code).lower() for code in shared or profile.themes
            ),
            "keyword": rng.choice(expert.keywords.split(", ")),
            "languages": ", ".join(
                self.language_label(code, level) for code, level in profile.languages
            ),
        }
        parts = [rng.choice(MOTIVATION["opening"])]
        if profile.positions:
            values["employer"], _country, values["role"], _start, _end = profile.positions[0]
            parts.append(rng.choice(MOTIVATION["career"]))
        parts.append(rng.choice(MOTIVATION["fit" if shared else "no_fit"]))
        parts.append(rng.choice(MOTIVATION["close"]))
        return " ".join(parts).format(**values)
