"""Documents made in the background: a portfolio too large to render while the coordinator
waits. The file is private to the person who asked and deleted when it expires."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _document_file_name(instance, filename) -> str:
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.pdf"


def _expiry():
    return timezone.now() + timedelta(hours=settings.PDF_DOCUMENT_HOURS)


class DocumentJob(models.Model):
    """One PDF asked for and made by a Celery task (placements.tasks.render_portfolio)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being produced")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        PORTFOLIO = "portfolio", _("Portfolio summary")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_jobs"
    )
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    # What the document covers (the portfolio's filters), as the form cleaned them.
    parameters = models.JSONField(_("parameters"), default=dict)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress in percent"), default=0)
    items = models.PositiveIntegerField(_("missions"), default=0)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    file = models.FileField(_("file"), upload_to=_document_file_name, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("deleted after"), default=_expiry, db_index=True)

    class Meta:
        verbose_name = _("document being produced")
        verbose_name_plural = _("documents being produced")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="document_job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="document_job_progress_percent"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return reverse("placements:document-job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
