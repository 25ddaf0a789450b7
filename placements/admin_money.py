"""The money of missions in the admin: finance's pay records by deployment model, and the log of
every look at salary data."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_widgets import ReadOnlyAdmin, SafeAutocompleteMixin

from .models import SalaryAccess, SalaryTopUp


def log_salary_access(request, action, case=None) -> None:
    SalaryAccess.objects.create(user=request.user, case=case, action=action)


@admin.register(SalaryTopUp)
class SalaryTopUpAdmin(SafeAutocompleteMixin, SimpleHistoryAdmin):
    """Finance records the money of each mission by deployment model; every look is logged."""

    list_display = [
        "case",
        "local_salary",
        "local_currency",
        "top_up",
        "top_up_currency",
        "giz_contract_reference",
    ]
    list_select_related = ["case"]
    autocomplete_fields = ["case"]
    search_fields = ["case__eoi__title"]

    def changelist_view(self, request, extra_context=None):
        if self.has_view_permission(request):
            log_salary_access(request, SalaryAccess.Action.LIST)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pay = self.get_object(request, object_id)
        if pay is not None and self.has_view_permission(request, pay):
            log_salary_access(request, SalaryAccess.Action.VIEW, pay.case)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SalaryAccess)
class SalaryAccessAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["created_at", "user", "action", "case"]
    list_filter = ["action"]
    list_select_related = ["user", "case__eoi"]
    date_hierarchy = "created_at"
