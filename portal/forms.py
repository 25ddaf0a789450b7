from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .notifications import CATEGORIES, OPTIONAL


class AccountSettingsForm(forms.ModelForm):
    """Name, language and time zone, and one checkbox per category of email (portal.notifications):
    optional ones can be unticked; mandatory ones are disabled, so that whatever is posted for
    them, Django keeps them on."""

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opted_out = set(self.instance.email_opt_outs or [])
        for category in CATEGORIES:
            self.fields[self.notification_field(category)] = forms.BooleanField(
                label=category.label,
                help_text=category.help_text,
                required=False,
                disabled=category.mandatory,
                initial=category.mandatory or category.code not in opted_out,
            )

    @staticmethod
    def notification_field(category) -> str:
        return f"email_{category.code}"

    def account_fields(self):
        return [self[name] for name in self._meta.fields]

    def notification_fields(self):
        return [self[self.notification_field(category)] for category in CATEGORIES]

    def save(self, commit=True):
        self.instance.email_opt_outs = [
            category.code
            for category in OPTIONAL
            if not self.cleaned_data[self.notification_field(category)]
        ]
        return super().save(commit=commit)


class EraseAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account and personal data will be erased for good."),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This password is not correct."), code="wrong_password")
        return password
