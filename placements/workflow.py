"""The case workflow, in one place: states are on placements.models.Case; this module declares
every transition (from which states, to which state, who may trigger it, what must hold before,
what happens after) and the one service function that carries any of them out.

Read top to bottom: roles, the table, then `transition()`; the guards (what must hold before)
and effects (what happens after) the table names are in placements.guards and placements.effects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.policies import communes_of
from portal import roles
from portal.services import send_notification

from . import policies
from .effects import (
    ask_communes_for_information,
    create_vacancy,
    end_mission_early,
    extend_mission,
    forget_candidate,
    open_mission,
    publish_vacancy,
    record_mission_end,
    remember_decline_reason,
    share_shortlist,
    tell_communes_decision,
)
from .guards import (
    guard_appraisal_recorded,
    guard_contract_party,
    guard_contract_start,
    guard_eligible,
    guard_expert_eligible,
    guard_model_allowed,
    guard_profile_complete,
    guard_shortlist_ready,
    guard_vacancy_ready,
)
from .models import Case, CaseEvent, reason_as_shown
from .policies import may_trigger

S = Case.State

# --- Who may act ---------------------------------------------------------------------------------
# Superusers may do everything; coordinators and finance only read.
REQUEST_TEAM = frozenset({roles.SKEW})
RECRUITMENT_TEAM = frozenset({roles.SKEW, roles.GIZ})
MISSION_TEAM = frozenset({roles.SKEW, roles.GIZ})
APPLICANTS = policies.APPLICANTS


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
    # Nothing leads back: the button asks to tick "this cannot be undone" first.
    irreversible: bool = False
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
            irreversible=True,
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
            irreversible=True,
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
            irreversible=True,
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
            irreversible=True,
        ),
        Transition(
            "close",
            gettext_lazy("Close the case"),
            (S.CLOSING,),
            S.CLOSED,
            MISSION_TEAM,
            effects=(record_mission_end,),
            irreversible=True,
        ),
    ]
}


# --- Carrying out a transition -------------------------------------------------------------------


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
    # Every commune's staff have the role; only the communes of this request may act on it.
    if t.roles & APPLICANTS and not staff_may and not communes_of(by, case.eoi):
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
                # Translated in the recipient's language when the email is rendered.
                "reason": lazy(reason_as_shown, str)(reason),
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
