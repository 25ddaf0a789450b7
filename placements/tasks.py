"""Background work of placements: portfolios too large to render while the coordinator waits,
and the deletion of their files once they expire."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.pdf import RenderTimeout
from portal.services import send_notification

from . import pdf
from .models import DocumentJob
from .selectors import cases_visible_to, missions_visible_to

logger = logging.getLogger(__name__)


def _progress(job_id: int, fraction: float) -> None:
    DocumentJob.objects.filter(pk=job_id).update(progress=min(99, int(fraction * 100)))


# Celery's soft limit interrupts a task stuck outside the render too (its queries); the render
# itself stops earlier under portal.pdf.time_limit.
@shared_task(
    soft_time_limit=settings.PDF_TASK_SECONDS + 30, time_limit=settings.PDF_TASK_SECONDS + 60
)
def render_portfolio(job_id: int) -> str:
    """Make the portfolio of a DocumentJob, store it privately and email its owner. A job that
    another run has taken (or finished) is left alone."""
    taken = DocumentJob.objects.filter(pk=job_id, status=DocumentJob.Status.QUEUED).update(
        status=DocumentJob.Status.RUNNING, progress=5
    )
    if not taken:
        return "skipped"
    job = DocumentJob.objects.select_related("user").get(pk=job_id)
    try:
        with translation.override(job.language):
            rows = pdf.portfolio_rows(
                missions_visible_to(job.user), cases_visible_to(job.user), job.parameters
            )
            rendered = pdf.portfolio_pdf(
                rows,
                job.parameters,
                seconds=settings.PDF_TASK_SECONDS,
                progress=lambda fraction: _progress(job_id, fraction),
            )
    except (RenderTimeout, SoftTimeLimitExceeded):
        logger.warning("Portfolio %s stopped: too long", job_id)
        return _failed(job, _("The document took too long to produce and was stopped."))
    except Exception:
        logger.exception("Portfolio %s failed", job_id)
        return _failed(job, _("The document could not be produced."))
    job.file.save(f"portfolio-{job.pk}.pdf", ContentFile(rendered.pdf), save=False)
    job.status = DocumentJob.Status.DONE
    job.progress = 100
    job.pages = rendered.pages
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "progress", "pages", "finished_at"])
    send_notification(
        recipient=job.user,
        template="document_ready",
        context={
            "job": job,
            "url": settings.SITE_URL + reverse("placements:document-job", args=[job.pk]),
        },
        key=f"document-ready:{job.pk}",
    )
    return "done"


def _failed(job: DocumentJob, error: str) -> str:
    DocumentJob.objects.filter(pk=job.pk).update(
        status=DocumentJob.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )
    return "failed"


@shared_task
def delete_expired_documents() -> int:
    """Delete the documents (files and rows) whose time is up; run by beat every hour."""
    expired = list(DocumentJob.objects.filter(expires_at__lte=timezone.now()))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        job.delete()
    return len(expired)
