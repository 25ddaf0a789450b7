import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import DeploymentType, Theme
from catalogue.vocabularies import language_choices
from portal.widgets import SearchableSelect

from .models import Vacancy


class VacancyFilter(django_filters.FilterSet):
    theme = django_filters.ModelChoiceFilter(
        label=_("Thematic field"), queryset=Theme.objects.all(), field_name="case__eoi__themes"
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"),
        method="filter_country",
        empty_label=_("any"),
        widget=SearchableSelect,
    )
    model = django_filters.ModelChoiceFilter(
        label=_("Deployment model"),
        queryset=DeploymentType.objects.all(),
        field_name="case__deployment_type",
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=language_choices,
        field_name="case__eoi__languages__language",
        empty_label=_("any"),
        # No cache_key: the choices are narrowed to the languages of open vacancies per request.
        widget=SearchableSelect,
    )

    class Meta:
        model = Vacancy
        fields = ["theme", "country", "model", "language"]

    def __init__(self, *args, countries=(), languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries of open vacancies: a short list, not 250 options.
        self.filters["country"].extra["choices"] = countries
        # The same for the languages offered, not 600 of them; any language is still accepted,
        # and one that no vacancy needs finds none.
        field = self.form.fields["language"]
        field.widget.choices = [next(iter(field.choices)), *languages]

    def filter_country(self, queryset, name, value):
        return queryset.filter(
            Q(case__host_communes__country=value) | Q(case__eoi__host_communes__country=value)
        ).distinct()
