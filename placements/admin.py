from django.contrib import admin

from .models import DeploymentType


@admin.register(DeploymentType)
class DeploymentTypeAdmin(admin.ModelAdmin):
    """The programme's three deployment models: fixed codes, editable rules."""

    list_display = ["code", "contract_party", "required_nationality", "salary_top_up"]
    readonly_fields = ["code"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
