"""What placements adds to the apps below it (registered in apps.py): applications, cases and
missions are placements' own, so experts learns about them only through these functions."""

from django.db.models import Q

from partnerships.models import Commune
from portal.policies import may

from . import pdf, workflow
from .forms import RequestInformationForm
from .models import Application, Case, EventRegistration, Mission
from .policies import host_communes_of
from .selectors import applications_visible_to


def shortlisted_cv_experts(user):
    """Members of a host commune read the CV of each expert on a shortlist sent to their
    commune, where staff chose to share the CV."""
    own = Commune.objects.of_member(user).values("pk")
    return Application.objects.filter(
        Q(vacancy__case__host_communes__in=own) | Q(vacancy__case__eoi__host_communes__in=own),
        shared_with_commune=True,
        status__in=[Application.Status.SHORTLISTED, Application.Status.SELECTED],
        # A list of names from SHARED_FIELDS, matched as JSON text so that SQLite can do it too.
        vacancy__shared_fields__icontains='"cv"',
    ).values("expert_id")


def has_mission_records(profile) -> bool:
    """Missions and cases that chose the expert keep the (anonymised) profile."""
    return (
        Mission.objects.filter(expert=profile).exists()
        or Case.objects.filter(selected_expert=profile).exists()
    )


def erase_application_texts(profile) -> None:
    """The expert's words and the notes about them go; that they applied stays with the case."""
    Application.objects.filter(expert=profile).update(
        motivation="", profile_snapshot={}, screening_notes="", interview_notes=""
    )


def export_applications(profile) -> dict:
    applications = profile.applications.select_related("vacancy").order_by("created_at")
    return {
        "applications": [
            {
                "vacancy": a.vacancy.title,
                "status": a.status,
                "status_label": str(a.get_status_display()),
                "motivation": a.motivation,
                "profile_when_applying": a.profile_snapshot,
                "applied_at": a.created_at.isoformat(),
                "updated_at": a.updated_at.isoformat(),
            }
            for a in applications
        ]
    }


def applications_panel(request, profile):
    """The applications on an expert's profile page, as far as the reader may see them."""
    applications = (
        applications_visible_to(request.user).filter(expert=profile).select_related("vacancy")
    )
    return "placements/includes_profile_applications.html", {"applications": applications}


# --- Expressions of interest (partnerships) -----------------------------------------------------


def open_case_on_submission(sender, *, eoi, by, **kwargs):
    workflow.open_case(eoi=eoi, by=by)


def withdraw_case_with_eoi(sender, *, eoi, by, reason, **kwargs):
    case = Case.objects.filter(eoi=eoi).first()
    if case is not None:
        workflow.transition(case=case, name="withdraw", by=by, reason=reason)


def _case_of(eoi) -> Case | None:
    # The reverse accessor caches the case on the EOI, so that the panels ask once.
    try:
        return eoi.case
    except Case.DoesNotExist:
        return None


def candidates_panel(request, eoi):
    """The host commune's link to the candidates sent to it, once there are any."""
    case = _case_of(eoi)
    if case is None or not host_communes_of(request.user, case):
        return None
    if not Application.objects.filter(vacancy__case=case, shared_with_commune=True).exists():
        return None
    return "placements/includes_eoi_candidates.html", {"case": case}


def documents_panel(request, eoi):
    """The case summary and, once decided, the decision letter, for staff and the communes of
    the request."""
    case = _case_of(eoi)
    if case is None or not may(request.user, "placements.read_case_documents", case):
        return None
    return "placements/includes_eoi_documents.html", {
        "case": case,
        "decision": pdf.decision_of(case),
    }


def request_information_panel(request, eoi):
    """Staff whose role may ask for more information, while the case allows it."""
    asking = workflow.TRANSITIONS["request_information"]
    if not may(request.user, "placements.trigger", asking):
        return None
    case = _case_of(eoi)
    if case is None or case.state not in asking.sources:
        return None
    return "placements/includes_eoi_request_information.html", {
        "case": case,
        "form": RequestInformationForm(),
    }


# --- Personal data (portal) -------------------------------------------------------------------


def export_event_registrations(*, user) -> dict:
    registrations = EventRegistration.objects.filter(user=user).select_related("event")
    return {
        "support_event_registrations": [
            {
                "event": r.event.title,
                "start": r.event.start.isoformat(),
                "status": r.status,
                "attended": r.attended,
                "note": r.note,
                "registered_at": r.created_at.isoformat(),
            }
            for r in registrations.order_by("created_at")
        ]
    }


def erase_event_registration_notes(*, user) -> None:
    """What the person wrote to the organisers goes; that they took part stays with the event
    (the row points to the anonymised account)."""
    EventRegistration.objects.filter(user=user).update(note="")
