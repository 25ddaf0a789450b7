"""What the partnerships app adds to the portal's own pages: the name and commune questions of
the sign-up (ACCOUNT_SIGNUP_FORM_CLASS), and telling the commune once the address is confirmed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import User

from . import services
from .forms import CommuneChoiceField, commune_missing_help
from .models import Commune


class SignupForm(forms.Form):
    """allauth's sign-up (ACCOUNT_SIGNUP_FORM_CLASS) asks for the name, and commune staff may ask
    to join their commune at once: a member of the commune or programme staff confirm it."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("Shown to the people you work with, instead of your email address."),
    )
    commune = CommuneChoiceField(
        label=_("Your commune (staff of a commune only)"),
        queryset=Commune.objects.all(),
        required=False,
        empty_label=_("— none: I am an expert, or I will ask later —"),
    )
    function = forms.CharField(
        label=_("Your function in the commune"), max_length=200, required=False
    )
    field_order = ["full_name", "email", "password1", "password2", "commune", "function"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].validators.append(User._meta.get_field("full_name").validators[0])
        self.fields["commune"].help_text = commune_missing_help()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("commune") and not cleaned.get("function"):
            self.add_error("function", _("Please tell us your function in the commune."))
        return cleaned

    def signup(self, request, user):
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])
        if self.cleaned_data.get("commune"):
            services.request_membership(
                user=user,
                commune=self.cleaned_data["commune"],
                function=self.cleaned_data["function"],
            )


def address_confirmed(sender, request, email_address, **kwargs):
    """allauth's email_confirmed: requests made at sign-up reach the commune now, at the first
    address the person confirms (a later, second address tells nobody again)."""
    user = email_address.user
    if not user.emailaddress_set.filter(verified=True).exclude(pk=email_address.pk).exists():
        services.notify_members_of_requests(user=user)
