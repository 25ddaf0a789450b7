"""Writes of recruitment: vacancies, applications, the shortlist and the host commune's choice;
and of support events: registrations and their waiting list. State changes of the case itself go
through placements.workflow."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from experts.models import ExpertProfile
from portal.models import User
from portal.policies import may
from portal.services import send_notification

from . import tasks, workflow
from .guards import guard_shortlist_open
from .models import (
    CHOSEN_BY_HOST_COMMUNE,
    Application,
    Case,
    DocumentJob,
    EventRegistration,
    SupportEvent,
    Vacancy,
)
from .policies import audience_refusal, host_communes_of

OPEN_APPLICATION = (
    Application.Status.APPLIED,
    Application.Status.SCREENED,
    Application.Status.INTERVIEWED,
    Application.Status.SHORTLISTED,
)


def profile_snapshot(expert: ExpertProfile) -> dict:
    """The profile as staff and the host commune will see it with this application."""
    return profile_snapshot_of(
        expert,
        expertise=[theme.code for theme in expert.expertise.all()],
        languages=[(lang.language, lang.level) for lang in expert.languages.all()],
        positions=expert.positions.all(),
    )


def profile_snapshot_of(expert: ExpertProfile, *, expertise, languages, positions) -> dict:
    """The snapshot from the codes of the expert's themes, the (code, level) of the languages and
    the positions: what the generator passes from the rows it has planned, without a query per
    expert. Codes, not names: each reader sees the names in their own language
    (Application.profile_as_shown)."""
    return {
        "full_name": expert.full_name,
        "nationalities": [c.code for c in expert.nationalities],
        "country_of_residence": expert.country_of_residence.code or "",
        "expertise": sorted(expertise),
        "keywords": expert.keywords,
        "years_municipal_experience": expert.years_municipal_experience,
        "languages": [{"language": code, "level": level} for code, level in sorted(languages)],
        "positions": [
            {
                "employer": p.employer,
                "country": p.country.code,
                "role": p.role,
                "from": p.start.isoformat(),
                "to": p.end.isoformat() if p.end else None,
            }
            for p in positions
        ],
        "countries_worked_in": [c.code for c in expert.countries_worked_in],
        "earliest_availability": expert.earliest_availability.isoformat()
        if expert.earliest_availability
        else None,
    }


@transaction.atomic
def apply(*, vacancy: Vacancy, expert: ExpertProfile, motivation: str) -> Application:
    """An expert applies with a motivation letter; the profile is kept as it is now."""
    if not Vacancy.objects.published().filter(pk=vacancy.pk).exists():
        raise ValidationError(_("This vacancy is no longer open for applications."))
    if not motivation.strip():
        raise ValidationError(_("Please write a motivation letter."), code="required")
    application, created = Application.objects.get_or_create(
        vacancy=vacancy,
        expert=expert,
        defaults={"motivation": motivation, "profile_snapshot": profile_snapshot(expert)},
    )
    if not created:
        if application.status != Application.Status.WITHDRAWN:
            raise ValidationError(_("You have already applied for this vacancy."), code="twice")
        application.status = Application.Status.APPLIED
        application.motivation = motivation
        application.profile_snapshot = profile_snapshot(expert)
        application.save(update_fields=["status", "motivation", "profile_snapshot", "updated_at"])
    case = vacancy.case
    if case.case_officer:
        send_notification(
            recipient=case.case_officer,
            template="application_received",
            context={
                "vacancy": vacancy,
                "expert": expert,
                "link": settings.SITE_URL + case.get_absolute_url(),
            },
        )
    return application


@transaction.atomic
def withdraw_application(*, application: Application, user: User) -> None:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.expert.user_id != user.pk:
        raise PermissionDenied
    if application.status in (Application.Status.SELECTED, Application.Status.WITHDRAWN):
        raise ValidationError(_("This application can no longer be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    application.shared_with_commune = False
    application.save(update_fields=["status", "shared_with_commune", "updated_at"])


def _application(case: Case, expert: ExpertProfile, by: User) -> Application:
    if not may(by, "placements.recruit"):
        raise PermissionDenied
    vacancy = getattr(case, "vacancy", None)
    if vacancy is None:
        raise ValidationError(_("Draft the vacancy of this case first."), code="no_vacancy")
    application, _created = Application.objects.select_for_update().get_or_create(
        vacancy=vacancy,
        expert=expert,
        defaults={"proposed_by_staff": True, "profile_snapshot": profile_snapshot(expert)},
    )
    return application


def _record_on_case(case: Case, name: str, by: User, reason: str) -> None:
    """A recruitment step that does not move the case, on the case's timeline (who, when, why)."""
    workflow.case_event(
        case, name, by, from_state=case.state, to_state=case.state, reason=reason
    ).save()


@transaction.atomic
def shortlist(*, case: Case, expert: ExpertProfile, by: User) -> Application:
    """Staff put a candidate (an applicant or someone from the pool) on the shortlist."""
    application = _application(case, expert, by)
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("This expert has withdrawn the application."))
    if application.status == Application.Status.SHORTLISTED:
        return application
    application.status = Application.Status.SHORTLISTED
    application.save(update_fields=["status", "updated_at"])
    _record_on_case(
        case, "shortlist", by, _("%(name)s put on the shortlist.") % {"name": expert.full_name}
    )
    return application


@transaction.atomic
def unshortlist(*, case: Case, expert: ExpertProfile, by: User, reason: str = "") -> Application:
    """Staff take a candidate off the shortlist again, until the host commune has chosen: the
    candidate goes back to where screening had left them and the host commune no longer sees
    them. The case's timeline keeps who did it, when and why."""
    if not may(by, "placements.recruit"):
        raise PermissionDenied
    case = Case.objects.select_for_update().get(pk=case.pk)
    application = (
        Application.objects.select_for_update()
        .filter(vacancy__case=case, expert=expert, status=Application.Status.SHORTLISTED)
        .first()
    )
    if application is None:
        raise ValidationError(
            _("%(name)s is not on the shortlist.") % {"name": expert.full_name},
            code="not_shortlisted",
        )
    if refusal := guard_shortlist_open(case):
        raise ValidationError(refusal, code="guard")
    if application.interview_notes.strip():
        application.status = Application.Status.INTERVIEWED
    elif application.screening_notes.strip():
        application.status = Application.Status.SCREENED
    else:
        application.status = Application.Status.APPLIED
    application.shared_with_commune = False
    application.save(update_fields=["status", "shared_with_commune", "updated_at"])
    note = _("%(name)s taken off the shortlist.") % {"name": expert.full_name}
    _record_on_case(case, "unshortlist", by, f"{note} {reason.strip()}".strip())
    return application


@transaction.atomic
def record_notes(
    *, case: Case, expert: ExpertProfile, by: User, screening: str = "", interview: str = ""
) -> Application:
    application = _application(case, expert, by)
    fields = ["updated_at"]
    if screening.strip():
        application.screening_notes = screening
        fields.append("screening_notes")
        if application.status == Application.Status.APPLIED:
            application.status = Application.Status.SCREENED
    if interview.strip():
        application.interview_notes = interview
        fields.append("interview_notes")
        if application.status in (Application.Status.APPLIED, Application.Status.SCREENED):
            application.status = Application.Status.INTERVIEWED
    if "status" not in fields:
        fields.append("status")
    application.save(update_fields=fields)
    return application


@transaction.atomic
def mark_selected(*, case: Case, expert: ExpertProfile, by: User) -> None:
    """Staff record the chosen expert on the case (the guard of "candidate selected" also
    needs the host commune's choice)."""
    _application(case, expert, by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.host_commune_chose_expert and case.selected_expert_id != expert.pk:
        raise ValidationError(
            _("The host commune has already chosen %(name)s.") % {"name": case.selected_expert},
            code="chosen",
        )
    case.selected_expert = expert
    case.save(update_fields=["selected_expert"])
    _record_on_case(
        case,
        "mark_selected",
        by,
        _("%(name)s recorded as the selected expert.") % {"name": expert.full_name},
    )


@transaction.atomic
def choose_candidate(*, case: Case, application: Application, user: User) -> Case:
    """The host commune chooses one candidate of the shortlist sent to it; the case moves to
    "candidate selected" when the workflow's guards hold."""
    if not host_communes_of(user, case):
        raise PermissionDenied
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.vacancy.case_id != case.pk or not application.shared_with_commune:
        raise PermissionDenied
    if application.status != Application.Status.SHORTLISTED:
        raise ValidationError(_("This candidate can no longer be chosen."))
    locked = Case.objects.select_for_update().get(pk=case.pk)
    locked.selected_expert = application.expert
    locked.host_commune_chose_expert = True
    locked.save(update_fields=["selected_expert", "host_commune_chose_expert"])
    application.status = Application.Status.SELECTED
    application.save(update_fields=["status", "updated_at"])
    Application.objects.filter(vacancy=application.vacancy, status__in=OPEN_APPLICATION).exclude(
        pk=application.pk
    ).update(status=Application.Status.DECLINED)
    return workflow.transition(
        case=locked, name="select_candidate", by=user, reason=CHOSEN_BY_HOST_COMMUNE
    )


# --- Support events -------------------------------------------------------------------------------
# Every write locks the event's row first: registrations of one event take turns, so that two
# people taking the last place at the same moment cannot both get it.

Registration = EventRegistration.Status


def _lock_event(event: SupportEvent) -> SupportEvent:
    return SupportEvent.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def register_for_event(*, event: SupportEvent, user: User, note: str = "") -> EventRegistration:
    """Take a place at a published, upcoming event, or a place on its waiting list when it is
    full. Registering again while registered or waiting changes nothing."""
    event = _lock_event(event)
    if not event.published or event.has_started:
        raise ValidationError(_("This event is not open for registration."), code="closed")
    refusal = audience_refusal(user, event)
    if refusal:
        raise ValidationError(refusal, code="audience")
    existing = event.registrations.active().filter(user=user).first()
    if existing is not None:
        return existing
    taken = event.registrations.filter(status=Registration.REGISTERED).count()
    return EventRegistration.objects.create(
        event=event,
        user=user,
        note=note.strip(),
        status=Registration.REGISTERED if taken < event.capacity else Registration.WAITING,
    )


@transaction.atomic
def cancel_registration(*, registration: EventRegistration, user: User) -> EventRegistration:
    """Give up a place (or a place on the waiting list); the first person waiting moves up.
    Cancelling what is already cancelled changes nothing."""
    event = _lock_event(registration.event)
    registration = EventRegistration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != user.pk:
        raise PermissionDenied
    if registration.status == Registration.CANCELLED:
        return registration
    if event.has_started:
        raise ValidationError(_("This event has already begun."), code="started")
    registration.status = Registration.CANCELLED
    registration.save(update_fields=["status", "updated_at"])
    fill_from_waiting_list(event=event)
    return registration


@transaction.atomic
def fill_from_waiting_list(*, event: SupportEvent) -> list[EventRegistration]:
    """Give the free places to those waiting, first come first served, and tell them by email
    (after a cancellation, or when staff add places)."""
    event = _lock_event(event)
    if event.has_started:
        return []
    free = event.capacity - event.registrations.filter(status=Registration.REGISTERED).count()
    if free <= 0:
        return []
    moved = list(event.registrations.waiting_list().select_related("user")[:free])
    for registration in moved:
        registration.status = Registration.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        send_notification(
            recipient=registration.user,
            template="event_place_available",
            context={
                "event": event,
                "link": settings.SITE_URL + event.get_absolute_url(),
            },
            key=f"event-place-{registration.pk}",
        )
    return moved


# --- Documents made in the background ---------------------------------------------------------


def request_portfolio(*, user: User, filters: dict, language: str) -> DocumentJob:
    """Ask for a portfolio summary made by a Celery task; the task starts once the row is
    committed."""
    with transaction.atomic():
        job = DocumentJob.objects.create(
            user=user, kind=DocumentJob.Kind.PORTFOLIO, parameters=filters, language=language
        )
        transaction.on_commit(lambda: tasks.render_portfolio.delay(job.pk))
    return job
