"""The documents of placements as PDF: the case summary, a mission report, the portfolio of a
filtered set of missions and the decision letter to the communes. Each loads what it shows in a
fixed number of queries, renders a template of templates/pdf/ and hands it to portal.pdf (the
restricted fetcher, the time limit, the fonts and the tagged PDF/UA variant)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from partnerships.models import Commune, Partnership
from partnerships.policies import party_communes
from portal.pdf import Rendered, render_pdf

from .models import Case, CaseEvent, IndicatorValue, Mission, MissionReport

# The three principles of the programme: what the communes promised in their expression of
# interest, and what the expert reported.
PRINCIPLES = [
    ("transparency", "transparency"),
    ("cooperation", "cooperation"),
    ("inclusion", "inclusion"),
]
MISSION_STATES = [s for s, stage in Case.STAGE_OF.items() if stage == Case.Stage.MISSION]
DECIDED_APPROVED = {
    s for s, stage in Case.STAGE_OF.items() if stage in (Case.Stage.RECRUITMENT, "mission")
} | {Case.State.APPROVED}


def principle_titles() -> dict[str, str]:
    return {
        "transparency": _("Transparency"),
        "cooperation": _("Cooperation between departments and institutions"),
        "inclusion": _("Attention to women and other disadvantaged groups"),
    }


def decision_of(case: Case) -> str | None:
    """ "approved" once the programme approved the request (also later in recruitment and
    mission), "declined" when it declined it, else None (nothing decided yet)."""
    if case.state == Case.State.DECLINED:
        return "declined"
    if case.state in DECIDED_APPROVED:
        return "approved"
    return None


# --- Case summary ----------------------------------------------------------------------------


def _communes_ordered():
    return Commune.objects.order_by("name")


def cases_for_summary(cases):
    """The cases with everything their summary shows, in a fixed number of queries."""
    return cases.select_related(
        "eoi__initiating_commune",
        "deployment_type",
        "case_officer",
        "selected_expert",
        "mission__expert",
    ).prefetch_related(
        Prefetch(
            "eoi__partnerships",
            queryset=Partnership.objects.select_related("german_commune").prefetch_related(
                Prefetch("partner_communes", queryset=_communes_ordered())
            ),
        ),
        Prefetch("eoi__host_communes", queryset=_communes_ordered()),
        Prefetch("host_communes", queryset=_communes_ordered()),
        "eoi__themes",
        "eoi__sdgs",
        "eoi__languages",
        Prefetch("events", queryset=CaseEvent.objects.order_by("created_at", "pk")),
        Prefetch("mission__reports", queryset=MissionReport.objects.order_by("number")),
        "mission__reports__sdgs",
        "mission__objectives__indicators",
    )


@dataclass
class CaseSummary:
    case: Case
    partnerships: list
    hosts: list
    mission: Mission | None
    reports: list = field(default_factory=list)
    latest_accepted: MissionReport | None = None
    objectives: list = field(default_factory=list)
    principles: list = field(default_factory=list)
    sdgs: list = field(default_factory=list)
    report_sdgs: list = field(default_factory=list)
    decision: str | None = None


def _mission_of(case) -> Mission | None:
    try:
        return case.mission
    except Mission.DoesNotExist:
        return None


def case_summaries(cases) -> list[CaseSummary]:
    """What the summary of each case shows; ``cases`` come from cases_for_summary. Only accepted
    reports give results (what both communes may read)."""
    cases = list(cases)
    missions = [m for m in (_mission_of(c) for c in cases) if m is not None]
    values = IndicatorValue.objects.filter(
        report__mission__in=missions, report__status=MissionReport.Status.ACCEPTED
    ).order_by("report__number")
    latest_values = {v.indicator_id: v for v in values}
    titles = principle_titles()
    summaries = []
    for case in cases:
        mission = _mission_of(case)
        reports = list(mission.reports.all()) if mission else []
        accepted = [r for r in reports if r.status == MissionReport.Status.ACCEPTED]
        latest = accepted[-1] if accepted else None
        summaries.append(
            CaseSummary(
                case=case,
                partnerships=list(case.eoi.partnerships.all()),
                hosts=list(case.host_communes.all()) or list(case.eoi.host_communes.all()),
                mission=mission,
                reports=reports,
                latest_accepted=latest,
                objectives=[
                    (o, [(i, latest_values.get(i.pk)) for i in o.indicators.all()])
                    for o in (mission.objectives.all() if mission else [])
                ],
                principles=[
                    (
                        titles[key],
                        getattr(case.eoi, attribute),
                        getattr(latest, attribute) if latest else "",
                    )
                    for key, attribute in PRINCIPLES
                ],
                sdgs=list(case.eoi.sdgs.all()),
                report_sdgs=list(latest.sdgs.all()) if latest else [],
                decision=decision_of(case),
            )
        )
    return summaries


def case_summary_pdf(cases) -> Rendered:
    """One case's summary, or several one after the other (an admin action)."""
    summaries = case_summaries(cases_for_summary(cases))
    if len(summaries) == 1:
        title = _("Case summary: %(title)s") % {"title": summaries[0].case.eoi}
    else:
        title = _("Case summaries (%(count)s cases)") % {"count": len(summaries)}
    return render_pdf("pdf/case_summary.html", {"summaries": summaries}, title=title)


# --- Mission report ----------------------------------------------------------------------------

PDF_REPORT_STATUSES = (MissionReport.Status.SUBMITTED, MissionReport.Status.ACCEPTED)


def report_pdf(report: MissionReport) -> Rendered:
    """One submitted (or accepted) report as a document."""
    report = (
        MissionReport.objects.filter(pk=report.pk)
        .select_related("mission__expert", "mission__case__eoi", "mission__case__deployment_type")
        .prefetch_related(
            Prefetch("mission__case__eoi__host_communes", queryset=_communes_ordered()),
            Prefetch("mission__case__host_communes", queryset=_communes_ordered()),
            "mission__case__eoi__partnerships__german_commune",
            "progress__objective",
            "indicator_values__indicator",
            "sdgs",
            "attachments",
        )
        .get()
    )
    case = report.mission.case
    titles = principle_titles()
    context = {
        "report": report,
        "mission": report.mission,
        "case": case,
        "hosts": list(case.host_communes.all()) or list(case.eoi.host_communes.all()),
        "german_communes": sorted(
            {p.german_commune for p in case.eoi.partnerships.all()}, key=lambda c: c.name
        ),
        "progress": sorted(report.progress.all(), key=lambda p: (p.objective.position, p.pk)),
        "values": sorted(report.indicator_values.all(), key=lambda v: v.indicator_id),
        "principles": [(titles[k], getattr(report, a)) for k, a in PRINCIPLES],
    }
    title = _("%(report)s – %(title)s") % {"report": report, "title": case.eoi}
    return render_pdf("pdf/mission_report.html", context, title=title)


# --- Decision letter ---------------------------------------------------------------------------


def decision_letter_pdf(case: Case) -> Rendered:
    """The letter to the communes that the programme approved or declined their request."""
    case = cases_for_summary(Case.objects.filter(pk=case.pk)).get()
    decision = decision_of(case)
    if decision is None:
        raise ValueError("No decision has been taken on this case yet.")
    wanted = "declined" if decision == "declined" else "approved"
    decided = [e for e in case.events.all() if e.to_state == wanted]
    context = {
        "case": case,
        "eoi": case.eoi,
        "decision": decision,
        "communes": party_communes(case.eoi),
        "decided_on": decided[-1].created_at if decided else case.state_changed_at,
    }
    title = (
        _("Your request for an expert has been approved")
        if decision == "approved"
        else _("Your request for an expert has been declined")
    )
    return render_pdf("pdf/decision_letter.html", context, title=title)


# --- Portfolio ---------------------------------------------------------------------------------


def _by_the_case(rows, filters: dict, case: str):
    """``rows`` (cases, or missions with ``case="case__"``) narrowed by the filters on their
    case: country code, deployment model code, theme code, SDG number and case state."""
    if country := filters.get("country"):
        rows = rows.filter(
            Q(**{f"{case}host_communes__country": country})
            | Q(**{f"{case}eoi__host_communes__country": country})
        )
    if model := filters.get("model"):
        rows = rows.filter(**{f"{case}deployment_type__code": model})
    if theme := filters.get("theme"):
        rows = rows.filter(**{f"{case}eoi__themes__code": theme})
    if sdg := filters.get("sdg"):
        rows = rows.filter(**{f"{case}eoi__sdgs__number": sdg})
    if state := filters.get("state"):
        rows = rows.filter(**{f"{case}state": state})
    return rows


def portfolio_missions(missions, filters: dict):
    """The missions a portfolio covers: ``filters`` as PortfolioForm cleans them (the filters of
    _by_the_case and a period the mission overlaps)."""
    if chosen := filters.get("missions"):
        missions = missions.filter(pk__in=chosen)
    missions = _by_the_case(missions, filters, "case__")
    if start := filters.get("period_from"):
        missions = missions.filter(
            Q(actual_end__gte=start) | Q(actual_end__isnull=True, planned_end__gte=start)
        )
    if end := filters.get("period_to"):
        missions = missions.filter(start__lte=end)
    # Filters over many-to-many rows may repeat a mission: count each once.
    return Mission.objects.filter(pk__in=missions.values("pk"))


def portfolio_cases(cases, filters: dict):
    """The cases a portfolio of cases covers, also those not yet in a mission. A case with a
    mission is in the period when its mission overlaps it; one without from its creation until
    it ended (declined, withdrawn) or still open."""
    if chosen := filters.get("cases"):
        cases = cases.filter(pk__in=chosen)
    cases = _by_the_case(cases, filters, "")
    if start := filters.get("period_from"):
        cases = cases.filter(
            Q(mission__actual_end__gte=start)
            | Q(mission__actual_end__isnull=True, mission__planned_end__gte=start)
            | Q(mission__isnull=True)
            & (~Q(state__in=Case.FINAL_STATES) | Q(state_changed_at__date__gte=start))
        )
    if end := filters.get("period_to"):
        cases = cases.filter(
            Q(mission__start__lte=end) | Q(mission__isnull=True, created_at__date__lte=end)
        )
    return Case.objects.filter(pk__in=cases.values("pk"))


def portfolio_rows(missions, cases, filters: dict):
    """What a portfolio with these filters covers: cases when the filters ask for cases
    (``subject``), else missions; ``missions`` and ``cases`` are those the user may read."""
    if filters.get("subject") == "cases" or filters.get("cases"):
        return portfolio_cases(cases, filters)
    return portfolio_missions(missions, filters)


BAR_HEIGHT, BAR_MAX = 14, 300


def _chart(title: str, counts: Counter, labels: dict) -> dict:
    """A horizontal bar chart the template draws as SVG: one bar per key, largest first, the
    longest bar BAR_MAX units wide."""
    top = max(counts.values(), default=0) or 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], str(labels.get(kv[0], kv[0]))))
    return {
        "title": title,
        "bars": [
            {
                "label": labels.get(key, key),
                "count": count,
                "y": i * BAR_HEIGHT,
                "width": round(BAR_MAX * count / top, 1),
            }
            for i, (key, count) in enumerate(ordered)
        ],
        "height": max(len(ordered), 1) * BAR_HEIGHT + 4,
    }


@dataclass
class MissionBlock:
    """One case of the portfolio: its mission's data, or (a case before its mission) its state
    and stage."""

    case: Case
    mission: Mission | None
    title: str
    hosts: list
    german_communes: list
    countries: list
    accepted: int
    reports: int
    overdue: int
    latest_results: str


def portfolio_context(rows, filters: dict, *, today: date | None = None) -> dict:
    """Totals, the breakdown by country and deployment model, the charts and one block per
    mission (``rows`` are missions) or per case (``rows`` are cases, also those not yet in a
    mission), in a fixed number of queries."""
    today = today or timezone.localdate()
    of_cases = rows.model is Case
    cases = rows if of_cases else Case.objects.filter(mission__in=rows)
    cases = list(
        cases.select_related("mission__expert", "eoi", "deployment_type")
        .prefetch_related(
            Prefetch("host_communes", queryset=_communes_ordered()),
            Prefetch("eoi__host_communes", queryset=_communes_ordered()),
            Prefetch(
                "eoi__partnerships",
                queryset=Partnership.objects.select_related("german_commune"),
            ),
            "eoi__themes",
            Prefetch(
                "mission__reports",
                queryset=MissionReport.objects.only(
                    "pk", "mission_id", "number", "status", "due_date", "results"
                ).order_by("number"),
            ),
        )
        .order_by("eoi__title", "pk")[: settings.PDF_PORTFOLIO_MAX]
    )
    models = {t.code: str(t) for t in DeploymentType.objects.all()}
    states = dict(Case.State.choices)
    themes = {t.code: str(t) for t in Theme.objects.all()}
    by_model, by_state, by_theme, by_country = Counter(), Counter(), Counter(), Counter()
    by_stage = Counter()
    breakdown: dict[str, Counter] = {}
    country_names = {}
    blocks = []
    accepted_total = overdue_total = 0
    for case in cases:
        mission = _mission_of(case)
        hosts = list(case.host_communes.all()) or list(case.eoi.host_communes.all())
        countries = sorted({h.country.code for h in hosts})
        for h in hosts:
            country_names[h.country.code] = str(h.country.name)
        model = case.deployment_type.code if case.deployment_type else ""
        by_model[model] += 1
        by_state[case.state] += 1
        by_stage[case.stage] += 1
        for theme in case.eoi.themes.all():
            by_theme[theme.code] += 1
        for code in countries or [""]:
            by_country[code] += 1
            breakdown.setdefault(code, Counter())[model] += 1
        reports = list(mission.reports.all()) if mission else []
        accepted = [r for r in reports if r.status == MissionReport.Status.ACCEPTED]
        overdue = sum(1 for r in reports if r.is_overdue(today))
        accepted_total += len(accepted)
        overdue_total += overdue
        blocks.append(
            MissionBlock(
                case=case,
                mission=mission,
                title=str(case.eoi),
                hosts=hosts,
                german_communes=sorted(
                    {p.german_commune for p in case.eoi.partnerships.all()}, key=lambda c: c.name
                ),
                countries=[country_names.get(c, c) for c in countries],
                accepted=len(accepted),
                reports=len(reports),
                overdue=overdue,
                latest_results=accepted[-1].results if accepted else "",
            )
        )
    model_codes = [code for code in models if by_model[code]] + ([""] if by_model[""] else [])
    models[""] = _("not yet chosen")
    country_names[""] = _("no host commune yet")
    rows = [
        (country_names.get(code, code), [breakdown[code][m] for m in model_codes], by_country[code])
        for code in sorted(breakdown, key=lambda c: country_names.get(c, c))
    ]
    if of_cases:
        charts = [
            _chart(_("Cases by stage"), by_stage, dict(Case.Stage.choices)),
            _chart(_("Cases by deployment model"), by_model, models),
            _chart(_("Cases by state"), by_state, states),
            _chart(_("Cases by thematic field"), by_theme, themes),
        ]
    else:
        charts = [
            _chart(_("Missions by deployment model"), by_model, models),
            _chart(_("Missions by state"), by_state, states),
            _chart(_("Missions by thematic field"), by_theme, themes),
        ]
    return {
        "of_cases": of_cases,
        "filters": describe_filters(filters),
        "count": len(cases),
        "missions_count": sum(1 for b in blocks if b.mission),
        "before_mission_count": sum(1 for b in blocks if not b.mission),
        "active_count": sum(by_state[s] for s in ("active", "extension_requested")),
        "ended_count": sum(by_state[s] for s in ("closing", "closed")),
        "countries_count": len([c for c in by_country if c]),
        "accepted_reports": accepted_total,
        "overdue_reports": overdue_total,
        "model_columns": [models[m] for m in model_codes],
        "model_totals": [by_model[m] for m in model_codes],
        "breakdown": rows,
        "charts": charts,
        "blocks": blocks,
        "today": today,
    }


def describe_filters(filters: dict) -> list[tuple[str, str]]:
    """The portfolio's filters in words, for its first page."""
    described = []
    if chosen := filters.get("missions"):
        described.append((_("Missions selected in the admin"), len(chosen)))
    if chosen := filters.get("cases"):
        described.append((_("Cases selected in the admin"), len(chosen)))
    if country := filters.get("country"):
        described.append((_("Country"), str(Commune(country=country).country.name)))
    if model := filters.get("model"):
        described.append((_("Deployment model"), str(DeploymentType(code=model))))
    if theme := filters.get("theme"):
        described.append((_("Thematic field"), str(Theme(code=theme))))
    if sdg := filters.get("sdg"):
        described.append((_("SDG"), str(SustainableDevelopmentGoal(number=sdg))))
    if state := filters.get("state"):
        described.append((_("State"), str(Case.State(state).label)))
    if start := filters.get("period_from"):
        described.append((_("Active from"), date.fromisoformat(start)))
    if end := filters.get("period_to"):
        described.append((_("Active until"), date.fromisoformat(end)))
    return described


def portfolio_pdf(rows, filters: dict, *, seconds=None, progress=None) -> Rendered:
    """The portfolio summary of the missions or cases (at most PDF_PORTFOLIO_MAX)."""
    context = portfolio_context(rows, filters)
    if progress:
        progress(0.3)
    return render_pdf(
        "pdf/portfolio.html",
        context,
        title=_("Portfolio summary"),
        seconds=seconds,
        progress=progress,
    )
