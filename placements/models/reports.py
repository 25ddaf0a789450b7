"""What a mission agrees to achieve and how the expert reports on it: objectives with indicators,
reports planned from the mission's dates, every submitted version, the reviewers' and the
communes' comments."""

import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from portal.choices import label_of
from portal.text import no_bidi_controls

from .missions import Mission


class MissionObjective(models.Model):
    """One of the objectives agreed for the mission, measured by its indicators."""

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("mission")
    )
    title = models.CharField(_("objective"), max_length=300, validators=[no_bidi_controls])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Indicator(models.Model):
    objective = models.ForeignKey(
        MissionObjective,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("objective"),
    )
    name = models.CharField(_("indicator"), max_length=200, validators=[no_bidi_controls])
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]

    def __str__(self):
        return self.name


class MissionReportQuerySet(models.QuerySet):
    def due_by(self, day):
        """Reports the expert still owes on that day (planned, being written or sent back)."""
        return self.filter(
            status__in=MissionReport.OPEN_STATUSES,
            due_date__lte=day,
        )

    def due_soon(self, today):
        """Reports the expert is being reminded of on that day: overdue, or due within the
        first reminder's notice (MissionReport.REMINDER_DAYS)."""
        return self.due_by(today + timedelta(days=max(MissionReport.REMINDER_DAYS)))


class MissionReport(models.Model):
    """A progress report every few months and a final report, planned from the mission's dates
    (placements.reporting.plan_reports); the expert writes it, staff accept it or send it back."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress report")
        FINAL = "final", _("Final report")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Not started")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, waiting for review")
        RETURNED = "returned", _("Returned for revision")
        ACCEPTED = "accepted", _("Accepted")

    OPEN_STATUSES = ("planned", "draft", "returned")
    # The expert is reminded this many days before a report is due (and once it is overdue);
    # the dashboard lists a report from the first of these days on.
    REMINDER_DAYS = (14, 3)
    # What the expert may still change.
    EDITABLE_STATUSES = ("planned", "draft", "returned")

    mission = models.ForeignKey(
        Mission, on_delete=models.CASCADE, related_name="reports", verbose_name=_("mission")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    activities = models.TextField(_("activities"), blank=True, max_length=20000)
    results = models.TextField(_("results"), blank=True, max_length=20000)
    difficulties = models.TextField(_("difficulties"), blank=True, max_length=20000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=20000)
    transparency = models.TextField(_("transparency: what was done"), blank=True, max_length=8000)
    cooperation = models.TextField(
        _("cooperation between departments and institutions: what was done"),
        blank=True,
        max_length=8000,
    )
    inclusion = models.TextField(
        _("attention to women and other disadvantaged groups: what was done"),
        blank=True,
        max_length=8000,
    )
    sdgs = models.ManyToManyField(
        "catalogue.SustainableDevelopmentGoal",
        blank=True,
        related_name="+",
        verbose_name=_("sustainable development goals contributed to"),
    )
    sdg_contribution = models.TextField(_("contribution to the SDGs"), blank=True, max_length=8000)
    # Bumped by every save, so that two tabs cannot overwrite each other unnoticed.
    revision = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = MissionReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission report")
        verbose_name_plural = _("mission reports")
        ordering = ["mission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["mission", "number"], name="report_number_once"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="report_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["progress", "final"]), name="report_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "draft", "submitted", "returned", "accepted"]),
                name="report_status_valid",
            ),
        ]

    def __str__(self):
        return _("%(kind)s %(number)s (%(start)s – %(end)s)") % {
            "kind": self.get_kind_display(),
            "number": self.number,
            "start": date_format(self.period_start, "SHORT_DATE_FORMAT"),
            "end": date_format(self.period_end, "SHORT_DATE_FORMAT"),
        }

    def get_absolute_url(self):
        return reverse("placements:report-detail", args=[self.pk])

    def get_kind_display(self) -> str:
        return label_of(self.Kind, self.kind)

    def get_status_display(self) -> str:
        return label_of(self.Status, self.status)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def status_for_expert(self) -> str:
        """The status as the expert who writes the report reads it: who acts next."""
        S = self.Status
        return {
            S.PLANNED: _("Waiting for you to write it"),
            S.DRAFT: _("Draft: waiting for you to submit it"),
            S.SUBMITTED: _("With the programme team for review"),
            S.RETURNED: _("Returned: waiting for your changes"),
            S.ACCEPTED: _("Accepted by the programme team"),
        }[self.status]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.OPEN_STATUSES and self.due_date < today


class ObjectiveProgress(models.Model):
    """How one objective moved in the report's period."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        DELAYED = "delayed", _("delayed")
        ACHIEVED = "achieved", _("achieved")

    report = models.ForeignKey(MissionReport, on_delete=models.CASCADE, related_name="progress")
    objective = models.ForeignKey(
        MissionObjective, on_delete=models.CASCADE, related_name="progress"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    narrative = models.TextField(_("what happened"), blank=True, max_length=8000)

    class Meta:
        verbose_name = _("progress on an objective")
        verbose_name_plural = _("progress on objectives")
        constraints = [
            models.UniqueConstraint(fields=["report", "objective"], name="progress_once"),
            models.CheckConstraint(
                condition=Q(status__in=["", "on_track", "at_risk", "delayed", "achieved"]),
                name="progress_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.objective}: {self.get_status_display()}"


class IndicatorValue(models.Model):
    """An indicator's value at the end of the report's period."""

    report = models.ForeignKey(
        MissionReport, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_value_once")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


def _report_file_name(instance, filename) -> str:
    """Stored under a random name; the original name is kept in the row."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ReportAttachment(models.Model):
    """A photo or a document of the report, checked by content and served privately."""

    report = models.ForeignKey(MissionReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_report_file_name)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ReportVersion(models.Model):
    """The report as it was submitted, every time: what staff reviewed, and what can be
    compared with the next submission."""

    report = models.ForeignKey(MissionReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_once")
        ]

    def __str__(self):
        return _("Version %(number)s") % {"number": self.number}


class ReportComment(models.Model):
    """A reviewer's decision note (accept, return) or a commune's comment on an accepted
    report."""

    class Kind(models.TextChoices):
        RETURNED = "returned", _("returned for revision")
        ACCEPTED = "accepted", _("accepted")
        COMMENT = "comment", _("comment")

    report = models.ForeignKey(MissionReport, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.TextField(_("comment"), max_length=4000, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("report comment")
        verbose_name_plural = _("report comments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["returned", "accepted", "comment"]),
                name="report_comment_kind_valid",
            )
        ]

    def __str__(self):
        return self.body[:60]
