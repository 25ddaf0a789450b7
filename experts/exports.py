"""The admin's list of expert profiles as a spreadsheet (portal.exports), for programme staff.

Only experts who consented to be found (ExpertProfile.objects.findable(), the pool that matching
ranks) are exported, and only what they gave for being found: no email address, documents or
previous employers. Every export is logged per expert (DocumentAccess, "profile exported"), as
every opening of their documents is."""

from portal.exports import ListExport, column, field_column

from . import services
from .models import ExpertLanguage, ExpertProfile


def _languages(profile):
    spoken = sorted(profile.languages.all(), key=lambda lang: str(lang.get_language_display()))
    return [f"{lang.get_language_display()} {lang.level}" for lang in spoken]


class ExpertProfileExport(ListExport):
    prefetch = ("languages", "expertise", "open_to_models")
    full_name = field_column(ExpertProfile, "full_name")
    country_of_residence = field_column(ExpertProfile, "country_of_residence")
    nationalities = field_column(ExpertProfile, "nationalities")
    languages = column(ExpertLanguage._meta.verbose_name_plural, _languages)
    expertise = field_column(ExpertProfile, "expertise")
    keywords = field_column(ExpertProfile, "keywords")
    years_municipal_experience = field_column(ExpertProfile, "years_municipal_experience")
    countries_worked_in = field_column(ExpertProfile, "countries_worked_in")
    regions_worked_in = field_column(ExpertProfile, "regions_worked_in")
    earliest_availability = field_column(ExpertProfile, "earliest_availability")
    preferred_regions = field_column(ExpertProfile, "preferred_regions")
    open_to_models = field_column(ExpertProfile, "open_to_models")
    proposed_by = field_column(ExpertProfile, "proposed_by")
    updated_at = field_column(ExpertProfile, "updated_at")

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.exported: list[int] = []

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset.findable(), **kwargs)

    def export_resource(self, instance, selected_fields=None, **kwargs):
        self.exported.append(instance.pk)
        return super().export_resource(instance, selected_fields, **kwargs)

    def after_export(self, queryset, dataset, **kwargs):
        services.record_profile_export(profile_ids=self.exported, user=self.user)
