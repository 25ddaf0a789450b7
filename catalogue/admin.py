from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin_widgets import NoAddOrDeleteAdmin, ReadOnlyAdmin, SafeAutocompleteMixin

from .models import (
    CountryDeploymentRule,
    DeploymentType,
    EligibleCountry,
    SustainableDevelopmentGoal,
    Theme,
)


@admin.register(EligibleCountry)
class EligibleCountryAdmin(admin.ModelAdmin):
    list_display = ["country", "income_group", "german_partner_country", "active"]
    list_filter = ["income_group", "german_partner_country", "active"]
    list_editable = ["german_partner_country", "active"]
    search_fields = ["country"]
    search_help_text = _("Search by the two-letter country code, for example GH.")


@admin.register(Theme)
class ThemeAdmin(NoAddOrDeleteAdmin, admin.ModelAdmin):
    """The themes are fixed by the programme; only their order can change."""

    list_display = ["__str__", "code", "position"]
    list_editable = ["position"]
    readonly_fields = ["code"]


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["__str__"]


@admin.register(DeploymentType)
class DeploymentTypeAdmin(NoAddOrDeleteAdmin, admin.ModelAdmin):
    """The programme's three deployment models: fixed codes, editable rules."""

    list_display = ["code", "contract_party", "required_nationality", "salary_top_up"]
    readonly_fields = ["code"]


@admin.register(CountryDeploymentRule)
class CountryDeploymentRuleAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    list_display = ["country", "deployment_type", "allowed", "valid_from", "valid_until", "note"]
    list_filter = ["deployment_type", "allowed", "country__german_partner_country"]
    list_editable = ["allowed"]
    list_select_related = ["country", "deployment_type"]
    search_fields = ["country__country", "note"]
    autocomplete_fields = ["country"]
