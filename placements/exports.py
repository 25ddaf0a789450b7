"""The admin's lists of cases, missions and reports as spreadsheets (portal.exports): the rows of
the list as filtered, headers and values in the reader's language, columns in a fixed order.
No export carries money: salaries and top-ups stay on finance's logged pages."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from partnerships.models import Commune
from portal.exports import ListExport, column, field_column

from .models import Case, Mission, MissionReport

HOST_COMMUNES = Prefetch("host_communes", queryset=Commune.objects.order_by("name"))


def _host_communes(case):
    return [commune.name for commune in case.host_communes.all()]


def _host_countries(case):
    # Names in the reader's language, each once, in that language's order.
    return sorted({str(commune.country.name) for commune in case.host_communes.all()})


def _person(user):
    return (user.full_name or user.email) if user else ""


class CaseExport(ListExport):
    select = ("eoi", "deployment_type", "case_officer")
    prefetch = (HOST_COMMUNES, "eoi__themes")
    number = column(_("case"), lambda case: case.pk)
    title = column(_("title"), lambda case: case.eoi.title)
    state = field_column(Case, "state")
    stage = field_column(Case, "stage")
    state_changed_at = field_column(Case, "state_changed_at")
    host_communes = field_column(Case, "host_communes", read=_host_communes)
    host_countries = column(_("host countries"), _host_countries)
    deployment_model = field_column(Case, "deployment_type")
    themes = column(_("themes"), lambda case: [str(theme) for theme in case.eoi.themes.all()])
    case_officer = column(_("case officer"), lambda case: _person(case.case_officer))
    planned_start = field_column(Case, "planned_start")
    duration_months = field_column(Case, "duration_months")
    contract_party = field_column(Case, "contract_party")
    contract_start = field_column(Case, "contract_start")
    created_at = field_column(Case, "created_at")


class MissionExport(ListExport):
    select = ("expert", "case__eoi", "case__deployment_type")
    prefetch = (Prefetch("case__host_communes", queryset=HOST_COMMUNES.queryset),)
    case = column(_("case"), lambda mission: mission.case_id)
    title = column(_("title"), lambda mission: mission.case.eoi.title)
    expert = column(_("expert"), lambda mission: mission.expert.full_name)
    state = column(_("state"), lambda mission: mission.case.get_state_display())
    deployment_model = column(_("deployment model"), lambda mission: mission.case.deployment_type)
    host_communes = column(_("host communes"), lambda mission: _host_communes(mission.case))
    host_countries = column(_("host countries"), lambda mission: _host_countries(mission.case))
    start = field_column(Mission, "start")
    planned_end = field_column(Mission, "planned_end")
    actual_end = field_column(Mission, "actual_end")
    extension_months = field_column(Mission, "extension_months")
    terminated_early = field_column(Mission, "terminated_early")
    report_interval_months = field_column(Mission, "report_interval_months")


class MissionReportExport(ListExport):
    select = ("mission__expert", "mission__case__eoi")
    prefetch = ("sdgs",)
    case = column(_("case"), lambda report: report.mission.case_id)
    title = column(_("title"), lambda report: report.mission.case.eoi.title)
    expert = column(_("expert"), lambda report: report.mission.expert.full_name)
    number = field_column(MissionReport, "number")
    kind = field_column(MissionReport, "kind")
    period_start = field_column(MissionReport, "period_start")
    period_end = field_column(MissionReport, "period_end")
    due_date = field_column(MissionReport, "due_date")
    status = field_column(MissionReport, "status")
    submitted_at = field_column(MissionReport, "submitted_at")
    decided_at = field_column(MissionReport, "decided_at")
    sdgs = field_column(MissionReport, "sdgs")
