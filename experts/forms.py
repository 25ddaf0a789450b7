from html import escape

from django import forms
from django.forms import inlineformset_factory
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from catalogue.models import DeploymentType, Theme

from .models import ExpertDocument, ExpertLanguage, ExpertProfile, Position

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_YEARS = 60


class OptionsInPython:
    """Writes a select's options in Python. The lists of countries and languages have hundreds
    of options, shown in every row of the formsets: through Django's option template, a profile
    with ten positions took seconds to render."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        selected = set(self.format_value(value))
        parts = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):
                group = "".join(self._option(v, lab, selected) for v, lab in label)
                parts.append(f'<optgroup label="{escape(str(option_value))}">{group}</optgroup>')
            else:
                parts.append(self._option(option_value, label, selected))
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{"".join(parts)}</select>')

    @staticmethod
    def _option(value, label, selected) -> str:
        value = "" if value is None else str(value)
        mark = " selected" if value in selected else ""
        return f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>'


class Select(OptionsInPython, forms.Select):
    pass


class SelectMultiple(OptionsInPython, forms.SelectMultiple):
    pass


class ExpertProfileForm(forms.ModelForm):
    """The profile itself, in the sections the page shows."""

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
            "nationalities": SelectMultiple(attrs={"size": 8}),
            "country_of_residence": Select,
            "countries_worked_in": SelectMultiple(attrs={"size": 8}),
            "expertise": forms.CheckboxSelectMultiple,
            "open_to_models": forms.CheckboxSelectMultiple,
            "earliest_availability": DATE_INPUT,
        }
        help_texts = {
            "nationalities": _("Hold Ctrl (Cmd on a Mac) to choose more than one."),
            "countries_worked_in": _("Hold Ctrl (Cmd on a Mac) to choose more than one."),
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
    class Meta:
        model = ExpertLanguage
        fields = ["language", "level"]
        widgets = {"language": Select, "level": Select}


class PositionForm(forms.ModelForm):
    class Meta:
        model = Position
        fields = ["employer", "country", "role", "start", "end"]
        widgets = {"start": DATE_INPUT, "end": DATE_INPUT, "country": Select}

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


LanguageFormSet = inlineformset_factory(
    ExpertProfile,
    ExpertLanguage,
    form=ExpertLanguageForm,
    extra=2,
    max_num=20,
    validate_max=True,
    can_delete=True,
)

PositionFormSet = inlineformset_factory(
    ExpertProfile,
    Position,
    form=PositionForm,
    extra=2,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


class DocumentForm(forms.Form):
    """One upload of a CV or a certificate; services.add_document checks the file's type and
    size."""

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
