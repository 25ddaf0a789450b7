"""The expression of interest: its content, attachments, confirmations, messages, events and
the versions the communes submitted."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalogue.models import DeploymentType, SustainableDevelopmentGoal, Theme
from catalogue.vocabularies import CEFRLevel, language_choices, language_name
from portal.text import no_bidi_controls

from ..steps import STEP_BY_SLUG
from .communes import Commune, Partnership


def _random_upload_name(instance, filename) -> str:
    """Files are stored under a random name; the original name is kept in the row."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"eoi/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ExpressionOfInterest(models.Model):
    """The joint request of a German commune and its partner commune for an expert."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("More information requested")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        DECIDED = "decided", _("Decided")

    LanguageLevel = CEFRLevel  # kept for the forms and templates that name it

    title = models.CharField(
        _("short title"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Raised on each content change; a confirmation counts only for the revision it saw.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    initiating_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="initiated_eois",
        verbose_name=_("drafted by commune"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    # Step 1: who
    partnerships = models.ManyToManyField(
        Partnership,
        related_name="expressions_of_interest",
        blank=True,
        verbose_name=_("partnerships"),
    )
    host_communes = models.ManyToManyField(
        Commune,
        related_name="hosted_eois",
        blank=True,
        verbose_name=_("host communes where the expert would work"),
    )
    # Step 2: the project
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("thematic fields"))
    theme_other = models.CharField(_("other thematic field"), max_length=200, blank=True)
    sdgs = models.ManyToManyField(
        SustainableDevelopmentGoal, blank=True, verbose_name=_("Sustainable Development Goals")
    )
    problem_and_needs = models.TextField(
        _("the problem and the needs"), blank=True, max_length=6000
    )
    project_idea = models.TextField(_("the project idea"), blank=True, max_length=6000)
    objectives = models.TextField(_("objectives"), blank=True, max_length=4000)
    # Step 3: the expert
    expert_tasks = models.TextField(_("the expert's intended tasks"), blank=True, max_length=4000)
    competence_skills = models.TextField(
        _("desired skills and qualifications"), blank=True, max_length=4000
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of professional experience"), null=True, blank=True
    )
    preferred_deployment_types = models.ManyToManyField(
        DeploymentType, blank=True, verbose_name=_("preferred deployment models")
    )
    deployment_advice_wanted = models.BooleanField(
        _("please advise us on the deployment model"), default=False
    )
    intended_start = models.DateField(_("intended start"), null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(
        _("duration in months"), default=24, null=True, blank=True
    )
    # Step 4: principles of the 2030 Agenda
    target_groups = models.TextField(_("target groups"), blank=True, max_length=4000)
    inclusion = models.TextField(
        _("how women and other disadvantaged groups are taken into account"),
        blank=True,
        max_length=4000,
    )
    transparency = models.TextField(_("how transparency is ensured"), blank=True, max_length=4000)
    cooperation = models.TextField(
        _("how departments and institutions cooperate"), blank=True, max_length=4000
    )
    # Step 5: contributions and consent
    german_contribution = models.TextField(
        _("the German commune's own contribution (staff time, accompaniment)"),
        blank=True,
        max_length=4000,
    )
    partner_workplace = models.TextField(
        _("the partner commune's workplace arrangements for the expert"),
        blank=True,
        max_length=4000,
    )
    consent_data_processing = models.BooleanField(
        _("we agree that the programme processes the data in this form"), default=False
    )
    privacy_notice_version = models.CharField(
        _("privacy notice version accepted"), max_length=20, blank=True
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "changes_requested", "withdrawn", "decided"]
                ),
                name="eoi_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(duration_months__isnull=True)
                | Q(duration_months__gte=6, duration_months__lte=48),
                name="eoi_duration_6_to_48_months",
            ),
        ]

    def __str__(self):
        return self.title or _("Expression of interest %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        return reverse("partnerships:eoi-detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CHANGES_REQUESTED)

    @property
    def status_explanation(self) -> str:
        """What the status means for the communes, in plain words."""
        return {
            self.Status.DRAFT: _(
                "Your communes are still writing this request. It is sent to the programme once "
                "both communes have confirmed it."
            ),
            self.Status.SUBMITTED: _(
                "The programme team has received your request and is reviewing it. You will hear "
                "from us by email."
            ),
            self.Status.CHANGES_REQUESTED: _(
                "The programme team needs more information. Please read their message, complete "
                "the request and confirm it again."
            ),
            self.Status.WITHDRAWN: _("Your communes have withdrawn this request."),
            self.Status.DECIDED: _("The programme team has decided on this request."),
        }[self.status]


class RequiredLanguage(models.Model):
    eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="languages"
    )
    language = models.CharField(_("language"), max_length=8, choices=language_choices)
    level = models.CharField(_("level (CEFR)"), max_length=2, choices=CEFRLevel.choices)

    class Meta:
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")
        constraints = [
            models.UniqueConstraint(fields=["eoi", "language"], name="eoi_language_once")
        ]

    def __str__(self):
        return f"{self.get_language_display()} {self.level}"

    def get_language_display(self) -> str:
        # The name straight from the code, not by searching the list of every language.
        return language_name(self.language)


class Attachment(models.Model):
    eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=_random_upload_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("partnerships:attachment-download", args=[self.eoi_id, self.pk])


class Confirmation(models.Model):
    """A commune confirms the EOI as it stands at one revision."""

    eoi = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="confirmations"
    )
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    revision = models.PositiveIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(
                fields=["eoi", "commune", "revision"], name="confirmation_once_per_revision"
            )
        ]

    def __str__(self):
        return f"{self.commune} ✔ {self.eoi_id}/{self.revision}"


class Comment(models.Model):
    """A message on an EOI, seen by both communes and programme staff."""

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    from_programme = models.BooleanField(_("from programme staff"), default=False)
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:60]


class EOIEvent(models.Model):
    """One step in an EOI's history: who did what, when, from which status to which."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        CONFIRMED = "confirmed", _("confirmed")
        SUBMITTED = "submitted", _("submitted")
        CHANGES_REQUESTED = "changes_requested", _("more information requested")
        WITHDRAWN = "withdrawn", _("withdrawn")
        DECIDED = "decided", _("decided")

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d}"

    @property
    def kind_display(self) -> str:
        """The kind in words, as get_kind_display, which translates every kind's label on each
        call (the history lists many events)."""
        return self.Kind(self.kind).label if self.kind in self.Kind.values else self.kind

    @property
    def note_display(self) -> str:
        """Edits note the step's slug, submissions the version's number: shown as the step's title
        and as "Version 2" in the reader's language."""
        if self.kind == self.Kind.EDITED:
            step = STEP_BY_SLUG.get(self.note)
            return str(step.title) if step else self.note
        if self.kind == self.Kind.SUBMITTED and self.note.isdigit():
            return gettext("Version %(number)s") % {"number": self.note}
        return self.note


class SubmittedVersion(models.Model):
    """The content of an EOI as it was submitted; one per submission, for comparison."""

    eoi = models.ForeignKey(ExpressionOfInterest, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["eoi", "number"], name="eoi_version_number_unique")
        ]

    def __str__(self):
        return f"{self.eoi_id} v{self.number}"
