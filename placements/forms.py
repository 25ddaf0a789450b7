from django import forms
from django.utils.translation import gettext_lazy as _


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
