import logging
import smtplib
from datetime import date

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import reminders
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# Network trouble is worth retrying; a bad address or a template error is not.
RETRYABLE = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


@shared_task(
    bind=True,
    autoretry_for=RETRYABLE,
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=8,
)
def send_email(self, email_id: int) -> str:
    """Send one stored email; a second run for the same email sends nothing."""
    try:
        with transaction.atomic():
            # The row lock makes two workers running the same task send one email.
            email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
            if email is None or email.status == OutgoingEmail.Status.SENT:
                return "skipped"
            message = EmailMultiAlternatives(email.subject, email.body, to=[email.recipient])
            if email.html_body:
                message.attach_alternative(email.html_body, "text/html")
            message.send()
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = timezone.now()
            email.attempts += 1
            email.last_error = ""
            email.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    except Exception as error:
        final = not isinstance(error, RETRYABLE) or self.request.retries >= self.max_retries
        OutgoingEmail.objects.filter(pk=email_id).update(
            attempts=F("attempts") + 1,
            status=OutgoingEmail.Status.FAILED if final else OutgoingEmail.Status.QUEUED,
            last_error=type(error).__name__,
        )
        logger.warning("Email %s not sent: %s", email_id, type(error).__name__)
        raise
    return "sent"


@shared_task
def send_reminders(today: str | None = None) -> int:
    """Send the reminders due today (or on ``today``, an ISO date); safe to run any number of
    times, also on several workers at once (portal.reminders)."""
    return reminders.send_due_reminders(date.fromisoformat(today) if today else None)
