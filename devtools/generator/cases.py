"""Expressions of interest and their cases: the content, the path through the workflow, and what
each state implies (appraisal, agreed profile, selected expert, contract, mission)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from catalogue.models import DeploymentType
from partnerships.models import Commune, ExpressionOfInterest, Partnership
from partnerships.services import PRIVACY_NOTICE_VERSION
from placements.models import STAGE_OF_STATE, Application, Case, Mission, SalaryTopUp, Vacancy

from .data import COUNTRIES, EXTRA_LANGUAGES, REASONS, TEXTS, THEME_TEXTS, first_of_month_after
from .paths import STATE_WEIGHTS, Step, plan_path, timeline, walk

S = Case.State


@dataclass
class Plan:
    """One expression of interest and, when submitted, its case, before they are written."""

    eoi: ExpressionOfInterest
    partnership: Partnership
    hosts: list[Commune]
    themes: list[str]
    sdgs: list[int]
    preferred: list[str]
    languages: list[tuple[str, str]]
    case: Case | None = None
    steps: list[Step] = field(default_factory=list)
    times: list[datetime] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    top_up: SalaryTopUp | None = None
    mission: Mission | None = None
    vacancy: Vacancy | None = None
    applications: list[Application] = field(default_factory=list)


class Cases:
    """Plans expressions of interest and the cases of the submitted ones."""

    def plan_requests(
        self, partnership_links, cases: int, drafts: int, missions: int = 0
    ) -> list[Plan]:
        rng = self.rng
        states = list(STATE_WEIGHTS)
        if cases >= len(states):
            # Every state at least once, the rest by weight.
            chosen = states + rng.choices(
                states, weights=list(STATE_WEIGHTS.values()), k=cases - len(states)
            )
        else:
            chosen = rng.choices(states, weights=list(STATE_WEIGHTS.values()), k=cases)
        if missions:
            # Cases that reached the mission: active ones most, then ending and ended ones.
            mission_states = {S.ACTIVE: 8, S.EXTENSION_REQUESTED: 1, S.CLOSING: 2, S.CLOSED: 3}
            chosen += rng.choices(
                list(mission_states), weights=list(mission_states.values()), k=missions
            )
        rng.shuffle(chosen)
        plans = []
        for state in [*chosen, *([None] * drafts)]:
            partnership, partners, themes = rng.choice(partnership_links)
            plan = self.plan_eoi(partnership, partners, themes, draft=state is None)
            if state is not None:
                self.plan_case(plan, state)
            plans.append(plan)
        return plans

    def plan_eoi(self, partnership, partners, partnership_themes, *, draft: bool) -> Plan:
        rng = self.rng
        german = partnership.german_commune
        hosts = partners[:] if len(partners) > 1 and rng.random() < 0.3 else [rng.choice(partners)]
        host = hosts[0]
        code = str(host.country)
        language = COUNTRIES[code][0]
        theme = (
            rng.choice(partnership_themes)
            if rng.random() < 0.8
            else rng.choice(sorted(self.themes))
        )
        texts = THEME_TEXTS[theme]
        themes = [theme]
        if rng.random() < 0.3:
            second = rng.choice(sorted(self.themes))
            if second not in themes and second != "other":
                themes.append(second)
        topic = rng.choice(THEME_TEXTS["other"]["topics"])
        values = {
            "host": self.town_of[id(host)],
            "german": german.name,
            "topic": topic,
            "topic_lower": topic.lower(),
        }

        def text(key, source=texts):
            return rng.choice(source[key]).format(**values)

        sdgs = set(texts["sdgs"][: rng.randint(1, len(texts["sdgs"]))])
        if rng.random() < 0.3:
            sdgs.add(17)
        preferred = []
        deployment_advice_wanted = rng.random() < 0.15
        if not deployment_advice_wanted or rng.random() < 0.5:
            preferred = rng.sample(sorted(self.types), rng.choice([1, 1, 1, 2]))
        languages = [(language, rng.choice(["B2", "C1", "C1"]))]
        if code in EXTRA_LANGUAGES and rng.random() < 0.4:
            languages.append(EXTRA_LANGUAGES[code])
        if rng.random() < 0.2 and all(lang != "de" for lang, _ in languages):
            languages.append(("de", "B1"))
        initiating = german if rng.random() < 0.6 else host
        eoi = ExpressionOfInterest(
            title=text("titles"),
            status=ExpressionOfInterest.Status.DRAFT,
            initiating_commune=initiating,
            created_by=rng.choice(self.members_of[id(initiating)]),
            theme_other=topic if theme == "other" else "",
            problem_and_needs=text("problem"),
            project_idea=text("idea"),
            objectives=text("objectives"),
            expert_tasks=text("tasks"),
            competence_skills=text("skills"),
            years_of_experience=rng.choice([3, 5, 5, 5, 7, 10]),
            deployment_advice_wanted=deployment_advice_wanted,
            duration_months=rng.choices([24, 12, 18, 36], weights=[70, 8, 10, 12])[0],
            target_groups=text("target_groups", TEXTS),
            inclusion=text("inclusion", TEXTS),
            transparency=text("transparency", TEXTS),
            cooperation=text("cooperation", TEXTS),
            german_contribution=text("german_contribution", TEXTS),
            partner_workplace=text("partner_workplace", TEXTS),
            consent_data_processing=not draft,
        )
        if draft:
            # A draft in progress: the later steps are still empty.
            later = ["inclusion", "transparency", "cooperation", "german_contribution"]
            for name in rng.sample([*later, "partner_workplace"], rng.randint(0, 4)):
                setattr(eoi, name, "")
            eoi.created_at = self.base - timedelta(days=rng.uniform(1, 180))
            eoi.updated_at = eoi.created_at + timedelta(
                days=rng.uniform(0, (self.base - eoi.created_at).days)
            )
            eoi.intended_start = first_of_month_after(
                self.today + timedelta(days=rng.randint(120, 300))
            )
        return Plan(eoi, partnership, hosts, themes, sorted(sdgs), preferred, languages)

    def plan_case(self, plan: Plan, state: str):
        rng = self.rng
        eoi = plan.eoi
        path = plan_path(rng, state)
        steps, resume = walk(path)
        assert steps[-1].to_state == state
        names = [s.transition for s in steps]
        if "begin_closing" in names and "terminate_early" not in names:
            # A case that ran to its end within three years had a short mission.
            eoi.duration_months = rng.choices([12, 18, 24], weights=[3, 3, 4])[0]
        months = eoi.duration_months
        grants = [rng.choice([3, 6]) for n in names if n == "grant_extension"]
        times = timeline(rng, self.base, steps, state, months, grants)
        dates = [t.date() for t in times]
        plan.steps, plan.times = steps, times
        plan.reasons = [self.reason(step.transition) for step in steps]

        # The expression of interest, as the submissions and decisions left it.
        submissions = [i for i, s in enumerate(steps) if s.transition in ("submit", "resubmit")]
        eoi.submitted_at = times[submissions[-1]]
        eoi.revision = len(submissions)
        eoi.privacy_notice_version = PRIVACY_NOTICE_VERSION
        eoi.created_at = times[0] - timedelta(days=rng.uniform(10, 120))
        eoi_moves = [
            i
            for i, s in enumerate(steps)
            if s.transition
            in ("submit", "resubmit", "request_information", "approve", "decline", "withdraw")
        ]
        eoi.updated_at = times[eoi_moves[-1]]
        eoi.intended_start = first_of_month_after(dates[0] + timedelta(days=rng.randint(120, 300)))
        if "approve" in names or "decline" in names:
            eoi.status = ExpressionOfInterest.Status.DECIDED
        elif state == S.WITHDRAWN:
            eoi.status = ExpressionOfInterest.Status.WITHDRAWN
        elif state == S.INFO_REQUESTED:
            eoi.status = ExpressionOfInterest.Status.CHANGES_REQUESTED
        else:
            eoi.status = ExpressionOfInterest.Status.SUBMITTED

        case = Case(
            eoi=eoi,
            state=state,
            stage=STAGE_OF_STATE[state],
            state_changed_at=times[-1],
            resume_state=resume,
            case_officer=rng.choice(self.skew) if len(steps) > 1 or rng.random() < 0.5 else None,
            planned_start=eoi.intended_start,
            duration_months=months,
            created_at=times[0],
        )
        plan.case = case
        countries = {str(h.country) for h in plan.hosts}
        code = next(iter(countries))

        # Appraisal and agreed profile.
        agreed = "agree_profile" in names
        if (
            agreed
            or (state == S.APPRAISAL and rng.random() < 0.5)
            or (
                "confirm_eligibility" in names
                and state in (S.DECLINED, S.WITHDRAWN, S.ON_HOLD)
                and rng.random() < 0.3
            )
        ):
            eligible_at = dates[names.index("confirm_eligibility")]
            if agreed:
                latest = dates[names.index("agree_profile")]
            else:
                latest = self.today if state == S.APPRAISAL else dates[-1]
            case.appraisal_mode = rng.choice(Case.AppraisalMode.values)
            case.appraisal_date = eligible_at + timedelta(
                days=rng.randint(0, max(0, (latest - eligible_at).days - 1))
            )
            case.appraisal_findings = rng.choice(TEXTS["appraisal_findings"])
        selected = contracted = False
        for name in names:
            if name == "select_candidate":
                selected = True
            elif name == "recruitment_failed":
                selected = False
            elif name == "start_contracting":
                contracted = True
        if agreed:
            case.competence_profile = eoi.competence_skills
            case.tasks = eoi.expert_tasks
            case.objectives = eoi.objectives
            agreed_on = dates[names.index("agree_profile")]
            if case.planned_start < agreed_on + timedelta(days=60):
                case.planned_start = first_of_month_after(agreed_on + timedelta(days=120))
            case.deployment_type = self.types[self.deployment_type(case, plan, code, selected)]
        if selected:
            model = case.deployment_type
            if model.required_nationality == DeploymentType.Nationality.EUROPEAN:
                case.selected_expert = self.select_expert("european", self.european_nationality())
            else:
                case.selected_expert = self.select_expert(code, code)
            case.host_commune_chose_expert = True
            models = self.profiles[id(case.selected_expert)].models
            if model.code not in models:
                models.append(model.code)
        if contracted:
            case.contract_party = case.deployment_type.contract_party
            if case.deployment_type.salary_top_up:
                _lang, _tz, currency, rate, _group, _regions = COUNTRIES[code]
                local = Decimal(rng.uniform(500, 1500) * rate)
                plan.top_up = SalaryTopUp(
                    case=case,
                    local_salary=local.quantize(Decimal("1")) if rate > 50 else round(local, 2),
                    local_currency=currency,
                    top_up=Decimal(rng.randrange(1800, 3500, 50)),
                    note=rng.choice(["", "", "Reviewed yearly with the host commune."]),
                )
        if "prepare_departure" in names:
            if "start_mission" in names:
                case.contract_start = dates[names.index("start_mission")]
            else:
                case.contract_start = dates[names.index("prepare_departure")] + timedelta(
                    days=rng.randint(20, 60)
                )
        if "start_mission" in names:
            start = case.contract_start
            mission = Mission(
                case=case,
                expert=case.selected_expert,
                start=start,
                planned_end=start + relativedelta(months=months),
            )
            grant = iter(grants)
            for index, name in enumerate(names):
                if name == "grant_extension":
                    extra = next(grant)
                    mission.extension_months += extra
                    mission.planned_end += relativedelta(months=extra)
                elif name == "terminate_early":
                    mission.terminated_early = True
                    mission.actual_end = dates[index]
                elif name == "close" and mission.actual_end is None:
                    mission.actual_end = min(dates[index], mission.planned_end)
            plan.mission = mission
        if state == S.DECLINED:
            case.decline_reason = plan.reasons[-1]
        if "draft_vacancy" in names:
            self.plan_vacancy(plan, names, times)
        if "publish_vacancy" in names:
            self.plan_applications(plan, names, times, code)

    def reason(self, transition: str) -> str:
        if transition in REASONS:
            return self.rng.choice(REASONS[transition])
        return ""

    def deployment_type(self, case: Case, plan: Plan, country: str, needs_expert: bool) -> str:
        """A model allowed in the host country on the planned start, preferably one the communes
        asked for and, for a case with a selected expert, one with a fitting expert in the pool.
        Moves the planned start to when a model becomes allowed if none is yet."""
        allowed = self.allowed_types(country, case.planned_start)
        if not allowed:
            for day in self.rule_dates:
                if day > case.planned_start and (allowed := self.allowed_types(country, day)):
                    case.planned_start = day
                    break
        if needs_expert:
            staffed = [
                code
                for code in allowed
                if self.pools[
                    "european"
                    if self.types[code].required_nationality == DeploymentType.Nationality.EUROPEAN
                    else country
                ]
            ]
            allowed = staffed or allowed
        preferred = [code for code in plan.preferred if code in allowed]
        return self.rng.choice(preferred or allowed)
