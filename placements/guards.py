"""What must hold before a case transition (placements.workflow's table names them). Each guard
returns the reason it blocks, in the reader's language, or None."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries as country_names

from catalogue.models import CountryDeploymentRule, DeploymentType, EligibleCountry

from .models import Application, Case
from .policies import hosts_of

S = Case.State


def host_countries(case: Case) -> set[str]:
    communes = hosts_of(case)
    return {c.country.code for c in communes}


def guard_eligible(case: Case) -> str | None:
    if not case.eoi.partnerships.exists():
        return _("The expression of interest names no registered partnership.")
    countries = host_countries(case)
    if not countries:
        return _("The expression of interest names no host commune.")
    eligible = set(
        EligibleCountry.objects.can_host()
        .filter(country__in=countries)
        .values_list("country", flat=True)
    )
    missing = sorted(countries - eligible)
    if missing:
        return _("Not on the list of countries that can host an expert: %(countries)s.") % {
            "countries": ", ".join(str(country_names.name(code)) for code in missing)
        }
    return None


def guard_appraisal_recorded(case: Case) -> str | None:
    if not (case.appraisal_mode and case.appraisal_date and case.appraisal_findings.strip()):
        return _("Record the consultation with both communes (how, when and its findings) first.")
    return None


def guard_profile_complete(case: Case) -> str | None:
    missing = [
        str(Case._meta.get_field(name).verbose_name)
        for name in (
            "competence_profile",
            "tasks",
            "objectives",
            "planned_start",
            "duration_months",
            "deployment_type",
        )
        if not getattr(case, name)
    ]
    if not case.host_communes.exists():
        missing.append(str(Case._meta.get_field("host_communes").verbose_name))
    if missing:
        return _("The agreed profile is incomplete: %(fields)s.") % {"fields": ", ".join(missing)}
    return None


def guard_model_allowed(case: Case) -> str | None:
    if case.deployment_type is None:
        return None  # guard_profile_complete names it
    on = case.planned_start or timezone.localdate()
    allowed = set(
        CountryDeploymentRule.objects.in_force(on)
        .filter(
            deployment_type=case.deployment_type,
            allowed=True,
            country__country__in=host_countries(case),
        )
        .values_list("country__country", flat=True)
    )
    refused = sorted(host_countries(case) - allowed)
    if refused:
        return _("%(model)s is not allowed in %(countries)s.") % {
            "model": case.deployment_type,
            "countries": ", ".join(refused),
        }
    return None


def guard_expert_eligible(case: Case) -> str | None:
    expert = case.selected_expert
    if expert is None:
        return _("Choose the selected expert first.")
    rule = case.deployment_type.required_nationality if case.deployment_type else None
    if rule == DeploymentType.Nationality.EUROPEAN and not expert.is_european:
        return _(
            "%(model)s requires a European (EU, EEA or Swiss) nationality; %(expert)s has none."
        ) % {"model": case.deployment_type, "expert": expert}
    if rule == DeploymentType.Nationality.HOST_COUNTRY and not any(
        expert.has_nationality(code) for code in host_countries(case)
    ):
        return _(
            "A national expert must have the nationality of the host country; %(expert)s has not."
        ) % {"expert": expert}
    if not case.host_commune_chose_expert:
        return _("The host commune has not chosen this expert yet.")
    return None


def guard_contract_party(case: Case) -> str | None:
    model = case.deployment_type
    if model is None or case.contract_party != model.contract_party:
        return _("%(model)s is contracted by: %(party)s. Record that contract party first.") % {
            "model": model,
            "party": model.get_contract_party_display() if model else "–",
        }
    if model.salary_top_up and not hasattr(case, "salary_top_up"):
        return _("Record the local salary and the programme's top-up first.")
    return None


def guard_vacancy_ready(case: Case) -> str | None:
    vacancy = getattr(case, "vacancy", None)
    if vacancy is None:
        return _("Draft the vacancy first.")
    if not vacancy.closing_date or vacancy.closing_date < timezone.localdate():
        return _("Give the vacancy a closing date in the future.")
    return None


def guard_shortlist_ready(case: Case) -> str | None:
    if not Application.objects.filter(
        vacancy__case=case, status=Application.Status.SHORTLISTED
    ).exists():
        return _("Put at least one candidate on the shortlist first.")
    return None


# The shortlist can change while staff recruit, until the host commune has chosen from it.
SHORTLIST_OPEN = (S.VACANCY_DRAFTED, S.PUBLISHED, S.SCREENING, S.SHORTLIST_SENT)


def guard_shortlist_open(case: Case) -> str | None:
    """Whether a candidate may still be taken off the shortlist."""
    if case.host_commune_chose_expert:
        return _("The host commune has already chosen: the shortlist can no longer change.")
    if case.state not in SHORTLIST_OPEN:
        return _("The shortlist can no longer change while the case is “%(state)s”.") % {
            "state": case.get_state_display()
        }
    return None


def guard_contract_start(case: Case) -> str | None:
    if not case.contract_start:
        return _("Record the contract start date first.")
    return None
