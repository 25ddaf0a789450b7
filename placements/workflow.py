"""The case workflow, in one place: states are on placements.models.Case; this module declares
every transition (from which states, to which state, who may trigger it, what must hold before,
what happens after) and the one service function that carries any of them out.

Read top to bottom: roles, guards, effects, the table, then `transition()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries as country_names

from catalogue.models import CountryDeploymentRule, DeploymentType
from portal import roles
from portal.services import send_notification

from .models import Application, Case, CaseEvent, Mission

S = Case.State

# --- Who may act ---------------------------------------------------------------------------------
# Superusers may do everything; coordinators and finance only read.
REQUEST_TEAM = frozenset({roles.SKEW})
RECRUITMENT_TEAM = frozenset({roles.SKEW, roles.GIZ})
MISSION_TEAM = frozenset({roles.SKEW, roles.GIZ})
APPLICANTS = frozenset({roles.APPLICANT})


# --- Guards: each returns the reason it blocks, or None ------------------------------------------


def host_countries(case: Case) -> set[str]:
    communes = case.host_communes.all() or case.eoi.host_communes.all()
    return {c.country.code for c in communes}


def guard_eligible(case: Case) -> str | None:
    from catalogue.models import EligibleCountry

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


def guard_contract_start(case: Case) -> str | None:
    if not case.contract_start:
        return _("Record the contract start date first.")
    return None


# --- Effects: what a transition does besides changing the state ----------------------------------


def ask_communes_for_information(case: Case, by, reason: str, data: dict) -> None:
    from partnerships import services as eoi_services

    eoi_services.request_changes(eoi=case.eoi, by=by, message=reason)


def tell_communes_decision(case: Case, by, reason: str, data: dict) -> None:
    from partnerships import services as eoi_services

    eoi_services.record_decision(
        eoi=case.eoi, by=by, approved=case.state == S.APPROVED, reason=reason
    )


def remember_decline_reason(case: Case, by, reason: str, data: dict) -> None:
    case.decline_reason = reason
    case.save(update_fields=["decline_reason"])


def forget_candidate(case: Case, by, reason: str, data: dict) -> None:
    case.selected_expert = None
    case.host_commune_chose_expert = False
    case.save(update_fields=["selected_expert", "host_commune_chose_expert"])


def create_vacancy(case: Case, by, reason: str, data: dict) -> None:
    from .services import prepare_vacancy

    prepare_vacancy(case)


def publish_vacancy(case: Case, by, reason: str, data: dict) -> None:
    vacancy = case.vacancy
    vacancy.published_at = timezone.now()
    vacancy.save(update_fields=["published_at"])


def share_shortlist(case: Case, by, reason: str, data: dict) -> None:
    from .services import share_shortlist as share

    share(case, by)


def open_mission(case: Case, by, reason: str, data: dict) -> None:
    start = case.contract_start
    Mission.objects.create(
        case=case,
        expert=case.selected_expert,
        start=start,
        planned_end=start + relativedelta(months=case.duration_months),
    )


def extend_mission(case: Case, by, reason: str, data: dict) -> None:
    mission = case.mission
    months = data["months"]
    mission.extension_months += months
    mission.planned_end += relativedelta(months=months)
    mission.save(update_fields=["extension_months", "planned_end"])


def end_mission_early(case: Case, by, reason: str, data: dict) -> None:
    mission = case.mission
    mission.terminated_early = True
    mission.actual_end = timezone.localdate()
    mission.save(update_fields=["terminated_early", "actual_end"])


def record_mission_end(case: Case, by, reason: str, data: dict) -> None:
    mission = case.mission
    if mission.actual_end is None:
        mission.actual_end = min(timezone.localdate(), mission.planned_end)
        mission.save(update_fields=["actual_end"])


# --- The table ------------------------------------------------------------------------------------

REQUEST_OPEN = (S.SUBMITTED, S.ELIGIBILITY_CHECK, S.APPRAISAL, S.PROFILE_AGREED)


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: tuple[str, ...]
    target: str | None  # None: back to the state the case was put on hold from
    roles: frozenset[str]
    guards: tuple[Callable[[Case], str | None], ...] = ()
    effects: tuple[Callable, ...] = ()
    reason_required: bool = False
    asks_months: bool = False
    style: str = "primary"
    notify_communes: bool = False
    extra: dict = field(default_factory=dict)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        # Request
        Transition(
            "request_information",
            gettext_lazy("Ask the communes for more information"),
            REQUEST_OPEN,
            S.INFO_REQUESTED,
            REQUEST_TEAM,
            reason_required=True,
            effects=(ask_communes_for_information,),
            style="secondary",
        ),
        Transition(
            "resubmit",
            gettext_lazy("Resubmitted by the communes"),
            (S.INFO_REQUESTED,),
            S.SUBMITTED,
            APPLICANTS,
        ),
        Transition(
            "start_eligibility_check",
            gettext_lazy("Start the eligibility check"),
            (S.SUBMITTED,),
            S.ELIGIBILITY_CHECK,
            REQUEST_TEAM,
        ),
        Transition(
            "confirm_eligibility",
            gettext_lazy("Eligible: start the appraisal"),
            (S.ELIGIBILITY_CHECK,),
            S.APPRAISAL,
            REQUEST_TEAM,
            guards=(guard_eligible,),
        ),
        Transition(
            "agree_profile",
            gettext_lazy("Profile agreed with both communes"),
            (S.APPRAISAL,),
            S.PROFILE_AGREED,
            REQUEST_TEAM,
            guards=(guard_appraisal_recorded, guard_profile_complete, guard_model_allowed),
        ),
        Transition(
            "approve",
            gettext_lazy("Approve"),
            (S.PROFILE_AGREED,),
            S.APPROVED,
            REQUEST_TEAM,
            guards=(guard_profile_complete, guard_model_allowed),
            effects=(tell_communes_decision,),
        ),
        Transition(
            "decline",
            gettext_lazy("Decline"),
            (*REQUEST_OPEN, S.ON_HOLD),
            S.DECLINED,
            REQUEST_TEAM,
            reason_required=True,
            style="danger",
            effects=(remember_decline_reason, tell_communes_decision),
        ),
        Transition(
            "withdraw",
            gettext_lazy("Withdrawn by the communes"),
            (*REQUEST_OPEN, S.INFO_REQUESTED, S.ON_HOLD),
            S.WITHDRAWN,
            APPLICANTS,
        ),
        Transition(
            "put_on_hold",
            gettext_lazy("Put on hold"),
            (*REQUEST_OPEN, S.APPROVED),
            S.ON_HOLD,
            REQUEST_TEAM,
            reason_required=True,
            style="secondary",
        ),
        Transition("resume", gettext_lazy("Resume"), (S.ON_HOLD,), None, REQUEST_TEAM),
        # Recruitment
        Transition(
            "draft_vacancy",
            gettext_lazy("Draft the vacancy"),
            (S.APPROVED,),
            S.VACANCY_DRAFTED,
            RECRUITMENT_TEAM,
            effects=(create_vacancy,),
        ),
        Transition(
            "publish_vacancy",
            gettext_lazy("Publish the vacancy"),
            (S.VACANCY_DRAFTED,),
            S.PUBLISHED,
            RECRUITMENT_TEAM,
            guards=(guard_vacancy_ready,),
            effects=(publish_vacancy,),
        ),
        Transition(
            "start_screening",
            gettext_lazy("Start screening"),
            (S.PUBLISHED,),
            S.SCREENING,
            RECRUITMENT_TEAM,
        ),
        Transition(
            "send_shortlist",
            gettext_lazy("Send the shortlist to the host commune"),
            (S.SCREENING,),
            S.SHORTLIST_SENT,
            RECRUITMENT_TEAM,
            guards=(guard_shortlist_ready,),
            effects=(share_shortlist,),
        ),
        # Staff record the choice, or the host commune chooses in the portal (services.py).
        Transition(
            "select_candidate",
            gettext_lazy("Candidate selected"),
            (S.SHORTLIST_SENT,),
            S.CANDIDATE_SELECTED,
            RECRUITMENT_TEAM | APPLICANTS,
            guards=(guard_expert_eligible,),
        ),
        Transition(
            "start_contracting",
            gettext_lazy("Start contracting"),
            (S.CANDIDATE_SELECTED,),
            S.CONTRACTING,
            RECRUITMENT_TEAM,
            guards=(guard_expert_eligible, guard_contract_party),
        ),
        Transition(
            "prepare_departure",
            gettext_lazy("Contract signed: prepare departure"),
            (S.CONTRACTING,),
            S.PREPARING_DEPARTURE,
            RECRUITMENT_TEAM,
            guards=(guard_contract_party,),
        ),
        Transition(
            "recruitment_failed",
            gettext_lazy("Recruitment failed: publish again"),
            (
                S.SCREENING,
                S.SHORTLIST_SENT,
                S.CANDIDATE_SELECTED,
                S.CONTRACTING,
                S.PREPARING_DEPARTURE,
            ),
            S.PUBLISHED,
            RECRUITMENT_TEAM,
            reason_required=True,
            effects=(forget_candidate,),
            style="danger",
        ),
        # Mission
        Transition(
            "start_mission",
            gettext_lazy("The expert has started: mission active"),
            (S.PREPARING_DEPARTURE,),
            S.ACTIVE,
            MISSION_TEAM,
            guards=(guard_contract_start,),
            effects=(open_mission,),
        ),
        Transition(
            "request_extension",
            gettext_lazy("Extension requested"),
            (S.ACTIVE,),
            S.EXTENSION_REQUESTED,
            MISSION_TEAM,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "grant_extension",
            gettext_lazy("Grant the extension"),
            (S.EXTENSION_REQUESTED,),
            S.ACTIVE,
            MISSION_TEAM,
            asks_months=True,
            effects=(extend_mission,),
        ),
        Transition(
            "refuse_extension",
            gettext_lazy("Refuse the extension"),
            (S.EXTENSION_REQUESTED,),
            S.ACTIVE,
            MISSION_TEAM,
            reason_required=True,
            style="secondary",
        ),
        Transition(
            "begin_closing",
            gettext_lazy("Start closing (final report and summary)"),
            (S.ACTIVE,),
            S.CLOSING,
            MISSION_TEAM,
        ),
        Transition(
            "terminate_early",
            gettext_lazy("Terminate the mission early"),
            (S.ACTIVE, S.EXTENSION_REQUESTED),
            S.CLOSING,
            MISSION_TEAM,
            reason_required=True,
            effects=(end_mission_early,),
            style="danger",
        ),
        Transition(
            "close",
            gettext_lazy("Close the case"),
            (S.CLOSING,),
            S.CLOSED,
            MISSION_TEAM,
            effects=(record_mission_end,),
        ),
    ]
}


# --- Carrying out a transition -------------------------------------------------------------------


def may_trigger(user, transition: Transition) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return bool(transition.roles - APPLICANTS)
    return bool(user.role_names() & transition.roles)


def available(case: Case, user) -> list[Transition]:
    """The transitions this user may try on the case page now (guards are checked on the
    attempt); what only the communes do happens in the portal, not here."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if case.state in t.sources
        and (staff_roles := t.roles - APPLICANTS)
        and (user.is_superuser or user.role_names() & staff_roles)
    ]


def blocking_reasons(case: Case, transition: Transition) -> list[str]:
    return [message for guard in transition.guards if (message := guard(case))]


def case_event(case, name, actor, *, from_state="", to_state, reason="", at=None) -> CaseEvent:
    """An unsaved event of the case's timeline; `at` for rows written in bulk with past times."""
    event = CaseEvent(
        case=case,
        transition=name,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
    )
    if at is not None:
        event.created_at = at
    return event


@transaction.atomic
def transition(
    *,
    case: Case,
    name: str,
    by,
    reason: str = "",
    expected_state: str | None = None,
    data: dict | None = None,
) -> Case:
    """Move the case along one transition of the table, or refuse with a ValidationError that
    says why. The row lock makes two people acting on the same case at once take turns; the
    second then finds the state changed and is refused."""
    data = data or {}
    t = TRANSITIONS.get(name)
    if t is None:
        raise ValidationError(_("Unknown action."))
    case = Case.objects.select_for_update().get(pk=case.pk)
    if expected_state and case.state != expected_state:
        raise ValidationError(
            _(
                "Someone else has just changed this case: it is now “%(state)s”. Nothing was "
                "done; please look at it again."
            )
            % {"state": case.get_state_display()},
            code="stale",
        )
    if case.state not in t.sources:
        raise ValidationError(
            _("“%(action)s” is not possible while the case is “%(state)s”.")
            % {"action": t.label, "state": case.get_state_display()},
            code="invalid_transition",
        )
    if not may_trigger(by, t):
        raise PermissionDenied(_("Your role may not do “%(action)s”.") % {"action": t.label})
    staff_may = by.is_superuser or by.role_names() & (t.roles - APPLICANTS)
    if t.roles & APPLICANTS and not staff_may:
        from partnerships.services import communes_of

        # Every commune's staff have the role; only the communes of this request may act on it.
        if not communes_of(by, case.eoi):
            raise PermissionDenied(_("Your role may not do “%(action)s”.") % {"action": t.label})
    if t.reason_required and not reason.strip():
        raise ValidationError(_("Please give a reason."), code="reason_required")
    if t.asks_months:
        # Form data may bring the months as text.
        try:
            months = int(data.get("months") or 0)
        except (TypeError, ValueError):
            months = 0
        if not 1 <= months <= 24:
            raise ValidationError(_("Give the extension in months (1 to 24)."), code="months")
        data = {**data, "months": months}
    if blocked := blocking_reasons(case, t):
        raise ValidationError([ValidationError(message, code="guard") for message in blocked])

    from_state = case.state
    target = t.target or case.resume_state or S.SUBMITTED
    case.resume_state = from_state if target == S.ON_HOLD else ""
    case._move_to(target)
    case.save(update_fields=["state", "stage", "state_changed_at", "resume_state"])
    case_event(case, t.name, by, from_state=from_state, to_state=target, reason=reason).save()
    for effect in t.effects:
        effect(case, by, reason, data)
    if case.case_officer and case.case_officer != by:
        send_notification(
            recipient=case.case_officer,
            template="case_transition",
            context={
                "case": case,
                "transition": t,
                "actor": by,
                "reason": reason,
                "link": settings.SITE_URL + case.get_absolute_url(),
            },
        )
    return case


@transaction.atomic
def open_case(*, eoi, by) -> Case:
    """An EOI has been submitted: open its case, or move it back from 'more information
    requested' when the communes resubmit."""
    case = Case.objects.select_for_update().filter(eoi=eoi).first()
    if case is None:
        case = Case(
            eoi=eoi, duration_months=eoi.duration_months or 24, planned_start=eoi.intended_start
        )
        case._move_to(S.SUBMITTED)
        case.save()
        case.host_communes.set(eoi.host_communes.all())
        case_event(case, "submit", by, to_state=S.SUBMITTED).save()
        return case
    return transition(case=case, name="resubmit", by=by)
