"""Writes of the portal app: outgoing email and account life cycle."""

import re
from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import tasks
from .models import OutgoingEmail, User
from .notifications import category_of, wants_email
from .registries import account_erasers, personal_data_exporters
from .text import strip_bidi_controls


def queue_email(
    *, recipient: str, subject: str, body: str, html_body: str = "", key: str | None = None
) -> OutgoingEmail:
    """Store an email and send it through the Celery task once the transaction commits.

    The key makes this idempotent: queueing the same key twice sends one email.
    """
    # Names and titles in a subject must not reorder what the mail program shows.
    subject = strip_bidi_controls(subject)
    defaults = {"recipient": recipient, "subject": subject, "body": body, "html_body": html_body}
    if key:
        email, created = OutgoingEmail.objects.get_or_create(key=key, defaults=defaults)
    else:
        email, created = OutgoingEmail.objects.create(**defaults), True
    if created:
        transaction.on_commit(lambda: tasks.send_email.delay(email.pk))
    return email


def send_notification(
    *, recipient: User, template: str, context: dict, key: str | None = None
) -> OutgoingEmail | None:
    """Render ``email/<template>_subject.txt`` and ``_body.txt`` in the recipient's language and
    time zone, then queue the email; None when the recipient switched the template's category off
    (portal.notifications)."""
    if not wants_email(recipient, template):
        return None
    return send_notification_to_address(
        email=recipient.email,
        language=recipient.language,
        time_zone=recipient.time_zone,
        template=template,
        context={"recipient": recipient, **context},
        key=key,
    )


def send_notification_to_address(
    *,
    email: str,
    language: str,
    template: str,
    context: dict,
    time_zone: str = settings.DEFAULT_USER_TIME_ZONE,
    key: str | None = None,
) -> OutgoingEmail:
    """Like send_notification, for someone who may not have an account yet (invitations)."""
    # Every template has a category, even the ones sent to addresses (all mandatory so far).
    category_of(template)
    context = {
        "site_url": settings.SITE_URL,
        "programme_contact_email": settings.PROGRAMME_CONTACT_EMAIL,
        **context,
    }
    with translation.override(language), timezone.override(time_zone):
        subject = render_to_string(f"email/{template}_subject.txt", context).strip()
        body = render_to_string(f"email/{template}_body.txt", context)
    # One line, but French non-breaking spaces stay.
    subject = re.sub(r"[ \t\r\n]+", " ", subject)
    return queue_email(
        recipient=email,
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        key=key,
    )


def end_all_sessions(*, user: User) -> int:
    """Delete every session of the user (after deactivation or erasure)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    UserSession.objects.filter(user=user).delete()
    # Through the session store, which removes the cached copy as well as the row.
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    for key in keys:
        store.delete(key)
    return len(keys)


@transaction.atomic
def deactivate_user(*, user: User) -> None:
    """Switch an account off and end all its sessions at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_all_sessions(user=user)


def export_personal_data(*, user: User) -> dict:
    """Everything the portal keeps about a user's account, as JSON-ready data."""
    data = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "email_notifications_switched_off": sorted(user.email_opt_outs or []),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "roles": sorted(user.role_names()),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "two_factor_methods": sorted(
            Authenticator.objects.filter(user=user).values_list("type", flat=True)
        ),
        "sessions": [
            {
                "ip": s.ip,
                "user_agent": s.user_agent,
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat(),
            }
            for s in UserSession.objects.filter(user=user)
        ],
        "emails_sent_to_you": [
            {"subject": e.subject, "status": e.status, "created_at": e.created_at.isoformat()}
            for e in OutgoingEmail.objects.filter(recipient__iexact=user.email)
        ],
    }
    for exporter in personal_data_exporters:
        data.update(exporter(user=user))
    return data


@transaction.atomic
def erase_user(*, user: User) -> None:
    """Erase a user's personal data, with what each app keeps about them (account_erasers). The
    row stays (anonymised) so that records that point to it, such as past missions, keep their
    history."""
    for erase in account_erasers:
        erase(user=user)
    end_all_sessions(user=user)
    OutgoingEmail.objects.filter(recipient__iexact=user.email).update(
        recipient="erased@invalid", body="", html_body=""
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@invalid"
    user.full_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.groups.clear()
    user.save(update_fields=["email", "full_name", "is_active", "password"])
    # The account's history holds the old address and name: it goes, and what is left is one
    # row of the anonymised account (the save below writes it).
    user.history.all().delete()
    user.save(update_fields=["is_active"])
