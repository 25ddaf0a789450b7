"""Ranking experts for a case, in the database: applicants first, then the consenting pool.

Every criterion is an annotation, so the ranking is one query whatever the pool's size, and the
explanation of a candidate's score is read from the same row. The criteria read each expert's
MatchingProfile, one narrow row that the database keeps up to date (experts.models): ranking
reads every expert of the pool, and that row is the cheapest way to read them.
"""

import operator
from dataclasses import dataclass
from datetime import date
from functools import reduce

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models import Case as When_
from django.db.models.functions import Cast, Coalesce, Least
from django.utils.translation import gettext as _

from catalogue.models import DeploymentType
from experts.models import ExpertProfile, MatchingProfile

from .models import Application, Case
from .policies import hosts_of

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
# Points per criterion; the score is out of 100.
WEIGHTS = {"skills": 35, "languages": 30, "availability": 15, "country": 10, "experience": 10}


def _holds_any(field: str, items) -> Q:
    """The list in `field`, written ",A,B,", holds one of `items` (a whole item: ",A," is not
    found in ",AB,"); false without items."""
    if not items:
        return Q(pk__isnull=True)
    return reduce(operator.or_, (Q(**{f"{field}__contains": f",{item},"}) for item in items))


@dataclass(frozen=True)
class Requirements:
    themes: list[int]
    languages: list[tuple[str, str]]  # (code, minimum level)
    model: DeploymentType | None
    host_countries: list[str]
    start: date | None

    @classmethod
    def of(cls, case: Case) -> "Requirements":
        eoi = case.eoi
        hosts = hosts_of(case)
        return cls(
            themes=list(eoi.themes.values_list("pk", flat=True)),
            languages=list(eoi.languages.values_list("language", "level")),
            model=case.deployment_type,
            host_countries=sorted({c.country.code for c in hosts}),
            start=case.planned_start or eoi.intended_start,
        )


def _eligibility(req: Requirements, to: str) -> Q:
    if req.model is None:
        return Q(pk__isnull=False)
    if req.model.required_nationality == DeploymentType.Nationality.EUROPEAN:
        return Q(**{f"{to}european": True})
    if not req.host_countries:
        return Q(pk__isnull=True)
    return _holds_any(f"{to}nationalities", req.host_countries)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _applicants(case: Case):
    return (
        Application.objects.filter(vacancy__case=case)
        .exclude(status=Application.Status.WITHDRAWN)
        .values("expert_id")
    )


def _rank(queryset, req: Requirements, applicants, filters: dict, to: str):
    """`queryset` (of MatchingProfile, `to` "", or of ExpertProfile, `to` "matching__") narrowed
    to the pool, annotated with every criterion and the score, and ordered.

    `is_applicant` is a subquery that does not refer to the outer row: the database runs it once
    and looks every expert up in its result (PostgreSQL's "hashed SubPlan")."""
    pool = queryset.filter(
        Q(**{f"{to}anonymised": False})
        & (Q(**{f"{to}consent_to_be_found": True}) | Q(pk__in=applicants))
    )
    has_theme = [
        When_(
            When(**{f"{to}themes__contains": f",{theme},"}, then=1),
            default=0,
            output_field=IntegerField(),
        )
        for theme in req.themes
    ]
    annotations = {
        "is_applicant": _flag(Q(pk__in=applicants)),
        "eligible": _flag(_eligibility(req, to)),
        "skills_matched": sum(has_theme[1:], has_theme[0]) if has_theme else Value(0),
        "available": _flag(
            Q(**{f"{to}earliest_availability__lte": req.start})
            if req.start
            else Q(pk__isnull=False)
        ),
        "country_experience": _flag(_holds_any(f"{to}countries_worked_in", req.host_countries)),
    }
    for code, minimum in req.languages:
        accepted = [f"{code}:{level}" for level in LEVELS[LEVELS.index(minimum) :]]
        annotations[f"lang_{code}"] = _flag(_holds_any(f"{to}languages", accepted))
    pool = pool.annotate(**annotations)

    def points(flag: str, weight: float):
        # Cast: a float constant for PostgreSQL, instead of a numeric cast again for every row.
        return When_(
            When(**{flag: True}, then=Cast(Value(float(weight)), FloatField())),
            default=Cast(Value(0.0), FloatField()),
            output_field=FloatField(),
        )

    years = Coalesce(F(f"{to}years_municipal_experience"), 0)
    score = (
        Cast(F("skills_matched"), FloatField()) * (WEIGHTS["skills"] / max(len(req.themes), 1))
        + points("available", WEIGHTS["availability"])
        + points("country_experience", WEIGHTS["country"])
        + Cast(Least(years, Value(10)), FloatField()) * (WEIGHTS["experience"] / 10)
    )
    if req.languages:
        for code, _minimum in req.languages:
            score = score + points(f"lang_{code}", WEIGHTS["languages"] / len(req.languages))
    else:
        score = score + Value(float(WEIGHTS["languages"]))
    pool = pool.annotate(score=score)

    if theme := filters.get("skill"):
        pool = pool.filter(_holds_any(f"{to}themes", [theme.pk]))
    if language := filters.get("language"):
        pool = pool.filter(**{f"{to}languages__contains": f",{language}:"})
    if nationality := filters.get("nationality"):
        pool = pool.filter(_holds_any(f"{to}nationalities", [nationality]))
    if available_by := filters.get("available_by"):
        pool = pool.filter(**{f"{to}earliest_availability__lte": available_by})
    return pool.order_by(*ORDER)


ORDER = ("-eligible", "-is_applicant", "-score", "full_name", "pk")


def ranked(case: Case, *, filters: dict | None = None):
    """The candidate pool of the case, annotated and ordered: eligible before ineligible,
    applicants before the rest, then by score."""
    req = Requirements.of(case)
    experts = _rank(
        ExpertProfile.objects.all(), req, _applicants(case), filters or {}, to="matching__"
    )
    return experts, req


def best(case: Case, *, filters: dict | None = None, eligible: int = 50, ineligible: int = 20):
    """The best `eligible` eligible candidates and the best `ineligible` others, annotated as
    `ranked` annotates them. Three queries: a top-N sort of the narrow matching rows for each
    group that keeps only the keys, then the chosen rows with their annotations and profiles.
    Sorting whole profiles copied every candidate's wide row into the sort, one query numbering
    the rows with a window function sorted the whole pool (both measured with 20,000 experts),
    and the sorts that carried every criterion's value took a third longer than the keys alone
    (PostgreSQL works out the values of the rows kept only)."""
    req = Requirements.of(case)
    rows = _rank(MatchingProfile.objects.all(), req, _applicants(case), filters or {}, to="")
    groups = [
        list(rows.filter(eligible=is_eligible).values_list("pk", flat=True)[:n])
        for is_eligible, n in ((True, eligible), (False, ineligible))
    ]
    names = list(rows.query.annotations)
    profiles = {}
    chosen = rows.filter(pk__in=[key for group in groups for key in group]).order_by()
    for row in chosen.select_related("expert"):
        profiles[row.pk] = row.expert
        for name in names:
            setattr(row.expert, name, getattr(row, name))

    def candidates(group) -> list[ExpertProfile]:
        # Unless deleted in between.
        return [profiles[key] for key in group if key in profiles]

    return candidates(groups[0]), candidates(groups[1]), req


def explain(expert: ExpertProfile, req: Requirements) -> dict:
    """Why the candidate scores what they score, read from the ranked row's annotations."""
    languages = [(code, level, getattr(expert, f"lang_{code}")) for code, level in req.languages]
    reasons = []
    if not expert.eligible:
        if req.model.required_nationality == DeploymentType.Nationality.EUROPEAN:
            reasons.append(
                _("%(model)s requires a European (EU, EEA or Swiss) nationality.")
                % {"model": req.model}
            )
        else:
            reasons.append(
                _("%(model)s requires the nationality of the host country.") % {"model": req.model}
            )
    return {
        "skills": (expert.skills_matched, len(req.themes)),
        "languages": languages,
        "available": expert.available,
        "country_experience": expert.country_experience,
        "years": expert.years_municipal_experience,
        "ineligible_reasons": reasons,
    }
