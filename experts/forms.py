from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from catalogue.models import DeploymentType, Theme
from catalogue.selectors import theme_and_deployment_type_choices
from portal.widgets import (
    SearchableSelect,
    SearchableSelectMultiple,
    share_choices,
)

from .models import ExpertDocument, ExpertLanguage, ExpertProfile, Position

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_YEARS = 60


class ExpertProfileForm(forms.ModelForm):
    """The profile itself, in the sections the page shows."""

    # Its fields' markup is kept per language (portal.templatetags.form_fields, as_field).
    same_fields_in_every_form = True

    SECTIONS = [
        (
            "basics",
            _("About you"),
            ["full_name", "nationalities", "country_of_residence"],
        ),
        (
            "experience",
            _("Expertise and experience"),
            [
                "expertise",
                "keywords",
                "years_municipal_experience",
                "countries_worked_in",
                "regions_worked_in",
            ],
        ),
        (
            "availability",
            _("Availability and deployment"),
            ["earliest_availability", "preferred_regions", "open_to_models"],
        ),
        ("consent", _("Consent"), ["consent_to_be_found"]),
    ]

    class Meta:
        model = ExpertProfile
        fields = [
            "full_name",
            "nationalities",
            "country_of_residence",
            "expertise",
            "keywords",
            "years_municipal_experience",
            "countries_worked_in",
            "regions_worked_in",
            "earliest_availability",
            "preferred_regions",
            "open_to_models",
            "consent_to_be_found",
        ]
        widgets = {
            # One cache key per list of choices: a blank choice makes another list.
            "nationalities": SearchableSelectMultiple(cache_key="countries"),
            "country_of_residence": SearchableSelect(cache_key="countries-or-blank"),
            "countries_worked_in": SearchableSelectMultiple(cache_key="countries"),
            "expertise": forms.CheckboxSelectMultiple,
            "open_to_models": forms.CheckboxSelectMultiple,
            "earliest_availability": DATE_INPUT,
        }
        help_texts = {
            "preferred_regions": _("For example “West Africa, Andes”."),
            "consent_to_be_found": _(
                "Programme staff may then propose you to communes looking for an expert. "
                "You can withdraw this consent at any time."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expertise"].queryset = Theme.objects.all()
        self.fields["open_to_models"].queryset = DeploymentType.objects.all()
        # Listed from the cache (catalogue.selectors); the querysets check what is posted.
        themes, models = theme_and_deployment_type_choices()
        self.fields["expertise"].choices = themes
        self.fields["open_to_models"].choices = models
        self.fields["years_municipal_experience"].widget.attrs.update({"min": 0, "max": MAX_YEARS})

    def clean_years_municipal_experience(self):
        value = self.cleaned_data.get("years_municipal_experience")
        if value is not None and value > MAX_YEARS:
            raise forms.ValidationError(
                _("Please enter at most %(years)s years.") % {"years": MAX_YEARS}
            )
        return value

    def sections(self):
        """(anchor, title, bound fields) per section of the page."""
        return [
            (slug, title, [self[name] for name in names]) for slug, title, names in self.SECTIONS
        ]


class ExpertLanguageForm(forms.ModelForm):
    same_fields_in_every_form = True

    class Meta:
        model = ExpertLanguage
        fields = ["language", "level"]
        widgets = {"language": SearchableSelect(cache_key="world-languages-or-blank")}


class PositionForm(forms.ModelForm):
    same_fields_in_every_form = True

    class Meta:
        model = Position
        fields = ["employer", "country", "role", "start", "end"]
        widgets = {
            "start": DATE_INPUT,
            "end": DATE_INPUT,
            "country": SearchableSelect(cache_key="countries-or-blank"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                forms.ValidationError(
                    _("The end date must be on or after the start date."), code="before_start"
                ),
            )
        return cleaned


class ProfileRowsFormSet(BaseInlineFormSet):
    """The profile's languages or positions: from those prefetched with the profile
    (``ExpertProfile.objects.with_details()``), in the same order, when they were."""

    def get_queryset(self):
        if not hasattr(self, "_profile_rows"):
            rows = None
            if self.instance.pk is not None:
                rows = getattr(self.instance, self.fk.remote_field.get_accessor_name()).all()
            # Ordered: the prefetched rows (or a query of them in the model's order); else the
            # formset's own query, ordered by key.
            ordered = rows is not None and rows.ordered
            self._profile_rows = rows if ordered else super().get_queryset()
        return self._profile_rows


LanguageFormSet = inlineformset_factory(
    ExpertProfile,
    ExpertLanguage,
    form=ExpertLanguageForm,
    formset=ProfileRowsFormSet,
    extra=2,
    max_num=20,
    validate_max=True,
    can_delete=True,
)

PositionFormSet = inlineformset_factory(
    ExpertProfile,
    Position,
    form=PositionForm,
    formset=ProfileRowsFormSet,
    extra=2,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


# The lists of countries, languages and levels are the same in every form and row.
share_choices(ExpertProfileForm, "nationalities", "country_of_residence", "countries_worked_in")
share_choices(LanguageFormSet.form, "language", "level")
share_choices(PositionFormSet.form, "country")


class DocumentForm(forms.Form):
    """One upload of a CV or a certificate; services.add_document checks the file's type and
    size."""

    # The same field in every form of a kind (whose prefix is the kind): its markup is kept.
    same_fields_in_every_form = True

    file = forms.FileField(label=_("File"))

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind = kind
        field = self.fields["file"]
        if kind == ExpertDocument.Kind.CV:
            field.label = _("Upload your CV")
            field.help_text = _("PDF, at most 5 MB. A new CV replaces the previous one.")
            field.widget.attrs["accept"] = ".pdf"
        else:
            field.label = _("Upload a certificate")
            field.help_text = _("PDF, JPEG or PNG, at most 5 MB each and 10 certificates.")
            field.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"
