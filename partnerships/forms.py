from django import forms
from django.conf import settings
from django.db.models import Q
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from catalogue.models import DeploymentType, EligibleCountry, SustainableDevelopmentGoal, Theme
from portal.models import User
from portal.widgets import LocaleSortedModelChoiceField, SearchableSelect

from . import steps
from .models import (
    Commune,
    ExpressionOfInterest,
    Invitation,
    MembershipRequest,
    Partnership,
    RequiredLanguage,
)

TEXTAREA = forms.Textarea(attrs={"rows": 5})


class StepForm(forms.ModelForm):
    """One step of the expression of interest. Saving a draft accepts empty fields; the fields in
    ``required_for_submission`` are checked before the communes can confirm."""

    step: steps.Step

    @property
    def step_slug(self) -> str:
        return self.step.slug

    @property
    def required_for_submission(self) -> tuple[str, ...]:
        return self.step.required_for_submission

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for name, field in self.fields.items():
            field.required = False
            if name in self.required_for_submission:
                field.label = f"{field.label} *"
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.setdefault("rows", 5)


class CommunesStepForm(StepForm):
    step = steps.COMMUNES

    class Meta:
        model = ExpressionOfInterest
        fields = steps.COMMUNES.fields
        widgets = {
            "partnerships": forms.CheckboxSelectMultiple,
            "host_communes": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "title": _("A few words that name the project, e.g. “Waste management in Kpalimé”."),
            "host_communes": _(
                "The expert works in one commune, in several, or in an association of communes."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user: User = self.user
        eoi = self.instance
        own = Commune.objects.of_member(user).values("pk")
        partnerships = Partnership.objects.filter(
            Q(german_commune__in=own) | Q(partner_communes__in=own)
        ) | Partnership.objects.filter(pk__in=eoi.partnerships.values("pk"))
        self.fields["partnerships"].queryset = (
            partnerships.distinct().select_related("german_commune").order_by("name")
        )
        hosts = Commune.objects.abroad().filter(
            Q(partnerships_abroad__in=self.fields["partnerships"].queryset)
            | Q(associations__partnerships_abroad__in=self.fields["partnerships"].queryset)
            | Q(pk__in=eoi.host_communes.values("pk"))
        )
        self.fields["host_communes"].queryset = hosts.distinct().order_by("name")

    def clean(self):
        cleaned = super().clean()
        partnerships = cleaned.get("partnerships")
        hosts = cleaned.get("host_communes")
        if partnerships and hosts:
            allowed = set(
                Commune.objects.filter(
                    Q(partnerships_abroad__in=partnerships)
                    | Q(associations__partnerships_abroad__in=partnerships)
                ).values_list("pk", flat=True)
            )
            stray = [c.name for c in hosts if c.pk not in allowed]
            eligible = set(EligibleCountry.objects.can_host().values_list("country", flat=True))
            ineligible = [c.name for c in hosts if c.country.code not in eligible]
            if ineligible:
                self.add_error(
                    "host_communes",
                    _(
                        "%(communes)s: the country is not on the list of countries that can host "
                        "an expert."
                    )
                    % {"communes": ", ".join(ineligible)},
                )
            if stray:
                self.add_error(
                    "host_communes",
                    _("%(communes)s is not a partner in the chosen partnerships.")
                    % {"communes": ", ".join(stray)},
                )
        return cleaned


class ProjectStepForm(StepForm):
    step = steps.PROJECT

    class Meta:
        model = ExpressionOfInterest
        fields = steps.PROJECT.fields
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "sdgs": forms.CheckboxSelectMultiple,
            "problem_and_needs": TEXTAREA,
            "project_idea": TEXTAREA,
            "objectives": TEXTAREA,
        }
        help_texts = {
            "problem_and_needs": _("What problem should the expert help solve, and why now?"),
            "objectives": _("What should have changed after the expert's mission?"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["sdgs"].queryset = SustainableDevelopmentGoal.objects.all()

    def clean(self):
        cleaned = super().clean()
        themes = cleaned.get("themes") or []
        if any(t.code == Theme.Code.OTHER for t in themes) and not cleaned.get("theme_other"):
            self.add_error("theme_other", _("Please name the other thematic field."))
        return cleaned


class ExpertStepForm(StepForm):
    step = steps.EXPERT

    class Meta:
        model = ExpressionOfInterest
        fields = steps.EXPERT.fields
        widgets = {
            "expert_tasks": TEXTAREA,
            "competence_skills": TEXTAREA,
            "preferred_deployment_types": forms.CheckboxSelectMultiple,
            "intended_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "preferred_deployment_types": _(
                "Not every model is possible in every country; if unsure, ask us to advise."
            ),
            "duration_months": _("Usually 24 months."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_deployment_types"].queryset = DeploymentType.objects.all()
        self.fields["duration_months"].min_value = 6
        self.fields["duration_months"].widget.attrs.update({"min": 6, "max": 48})

    def clean_duration_months(self):
        value = self.cleaned_data.get("duration_months")
        if value is not None and not 6 <= value <= 48:
            raise forms.ValidationError(_("The duration must be between 6 and 48 months."))
        return value

    def clean_years_of_experience(self):
        value = self.cleaned_data.get("years_of_experience")
        if value is not None and value > 50:
            raise forms.ValidationError(_("Please enter at most 50 years."))
        return value


class RequiredLanguageForm(forms.ModelForm):
    class Meta:
        model = RequiredLanguage
        fields = ["language", "level"]
        widgets = {"language": SearchableSelect(cache_key="world-languages-or-blank")}


LanguageFormSet = inlineformset_factory(
    ExpressionOfInterest,
    RequiredLanguage,
    form=RequiredLanguageForm,
    extra=2,
    max_num=8,
    can_delete=True,
)


class PrinciplesStepForm(StepForm):
    step = steps.PRINCIPLES

    class Meta:
        model = ExpressionOfInterest
        fields = steps.PRINCIPLES.fields
        widgets = dict.fromkeys(fields, TEXTAREA)
        help_texts = {
            "inclusion": _(
                "The 2030 Agenda asks every mission to pay particular attention to "
                "women and other disadvantaged groups."
            ),
            "cooperation": _(
                "Between departments of the administration and with other "
                "institutions, civil society and the private sector."
            ),
        }


class ContributionsStepForm(StepForm):
    step = steps.CONTRIBUTIONS

    class Meta:
        model = ExpressionOfInterest
        fields = steps.CONTRIBUTIONS.fields
        widgets = {"german_contribution": TEXTAREA, "partner_workplace": TEXTAREA}


# The form of each step (partnerships.steps says what each step holds).
FORMS = {
    form.step.slug: form
    for form in (
        CommunesStepForm,
        ProjectStepForm,
        ExpertStepForm,
        PrinciplesStepForm,
        ContributionsStepForm,
    )
}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a file"),
        help_text=_("PDF, Word (DOCX), Excel (XLSX), JPEG or PNG; at most 10 MB and 10 files."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("Confirm on behalf of"), queryset=Commune.objects.none()
    )
    # Confirming submits the EOI when the last commune confirms: that cannot be undone.
    final = forms.BooleanField(
        label=_(
            "We have read the expression of interest as it stands. Once every commune has "
            "confirmed it, it is submitted to the programme and can no longer be changed."
        ),
        error_messages={"required": _("Please tick the box to confirm.")},
    )

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(pk__in=[c.pk for c in communes])
        if len(communes) == 1:
            self.fields["commune"].initial = communes[0].pk
            self.fields["commune"].widget = forms.HiddenInput()


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["commune", "name", "email", "language"]

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = (
            communes if communes is not None else Commune.objects.none()
        )
        self.fields["language"].help_text = _("The invitation email is written in this language.")


class CommuneChoiceField(LocaleSortedModelChoiceField):
    """A commune among all of them, named with its region and country: the list holds communes of
    the same name in different countries and regions."""

    def label_from_instance(self, obj):
        place = ", ".join(str(part) for part in (obj.region, obj.country.name) if part)
        return f"{obj.name} — {place}"


def commune_missing_help() -> str:
    return _(
        "Your commune is not listed? Write to the programme team at %(address)s and we add it."
    ) % {"address": settings.PROGRAMME_CONTACT_EMAIL}


class MembershipRequestForm(forms.ModelForm):
    class Meta:
        model = MembershipRequest
        fields = ["commune", "function", "message"]
        field_classes = {"commune": CommuneChoiceField}
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "message": _("Shown to the person who confirms your request, e.g. who you are."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].help_text = commune_missing_help()
