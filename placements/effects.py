"""What a case transition does besides changing the state (placements.workflow's table names
them). Each takes the case, who acts, the reason and the form's data."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from partnerships import services as eoi_services
from portal.models import User
from portal.services import send_notification

from .models import Application, Case, Mission, Vacancy
from .policies import hosts_of
from .reporting import plan_reports

S = Case.State


def ask_communes_for_information(case: Case, by, reason: str, data: dict) -> None:
    eoi_services.request_changes(eoi=case.eoi, by=by, message=reason)


def tell_communes_decision(case: Case, by, reason: str, data: dict) -> None:
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
    """The vacancy of a case, prefilled from the agreed profile."""
    eoi = case.eoi
    Vacancy.objects.get_or_create(
        case=case,
        defaults={
            "title": eoi.title or str(case),
            "tasks": case.tasks or eoi.expert_tasks,
            "objectives": case.objectives or eoi.objectives,
            "competence_profile": case.competence_profile or eoi.competence_skills,
            "languages": ", ".join(str(lang) for lang in eoi.languages.all()),
            "closing_date": timezone.localdate() + timedelta(days=30),
        },
    )


def publish_vacancy(case: Case, by, reason: str, data: dict) -> None:
    vacancy = case.vacancy
    vacancy.published_at = timezone.now()
    vacancy.save(update_fields=["published_at"])


def share_shortlist(case: Case, by, reason: str, data: dict) -> None:
    """The shortlisted candidates become visible to the host commune, whose members are told."""
    shared = Application.objects.filter(
        vacancy__case=case, status=Application.Status.SHORTLISTED
    ).update(shared_with_commune=True)
    members = User.objects.filter(
        commune_memberships__commune__in=[c.pk for c in hosts_of(case)], is_active=True
    ).distinct()
    for member in members:
        send_notification(
            recipient=member,
            template="shortlist_sent",
            context={
                "case": case,
                "count": shared,
                "link": settings.SITE_URL + reverse("placements:shortlist", args=[case.pk]),
            },
        )


def open_mission(case: Case, by, reason: str, data: dict) -> None:
    start = case.contract_start
    mission = Mission.objects.create(
        case=case,
        expert=case.selected_expert,
        start=start,
        planned_end=start + relativedelta(months=case.duration_months),
    )
    plan_reports(mission)


def extend_mission(case: Case, by, reason: str, data: dict) -> None:
    mission = case.mission
    months = data["months"]
    mission.extension_months += months
    mission.planned_end += relativedelta(months=months)
    mission.save(update_fields=["extension_months", "planned_end"])
    plan_reports(mission)


def end_mission_early(case: Case, by, reason: str, data: dict) -> None:
    mission = case.mission
    mission.terminated_early = True
    mission.actual_end = timezone.localdate()
    mission.save(update_fields=["terminated_early", "actual_end"])
    plan_reports(mission)


def record_mission_end(case: Case, by, reason: str, data: dict) -> None:
    mission = case.mission
    if mission.actual_end is None:
        mission.actual_end = min(timezone.localdate(), mission.planned_end)
        mission.save(update_fields=["actual_end"])
