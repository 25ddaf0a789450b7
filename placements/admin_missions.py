"""The admin of missions, their objectives and reports, and the portfolio PDF of selected rows
(used by the case list too)."""

from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_widgets import NoAddOrDeleteAdmin, ReadOnlyAdmin
from portal.exports import ListExportMixin
from portal.pdf import RenderTimeout
from portal.responses import pdf_download

from . import (
    pdf,
    reporting,
    services,
)
from .exports import MissionExport, MissionReportExport
from .models import (
    Case,
    Indicator,
    Mission,
    MissionObjective,
    MissionReport,
)


def portfolio_of_selected(model_admin, request, queryset, subject: str):
    """The admin actions' portfolio of the selected missions or cases: a small one downloads at
    once; a large one is made in the background."""
    filters = {subject: list(queryset.values_list("pk", flat=True))}
    rows = pdf.portfolio_rows(Mission.objects.all(), Case.objects.all(), filters)
    if len(filters[subject]) > settings.PDF_PORTFOLIO_ON_REQUEST:
        job = services.request_portfolio(
            user=request.user, filters=filters, language=get_language()
        )
        return redirect(job)
    try:
        rendered = pdf.portfolio_pdf(rows, filters)
    except RenderTimeout as error:
        model_admin.message_user(request, str(error), messages.ERROR)
        return None
    return pdf_download(rendered.pdf, filename=f"portfolio-{timezone.localdate()}.pdf")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 1
    fields = ["name", "unit", "baseline", "target"]


class MissionObjectiveInline(admin.StackedInline):
    """The objectives agreed for the mission; their indicators are edited on the objective."""

    model = MissionObjective
    extra = 0
    fields = ["title", "position"]
    show_change_link = True


@admin.register(MissionObjective)
class MissionObjectiveAdmin(admin.ModelAdmin):
    list_display = ["title", "mission"]
    list_select_related = ["mission__expert"]
    search_fields = ["title", "mission__expert__full_name"]
    raw_id_fields = ["mission"]
    inlines = [IndicatorInline]


@admin.register(MissionReport)
class MissionReportAdmin(ReadOnlyAdmin, ListExportMixin, admin.ModelAdmin):
    """Reports are written by the experts and reviewed on the portal's report page."""

    resource_classes = [MissionReportExport]

    list_display = ["mission", "number", "kind", "period_end", "due_date", "status"]
    list_filter = ["status", "kind"]
    list_select_related = ["mission__expert"]
    search_fields = ["mission__expert__full_name", "mission__case__eoi__title"]
    date_hierarchy = "due_date"

    def view_on_site(self, obj):
        return obj.get_absolute_url()


@admin.register(Mission)
class MissionAdmin(NoAddOrDeleteAdmin, ListExportMixin, SimpleHistoryAdmin):
    resource_classes = [MissionExport]
    list_display = ["case", "expert", "start", "planned_end", "actual_end", "terminated_early"]
    list_filter = ["terminated_early"]
    list_select_related = ["case", "expert"]
    search_fields = ["expert__full_name", "case__eoi__title"]
    readonly_fields = [
        "case",
        "expert",
        "start",
        "planned_end",
        "extension_months",
        "terminated_early",
        "actual_end",
    ]
    fields = [*readonly_fields, "report_interval_months"]
    inlines = [MissionObjectiveInline]
    actions = ["portfolio_pdf"]
    change_form_template = "admin/placements/mission/change_form.html"

    @admin.action(
        description=_("Portfolio summary of the selected missions (PDF)"), permissions=["view"]
    )
    def portfolio_pdf(self, request, queryset):
        return portfolio_of_selected(self, request, queryset, "missions")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "report_interval_months" in form.changed_data:
            # A new cadence plans the reports not started yet again.
            reporting.plan_reports(obj)
