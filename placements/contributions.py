"""What placements adds to the apps below it (registered in apps.py): applications, cases and
missions are placements' own, so experts learns about them only through these functions."""

from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from partnerships.models import Commune
from partnerships.policies import own_commune_ids
from portal import sqlcache
from portal.policies import may

from . import pdf, workflow
from .forms import RequestInformationForm
from .models import Application, Case, EventRegistration, Mission
from .policies import host_communes_of, hosts_of, keep_case_communes
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


S = Case.State
# Where a request stands once its case is open, as the communes read it: who acts next.
CASE_WORDS_FOR_COMMUNES = {
    **dict.fromkeys(
        (S.SUBMITTED, S.ELIGIBILITY_CHECK, S.APPRAISAL, S.PROFILE_AGREED),
        _("With the programme team"),
    ),
    S.INFO_REQUESTED: _("Waiting for your answer to the programme team"),
    S.ON_HOLD: _("On hold at the programme team"),
    S.DECLINED: _("Declined by the programme team"),
    S.WITHDRAWN: _("Withdrawn by the communes"),
    **dict.fromkeys(
        (S.APPROVED, S.VACANCY_DRAFTED),
        _("Approved: the programme team prepares the vacancy"),
    ),
    **dict.fromkeys((S.PUBLISHED, S.SCREENING), _("The programme team is looking for an expert")),
    S.SHORTLIST_SENT: _("Waiting for the host commune to choose a candidate"),
    **dict.fromkeys(
        (S.CANDIDATE_SELECTED, S.CONTRACTING, S.PREPARING_DEPARTURE),
        _("Expert chosen: the programme team prepares the contract and the departure"),
    ),
    **dict.fromkeys((S.ACTIVE, S.EXTENSION_REQUESTED), _("The mission is under way")),
    S.CLOSING: _("The mission is being closed"),
    S.CLOSED: _("The mission has ended"),
}


def _cases_of_eois(keys):
    return Case.objects.filter(eoi__in=keys).only("eoi", "state")


def eoi_case_words(eois, user, own) -> dict[int, str]:
    """Where submitted and decided expressions of interest stand, from their cases: for the
    communes in words that say who acts next, for programme staff the case's state."""
    by_pk = {eoi.pk: eoi for eoi in eois}
    # Their state is what is read (and the panels of an EOI's page read no more).
    cases = sqlcache.rows(_cases_of_eois, list(by_pk))
    for case in cases:
        # The EOI the caller holds (with what it fetched, its host communes among them); the
        # EOI then has its case too, for the page's panels.
        case.eoi = by_pk[case.eoi_id]
    # Only a shortlist asks whose choice it is: the hosts of those cases alone.
    shortlists = [case for case in cases if own and case.state == S.SHORTLIST_SENT]
    prefetch_related_objects(
        shortlists, Prefetch("host_communes", queryset=Commune.objects.only("pk"))
    )
    words = {}
    for case in cases:
        if not own:
            words[case.eoi_id] = _("Case: %(state)s") % {"state": case.get_state_display()}
        elif case.state == S.SHORTLIST_SENT and {c.pk for c in hosts_of(case)} & own:
            words[case.eoi_id] = _("Waiting for your choice of candidate")
        else:
            words[case.eoi_id] = CASE_WORDS_FOR_COMMUNES[case.state]
    # As text in the active language: the commune members' pages keep them in the cache, where
    # each lazy text would be a new class to build when read.
    return {eoi_id: str(text) for eoi_id, text in words.items()}


def _hosts_of_cases(keys):
    return Commune.objects.filter(cases__in=keys).annotate(case_key=F("cases"))


def _shared_candidates(keys):
    return Application.objects.filter(vacancy__case__in=keys, shared_with_commune=True).values(
        "pk"
    )[:1]


def candidates_panel(request, eoi):
    """The host commune's link to the candidates sent to it, once there are any."""
    case = _case_of(eoi)
    if case is None or not own_commune_ids(request.user):
        return None
    # The hosts recorded on the case, which host_communes_of reads, and whether candidates were
    # shared: their SQL compiled once (portal.sqlcache), and kept on the case, which a commune
    # member's page keeps in the cache with its EOI (partnerships.registries.eoi_panels;
    # apps.py connects Application and Vacancy to forget it).
    if "host_communes" not in getattr(case, "_prefetched_objects_cache", {}):
        sqlcache.prefetched(
            [case], "host_communes", sqlcache.rows(_hosts_of_cases, [case.pk]), "case_key"
        )
    if not host_communes_of(request.user, case):
        return None
    if not hasattr(case, "_candidates_shared"):
        case._candidates_shared = bool(sqlcache.rows(_shared_candidates, [case.pk]))
    if not case._candidates_shared:
        return None
    return "placements/includes_eoi_candidates.html", {"case": case}


def documents_panel(request, eoi):
    """The case summary and, once decided, the decision letter, for staff and the communes of
    the request."""
    case = _case_of(eoi)
    if case is None:
        return None
    if own_commune_ids(request.user):
        # What party_to_case reads, kept on the case with its EOI (see candidates_panel).
        keep_case_communes(case)
    if not may(request.user, "placements.read_case_documents", case):
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
