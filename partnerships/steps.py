"""The steps of the expression of interest: which fields each holds and which must be filled in
before the communes can confirm. Forms, services, the snapshot and the event log read this; it
imports no form, so that models and services can use it."""

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    slug: str
    title: Promise
    fields: tuple[str, ...]
    required_for_submission: tuple[str, ...]


COMMUNES = Step(
    "communes",
    _("Partnership and host communes"),
    ("title", "partnerships", "host_communes"),
    ("title", "partnerships", "host_communes"),
)
PROJECT = Step(
    "project",
    _("The project"),
    ("themes", "theme_other", "sdgs", "problem_and_needs", "project_idea", "objectives"),
    ("themes", "sdgs", "problem_and_needs", "project_idea", "objectives"),
)
EXPERT = Step(
    "expert",
    _("The expert"),
    (
        "expert_tasks",
        "competence_skills",
        "years_of_experience",
        "preferred_deployment_types",
        "deployment_advice_wanted",
        "intended_start",
        "duration_months",
    ),
    (
        "expert_tasks",
        "competence_skills",
        "preferred_deployment_types",
        "intended_start",
        "duration_months",
    ),
)
PRINCIPLES = Step(
    "principles",
    _("Target groups and principles"),
    ("target_groups", "inclusion", "transparency", "cooperation"),
    ("target_groups", "inclusion", "transparency", "cooperation"),
)
CONTRIBUTIONS = Step(
    "contributions",
    _("Contributions and attachments"),
    ("german_contribution", "partner_workplace", "consent_data_processing"),
    ("german_contribution", "partner_workplace", "consent_data_processing"),
)

STEPS = [COMMUNES, PROJECT, EXPERT, PRINCIPLES, CONTRIBUTIONS]
STEP_BY_SLUG = {step.slug: step for step in STEPS}


def answer(eoi, name: str, *, for_page: bool):
    """One answer of the EOI, as the snapshot keeps it (plain values: sorted names, ISO dates,
    the choice's label) or as a page shows it (names joined, dates in the reader's format).
    The snapshot and the page read the same fields the same way."""
    field = eoi._meta.get_field(name)
    value = getattr(eoi, name)
    if field.many_to_many:
        names = sorted(str(item) for item in value.all())
        return ", ".join(names) if for_page else names
    if field.choices:
        return str(getattr(eoi, f"get_{name}_display")())
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT") if for_page else value.isoformat()
    return value
