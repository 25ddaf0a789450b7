import zoneinfo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Theme
from catalogue.vocabularies import WORLD_LANGUAGES
from portal.text import strip_bidi_controls
from portal.uploads import validate_upload

from .models import SupportEvent, SupportEventDocument

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

    def __init__(self, *args, transition, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update({"transition": transition.name, "expected_state": case.state})
        self.fields["reason"].required = transition.reason_required
        if not transition.asks_months:
            del self.fields["months"]
        else:
            self.fields["months"].required = True
        prefix = f"t-{transition.name}"
        for name, field in self.fields.items():
            field.widget.attrs["id"] = f"{prefix}-{name}"


class CaseMessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message to the communes"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MatchingFilterForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Area of expertise"), required=False, queryset=None)
    language = forms.ChoiceField(label=_("Language"), required=False)
    nationality = forms.CharField(
        label=_("Nationality (country code)"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 3}),
    )
    available_by = forms.DateField(
        label=_("Available by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Theme.objects.all()
        self.fields["language"].choices = [("", "---------"), *WORLD_LANGUAGES]

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Motivation letter"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Why this mission, and what you bring to the host commune."),
    )


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
