from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Theme
from catalogue.vocabularies import WORLD_LANGUAGES


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
