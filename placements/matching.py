"""Ranking experts for a case, in the database: applicants first, then the consenting pool.

Every criterion is an annotation, so the ranking is one query whatever the pool's size, and the
explanation of a candidate's score is read from the same row.
"""

from dataclasses import dataclass
from datetime import date

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
from catalogue.vocabularies import EUROPEAN_COUNTRIES
from experts.models import ExpertLanguage, ExpertProfile

from .models import Application, Case
from .policies import hosts_of

LEVELS = ["A1", "A2", "B1", "B2", "C1", "C2"]
# Points per criterion; the score is out of 100.
WEIGHTS = {"skills": 35, "languages": 30, "availability": 15, "country": 10, "experience": 10}


def _country_regex(codes) -> str:
    """CountryField(multiple=True) stores "DE,FR": match any of the codes as a whole item."""
    return r"(^|,)(" + "|".join(sorted(codes)) + r")(,|$)"


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


def _eligibility(req: Requirements) -> Q:
    if req.model is None:
        return Q(pk__isnull=False)
    if req.model.required_nationality == DeploymentType.Nationality.EUROPEAN:
        return Q(nationalities__regex=_country_regex(EUROPEAN_COUNTRIES))
    if not req.host_countries:
        return Q(pk__isnull=True)
    return Q(nationalities__regex=_country_regex(req.host_countries))


def _among(ids) -> ExpressionWrapper:
    """True for the experts whose key is in `ids`, a query that does not refer to the outer row:
    the database runs it once and looks every expert up in its result (PostgreSQL's "hashed
    SubPlan"), instead of once per expert as a correlated EXISTS would."""
    return ExpressionWrapper(Q(pk__in=ids), output_field=BooleanField())


def ranked(case: Case, *, filters: dict | None = None):
    """The candidate pool of the case, annotated and ordered: eligible before ineligible,
    applicants before the rest, then by score."""
    req = Requirements.of(case)
    filters = filters or {}
    applicants = (
        Application.objects.filter(vacancy__case=case)
        .exclude(status=Application.Status.WITHDRAWN)
        .values("expert_id")
    )
    pool = ExpertProfile.objects.filter(anonymised_at__isnull=True).filter(
        Q(consent_to_be_found=True) | Q(pk__in=applicants)
    )
    expertise = ExpertProfile.expertise.through.objects
    has_theme = [
        When_(
            When(pk__in=expertise.filter(theme_id=theme).values("expertprofile_id"), then=1),
            default=0,
            output_field=IntegerField(),
        )
        for theme in req.themes
    ]
    annotations = {
        "is_applicant": _among(applicants),
        "eligible": ExpressionWrapper(_eligibility(req), output_field=BooleanField()),
        "skills_matched": sum(has_theme[1:], has_theme[0]) if has_theme else Value(0),
        "available": ExpressionWrapper(
            Q(earliest_availability__lte=req.start) if req.start else Q(pk__isnull=False),
            output_field=BooleanField(),
        ),
        "country_experience": ExpressionWrapper(
            Q(countries_worked_in__regex=_country_regex(req.host_countries))
            if req.host_countries
            else Q(pk__isnull=True),
            output_field=BooleanField(),
        ),
    }
    for code, minimum in req.languages:
        annotations[f"lang_{code}"] = _among(
            ExpertLanguage.objects.filter(
                language=code, level__in=LEVELS[LEVELS.index(minimum) :]
            ).values("expert_id")
        )
    pool = pool.annotate(**annotations)

    def points(flag: str, weight: int):
        return When_(
            When(**{flag: True}, then=Value(float(weight))),
            default=Value(0.0),
            output_field=FloatField(),
        )

    score = (
        Cast(F("skills_matched"), FloatField()) * (WEIGHTS["skills"] / max(len(req.themes), 1))
        + points("available", WEIGHTS["availability"])
        + points("country_experience", WEIGHTS["country"])
        + Cast(Least(Coalesce(F("years_municipal_experience"), 0), Value(10)), FloatField())
        * (WEIGHTS["experience"] / 10)
    )
    if req.languages:
        for code, _minimum in req.languages:
            score = score + points(f"lang_{code}", WEIGHTS["languages"] / len(req.languages))
    else:
        score = score + Value(float(WEIGHTS["languages"]))
    pool = pool.annotate(score=score)

    if theme := filters.get("skill"):
        pool = pool.filter(expertise=theme)
    if language := filters.get("language"):
        pool = pool.filter(languages__language=language)
    if nationality := filters.get("nationality"):
        pool = pool.filter(nationalities__regex=_country_regex([nationality]))
    if available_by := filters.get("available_by"):
        pool = pool.filter(earliest_availability__lte=available_by)
    return pool.order_by(*ORDER), req


ORDER = ("-eligible", "-is_applicant", "-score", "full_name", "pk")


def best(case: Case, *, filters: dict | None = None, eligible: int = 50, ineligible: int = 20):
    """The best `eligible` eligible candidates and the best `ineligible` others. Two queries,
    each a top-N sort; one query numbering the rows with a window function sorted the whole
    pool and took longer (measured with 20,000 experts)."""
    pool, req = ranked(case, filters=filters)
    return (
        list(pool.filter(eligible=True)[:eligible]),
        list(pool.filter(eligible=False)[:ineligible]),
        req,
    )


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
