import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import DeploymentType, Theme
from catalogue.vocabularies import WORLD_LANGUAGES

from .models import Vacancy


class VacancyFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Thematic field"), queryset=Theme.objects.all(), field_name="case__eoi__themes"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), method="filter_country", empty_label=_("any")
    )
    model = django_filters.ModelChoiceFilter(
        label=_("Deployment model"),
        queryset=DeploymentType.objects.all(),
        field_name="case__deployment_type",
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=WORLD_LANGUAGES,
        field_name="case__eoi__languages__language",
        empty_label=_("any"),
    )

    class Meta:
        model = Vacancy
        fields = ["theme", "country", "model", "language"]

    def __init__(self, *args, countries=(), languages=WORLD_LANGUAGES, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries and languages of open vacancies: short lists, not 250 countries
        # and 90 languages rendered on every request.
        self.filters["country"].extra["choices"] = countries
        self.filters["language"].extra["choices"] = languages

    def filter_country(self, queryset, name, value):
        return queryset.filter(
            Q(case__host_communes__country=value) | Q(case__eoi__host_communes__country=value)
        ).distinct()
