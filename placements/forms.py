import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from catalogue.vocabularies import language_choices
from portal.text import strip_bidi_controls
from portal.uploads import validate_upload
from portal.widgets import SearchableSelect

from .models import Case, MissionReport, ObjectiveProgress, SupportEvent, SupportEventDocument

MAX_EVENT_DOCUMENT_BYTES = 10 * 1024 * 1024


class RequestInformationForm(forms.Form):
    """Programme staff send a submitted expression of interest back to the communes."""

    message = forms.CharField(
        label=_("What information is missing?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TransitionForm(forms.Form):
    """One button of the case page: the transition, the state the person saw, and a reason."""

    transition = forms.CharField(widget=forms.HiddenInput)
    expected_state = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    months = forms.IntegerField(label=_("Months"), required=False, min_value=1, max_value=24)
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm that this cannot be undone.")},
    )

    def __init__(self, *args, transition, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({"transition": transition.name, "expected_state": case.state})
        self.fields["reason"].required = transition.reason_required
        if not transition.asks_months:
            del self.fields["months"]
        else:
            self.fields["months"].required = True
        if not transition.irreversible:
            del self.fields["confirm"]
        prefix = f"t-{transition.name}"
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"{prefix}-{name}"


class CaseMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the communes"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class _Ready(BaseChoiceIterator):
    """Choices that are (value, label) pairs already, read from `function` when used. Django
    normalizes a list of choices again for every form and for every rendering of its select,
    which for 640 languages and 250 countries cost more than the rest of the form."""

    def __init__(self, function):
        self.function = function

    def __iter__(self):
        return iter(self.function())


BLANK = (("", "---------"),)


class MatchingFilterForm(forms.Form):
    skill = forms.TypedChoiceField(
        label=_("Area of expertise"), required=False, coerce=int, empty_value=None
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=_Ready(lambda: BLANK + language_choices()),
        widget=SearchableSelect(cache_key="world-languages-or-blank"),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        choices=_Ready(lambda: _country_choices(get_language() or settings.LANGUAGE_CODE)),
        widget=SearchableSelect(cache_key="countries-or-blank"),
    )
    available_by = forms.DateField(
        label=_("Available by"),
        required=False,
        # A date input takes ISO dates, whatever the page's language writes dates as.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, themes=None, **kwargs):
        """`themes`: every Theme, when the page has read them already."""
        super().__init__(*args, **kwargs)
        self.themes = {t.pk: t for t in (Theme.objects.all() if themes is None else themes)}
        self.fields["skill"].choices = [*BLANK, *((pk, str(t)) for pk, t in self.themes.items())]

    def clean_skill(self):
        return self.themes.get(self.cleaned_data["skill"])

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()


@functools.lru_cache(maxsize=16)
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every country named in `language`, the active language: the names translated and sorted
    once per language instead of at every use."""
    return (*BLANK, *((code, str(name)) for code, name in countries))


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Motivation letter"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Why this mission, and what you bring to the host commune."),
    )


class ReportForm(forms.ModelForm):
    """The expert's report: the texts, the SDGs, and for each agreed objective its status, what
    happened and the latest value of each indicator. Saving accepts gaps; submission checks."""

    revision = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = MissionReport
        fields = [
            "activities",
            "results",
            "difficulties",
            "next_steps",
            "transparency",
            "cooperation",
            "inclusion",
            "sdgs",
            "sdg_contribution",
        ]
        widgets = {"sdgs": forms.CheckboxSelectMultiple}
        help_texts = {
            "activities": _("What you did in the period, with whom."),
            "results": _("What has changed for the commune and its citizens."),
            "transparency": _("How decisions and results were made public."),
            "cooperation": _("Which departments and institutions worked together, and how."),
            "inclusion": _("What reached women and other disadvantaged groups."),
        }

    def __init__(self, *args, objectives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("revision", self.instance.revision)
        for field in self.fields.values():
            field.required = False
        self.fields["revision"].required = True
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()
        progress = {p.objective_id: p for p in self.instance.progress.all()}
        values = {v.indicator_id: v.value for v in self.instance.indicator_values.all()}
        self.objective_fields = []
        for objective in objectives:
            current = progress.get(objective.pk)
            status = f"objective_{objective.pk}_status"
            narrative = f"objective_{objective.pk}_narrative"
            self.fields[status] = forms.ChoiceField(
                label=_("Status"),
                choices=[("", "—"), *ObjectiveProgress.Status.choices],
                required=False,
                initial=current.status if current else "",
            )
            self.fields[narrative] = forms.CharField(
                label=_("What happened"),
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=8000,
                required=False,
                initial=current.narrative if current else "",
            )
            indicator_names = []
            for indicator in objective.indicators.all():
                name = f"indicator_{indicator.pk}"
                self.fields[name] = forms.DecimalField(
                    label=indicator.name,
                    help_text=_("Baseline %(baseline)s, target %(target)s %(unit)s")
                    % {
                        "baseline": indicator.baseline,
                        "target": indicator.target,
                        "unit": indicator.unit,
                    },
                    max_digits=14,
                    decimal_places=2,
                    required=False,
                    initial=values.get(indicator.pk),
                )
                indicator_names.append((indicator, name))
            self.objective_fields.append((objective, status, narrative, indicator_names))

    def objective_rows(self):
        """For the template: each objective with its bound fields."""
        return [
            (objective, self[status], self[narrative], [self[name] for _i, name in indicators])
            for objective, status, narrative, indicators in self.objective_fields
        ]

    def valid_data(self) -> tuple[dict, dict, dict]:
        """What can be saved of the input, also when other fields have errors: (texts and
        SDGs, progress per objective, indicator values)."""
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: cleaned[name] for name in self.Meta.fields if name in cleaned}
        progress, values = {}, {}
        for objective, status, narrative, indicators in self.objective_fields:
            if status in cleaned and narrative in cleaned:
                progress[objective.pk] = (cleaned[status], cleaned[narrative])
            for indicator, name in indicators:
                if name in cleaned:
                    values[indicator.pk] = cleaned[name]
        return data, progress, values


class ReportReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the report")), ("return", _("Return it for revision"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the expert"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report: say what to change."),
    )


class ReportCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportAttachmentForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class EventRegistrationForm(forms.Form):
    note = forms.CharField(
        label=_("Anything the organisers should know (optional)"),
        help_text=_("For example access needs or dietary requirements. At most 1,000 characters."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupportEventForm(forms.ModelForm):
    """Staff type the start and end as the clock shows them where the event takes place; they
    are stored in UTC."""

    online_link = forms.URLField(
        label=_("online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["https"])],
        help_text=_("An https:// address of the online meeting."),
    )

    class Meta:
        model = SupportEvent
        fields = [
            "title",
            "kind",
            "audience",
            "published",
            "time_zone",
            "start",
            "end",
            "place",
            "online_link",
            "capacity",
            "agenda",
        ]
        help_texts = {
            "start": _("Local time where the event takes place (see its time zone)."),
            "end": _("Local time where the event takes place (see its time zone)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            zone = zoneinfo.ZoneInfo(self.instance.time_zone)
            for name in ("start", "end"):
                # Naive values are shown as they are, not moved into the staff member's zone.
                self.initial[name] = timezone.make_naive(getattr(self.instance, name), zone)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("time_zone")
        if name:
            zone = zoneinfo.ZoneInfo(name)
            for field in ("start", "end"):
                value = cleaned.get(field)
                if value is not None:
                    local = timezone.make_naive(value, timezone.get_current_timezone())
                    cleaned[field] = timezone.make_aware(local, zone)
                    setattr(self.instance, field, cleaned[field])
        return cleaned


class SupportEventDocumentForm(forms.ModelForm):
    """An event's document, checked like every upload: its type read from its content."""

    class Meta:
        model = SupportEventDocument
        fields = ["file"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if isinstance(file, UploadedFile):
            self.instance.content_type = validate_upload(file, max_bytes=MAX_EVENT_DOCUMENT_BYTES)
            self.instance.original_name = strip_bidi_controls(file.name)[:255]
            self.instance.size = file.size
        return file


class PortfolioForm(forms.Form):
    """Which missions (or cases) a portfolio summary covers; every filter may stay empty."""

    subject = forms.ChoiceField(
        label=_("Covers"),
        required=False,
        choices=[("missions", _("Missions")), ("cases", _("Cases, also before their mission"))],
        help_text=_("The state filter for missions offers the states of a mission."),
    )
    country = forms.ChoiceField(label=_("Host country"), required=False)
    model = forms.ChoiceField(label=_("Deployment model"), required=False)
    theme = forms.ChoiceField(label=_("Thematic field"), required=False)
    sdg = forms.TypedChoiceField(label=_("SDG"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)
    period_from = forms.DateField(
        label=_("Active from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label=_("Active until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        self.fields["country"].choices = anything + list(countries)
        self.fields["model"].choices = anything + list(DeploymentType.Code.choices)
        self.fields["theme"].choices = anything + list(Theme.Code.choices)
        self.fields["sdg"].choices = anything + [
            (sdg.number, str(sdg)) for sdg in SustainableDevelopmentGoal.objects.order_by("number")
        ]
        self.fields["state"].choices = anything + list(Case.State.choices)

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period comes before its start."))
        state = data.get("state")
        if state and data.get("subject") != "cases" and Case.STAGE_OF[state] != Case.Stage.MISSION:
            self.add_error("state", _("A mission is in none of the states before it starts."))
        return data

    def filters(self) -> dict:
        """The cleaned filters as JSON values (a background job keeps them)."""
        return {
            name: value.isoformat() if hasattr(value, "isoformat") else value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }
