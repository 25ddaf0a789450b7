"""Outgoing email: in the recipient's language, sent once, retried on network trouble only."""

import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import translation

from portal.models import OutgoingEmail, User
from portal.services import queue_email, send_notification
from portal.tasks import send_email

PREFIX = "[Experts for Partners] "


def queued(**fields):
    """An email row as queue_email stores it, without running the task."""
    return OutgoingEmail.objects.create(
        recipient="alice@example.org", subject="Hello", body="Body", **fields
    )


def test_a_notification_is_written_in_english_for_an_english_speaking_user(
    alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_notification(recipient=alice, template="test_email", context={})

    assert [m.subject for m in mailoutbox] == [PREFIX + "Test message"]
    assert mailoutbox[0].to == ["alice@example.org"]
    assert mailoutbox[0].body.startswith("Hello Alice,")


@pytest.mark.parametrize(
    ("language", "subject"), [("fr", "Message de test"), ("de", "Testnachricht")]
)
def test_a_notification_is_written_in_the_recipients_language(
    alice, mailoutbox, django_capture_on_commit_callbacks, language, subject
):
    alice.language = language
    alice.save(update_fields=["language"])

    with django_capture_on_commit_callbacks(execute=True):
        send_notification(recipient=alice, template="test_email", context={})

    assert mailoutbox[0].subject != PREFIX + "Test message"
    assert mailoutbox[0].subject == PREFIX + subject
    assert "Hello" not in mailoutbox[0].body
    # The sender's own language is left as it was.
    assert translation.get_language() == "en"


def test_signing_up_on_a_french_page_sends_the_verification_in_french_and_keeps_french(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    password = "correct-horse-battery-staple"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/signup/",
            {
                "full_name": "Noé Martin",
                "email": "noe@example.org",
                "password1": password,
                "password2": password,
            },
        )

    assert mailoutbox[0].subject == PREFIX + "Confirmez votre adresse e-mail"
    assert User.objects.get(email="noe@example.org").language == "fr"


def test_queueing_the_same_key_twice_sends_one_email(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email(recipient="a@example.org", subject="Hi", body="…", key="welcome-7")
        second = queue_email(recipient="a@example.org", subject="Hi", body="…", key="welcome-7")
        queue_email(recipient="a@example.org", subject="Hi", body="…", key="welcome-8")

    assert first.pk == second.pk
    assert OutgoingEmail.objects.count() == 2
    assert len(mailoutbox) == 2


def test_an_email_queued_in_a_transaction_that_fails_is_never_sent(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_email(recipient="a@example.org", subject="Hi", body="…")
        raise RuntimeError("the write that goes with the email failed")

    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists()


def test_an_email_with_an_html_part_is_sent_with_both_parts(
    db, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queue_email(recipient="a@example.org", subject="Hi", body="plain", html_body="<p>rich</p>")

    assert mailoutbox[0].body == "plain"
    assert mailoutbox[0].alternatives[0].content == "<p>rich</p>"


def test_running_the_task_twice_for_one_email_sends_it_once(db, mailoutbox):
    email = queued()

    assert send_email.delay(email.pk).get() == "sent"
    assert send_email.delay(email.pk).get() == "skipped"

    email.refresh_from_db()
    assert len(mailoutbox) == 1
    assert email.status == OutgoingEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


def test_the_task_for_an_email_that_no_longer_exists_does_nothing(db, mailoutbox):
    assert send_email.delay(123456).get() == "skipped"
    assert mailoutbox == []


def test_a_network_error_keeps_the_email_queued_with_the_error_and_raises_for_a_retry(db):
    email = queued()

    with (
        mock.patch.object(
            EmailMultiAlternatives, "send", side_effect=smtplib.SMTPServerDisconnected()
        ),
        pytest.raises(Retry),
    ):
        # A first attempt; in a worker, Retry puts the task back on the queue for later.
        send_email.apply(args=[email.pk], throw=True)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    assert email.last_error == "SMTPServerDisconnected"
    assert email.attempts == 1
    assert email.sent_at is None


def test_an_email_that_failed_on_a_network_error_goes_out_on_the_retry(db, mailoutbox):
    email = queued()
    really_send = EmailMultiAlternatives.send
    outcomes = iter([smtplib.SMTPServerDisconnected(), None])

    def flaky_send(message, *args, **kwargs):
        error = next(outcomes)
        if error:
            raise error
        return really_send(message, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", flaky_send):
        # Without throw, eager Celery runs the retries at once, as a worker would run them later.
        result = send_email.apply(args=[email.pk], throw=False)

    assert result.get() == "sent"

    email.refresh_from_db()
    assert len(mailoutbox) == 1
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 2
    assert email.last_error == ""


def test_an_email_that_still_fails_on_the_last_retry_is_marked_failed(db):
    email = queued()

    with (
        mock.patch.object(
            EmailMultiAlternatives, "send", side_effect=smtplib.SMTPServerDisconnected()
        ),
        pytest.raises(smtplib.SMTPServerDisconnected),
    ):
        send_email.apply(args=[email.pk], retries=send_email.max_retries, throw=True)

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.last_error == "SMTPServerDisconnected"


def test_a_refused_address_marks_the_email_failed_without_retrying(db):
    email = queued()
    refused = smtplib.SMTPRecipientsRefused({"alice@example.org": (550, b"No such user")})

    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=refused) as send:
        result = send_email.apply(args=[email.pk], throw=False)

    assert isinstance(result.result, smtplib.SMTPRecipientsRefused)
    email.refresh_from_db()
    assert send.call_count == 1
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.last_error == "SMTPRecipientsRefused"
