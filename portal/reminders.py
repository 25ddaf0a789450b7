"""Reminders: emails the portal sends because a date comes near, not because someone acted.

An app adds a source in its AppConfig.ready::

    from portal.registries import reminder_sources
    reminder_sources.register(mission_end_reminders)

A source is ``fn(today: date) -> Iterable[Reminder]``: every reminder due on ``today``, those
already sent included (a source need not remember anything). ``send_due_reminders`` sends each
reminder key once, ever: give every occurrence its own key (e.g. the mission and its planned end,
so that a moved date sends again) and return a due reminder on every day it is due, not only on
one day, so that a day without a run (beat down, a deployment) is caught up on the next run.

Celery beat runs ``portal.tasks.send_reminders`` (see CELERY_BEAT_SCHEDULE); without Redis,
``manage.py send_reminders`` runs it once.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import services
from .models import SentReminder, User
from .registries import reminder_sources

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    """One email to one person, sent once for its key."""

    # Unique per occurrence, at most 200 characters, e.g. "mission-ending:42:2027-03-01:expert".
    key: str
    recipient: User
    # An email template (email/<template>_subject.txt and _body.txt) with a category in
    # portal.notifications, which decides whether the recipient may switch it off.
    template: str
    context: dict = field(default_factory=dict)


def due_reminders(today: date) -> list[Reminder]:
    """Every reminder the sources report as due on ``today``, sent or not."""
    reminders = []
    for source in reminder_sources:
        reminders.extend(source(today))
    return reminders


def send_due_reminders(today: date | None = None) -> int:
    """Send the reminders due on ``today`` that have not been sent yet; returns how many this run
    sent (a reminder the recipient switched off counts as sent, without an email).

    Each reminder is claimed by inserting its SentReminder row, in the same transaction as its
    email: a run that another run beat to a key gets an IntegrityError and skips it (on
    PostgreSQL the second insert waits for the first transaction), and a run that dies before
    committing leaves neither row nor email behind, so the next run sends that reminder.
    """
    today = today or timezone.localdate()
    reminders = due_reminders(today)
    already_sent = set(
        SentReminder.objects.filter(key__in=[r.key for r in reminders]).values_list(
            "key", flat=True
        )
    )
    sent = 0
    for reminder in reminders:
        if reminder.key in already_sent or not reminder.recipient.is_active:
            continue
        try:
            with transaction.atomic():
                claimed = SentReminder.objects.create(
                    key=reminder.key, recipient=reminder.recipient, template=reminder.template
                )
                claimed.email = services.send_notification(
                    recipient=reminder.recipient,
                    template=reminder.template,
                    context=reminder.context,
                    key=reminder.key,
                )
                claimed.save(update_fields=["email"])
        except IntegrityError:
            # Another run sent it.
            continue
        except Exception:
            # One broken reminder must not hold up the others; it is tried again next run.
            logger.exception("Reminder %s not sent", reminder.key)
            continue
        already_sent.add(reminder.key)
        sent += 1
    return sent
