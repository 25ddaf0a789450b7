"""The reminder machinery (portal/reminders.py) with sources of the tests' own: each key is sent
once across runs, a run that dies sends nothing half, and the next run sends the rest."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal import services
from portal.models import OutgoingEmail, SentReminder
from portal.registries import reminder_sources
from portal.reminders import Reminder, send_due_reminders
from portal.tasks import send_reminders

TODAY = date(2027, 6, 1)


class Crash(BaseException):
    """Stands for the worker being killed: nothing in the portal catches it."""


@pytest.fixture
def sources(monkeypatch):
    """The registry holds only the sources a test adds (placements' is left out)."""
    registered = []
    monkeypatch.setattr(reminder_sources, "_functions", registered)
    return registered


def reminder(key, user):
    return Reminder(key=key, recipient=user, template="test_email")


def run(capture, today=TODAY):
    with capture(execute=True):
        return send_due_reminders(today)


def test_a_reminder_is_sent_once_however_often_the_reminders_run(
    sources, alice, mailoutbox, django_capture_on_commit_callbacks
):
    sources.append(lambda today: [reminder("check:1", alice)])

    sent = [run(django_capture_on_commit_callbacks) for _ in range(3)]

    assert sent == [1, 0, 0]
    assert [m.to for m in mailoutbox] == [["alice@example.org"]]
    row = SentReminder.objects.get()
    assert (row.key, row.recipient, row.template) == ("check:1", alice, "test_email")
    assert row.email == OutgoingEmail.objects.get(key="check:1")


def test_sources_get_the_day_and_a_key_reported_twice_in_one_run_is_sent_once(
    sources, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    days = []
    sources.append(lambda today: days.append(today) or [reminder("a", alice)])
    sources.append(lambda today: [reminder("a", alice), reminder("b", bob)])

    assert run(django_capture_on_commit_callbacks) == 2

    assert days == [TODAY]
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "bob@example.org"]


def test_a_deactivated_recipient_gets_nothing_and_nothing_is_recorded(
    sources, alice, mailoutbox, django_capture_on_commit_callbacks
):
    alice.is_active = False
    alice.save(update_fields=["is_active"])
    sources.append(lambda today: [reminder("a", alice)])

    assert run(django_capture_on_commit_callbacks) == 0

    assert mailoutbox == []
    assert not SentReminder.objects.exists()


def test_a_run_killed_in_the_middle_leaves_the_rest_to_the_next_run(
    sources, alice, bob, erin, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    sources.append(lambda today: [reminder("a", alice), reminder("b", bob), reminder("c", erin)])
    real = services.send_notification
    calls = []

    def dies_on_the_second(**kwargs):
        calls.append(kwargs["key"])
        if len(calls) == 2:
            raise Crash
        return real(**kwargs)

    monkeypatch.setattr(services, "send_notification", dies_on_the_second)
    with pytest.raises(Crash):
        run(django_capture_on_commit_callbacks)
    assert list(SentReminder.objects.values_list("key", flat=True)) == ["a"]
    assert list(OutgoingEmail.objects.values_list("key", flat=True)) == ["a"]

    monkeypatch.setattr(services, "send_notification", real)
    assert run(django_capture_on_commit_callbacks) == 2

    assert sorted(m.to[0] for m in mailoutbox) == [
        "alice@example.org",
        "bob@example.org",
        "erin@example.org",
    ]


def test_a_reminder_that_fails_does_not_hold_up_the_others_and_is_tried_again(
    sources, alice, bob, mailoutbox, django_capture_on_commit_callbacks
):
    broken = Reminder(key="broken", recipient=alice, template="no_such_template")
    sources.append(lambda today: [broken, reminder("b", bob)])

    assert run(django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mailoutbox] == [["bob@example.org"]]
    assert list(SentReminder.objects.values_list("key", flat=True)) == ["b"]

    sources[:] = [lambda today: [reminder("broken", alice)]]
    assert run(django_capture_on_commit_callbacks) == 1


def test_the_task_sends_the_reminders_of_the_day_it_is_given(
    sources, alice, mailoutbox, django_capture_on_commit_callbacks
):
    days = []
    sources.append(lambda today: days.append(today) or [reminder("a", alice)])

    with django_capture_on_commit_callbacks(execute=True):
        result = send_reminders.delay("2027-06-01")

    assert result.get() == 1
    assert days == [TODAY]
    assert len(mailoutbox) == 1


def test_the_command_runs_the_reminders_once_for_a_given_date(
    sources, alice, mailoutbox, django_capture_on_commit_callbacks
):
    days = []
    sources.append(lambda today: days.append(today) or [reminder("a", alice)])
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "2027-06-01", stdout=out)
        call_command("send_reminders", "--date", "2027-06-01", stdout=out)

    assert days == [TODAY, TODAY]
    assert out.getvalue().splitlines() == ["Sent 1 reminder(s).", "Sent 0 reminder(s)."]
    assert len(mailoutbox) == 1


def test_the_command_refuses_a_date_it_cannot_read(sources):
    with pytest.raises(CommandError, match="--date"):
        call_command("send_reminders", "--date", "1 June")


def test_the_reminders_run_every_hour_of_the_working_day_from_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]

    assert entry["task"] == send_reminders.name == "portal.tasks.send_reminders"
    assert entry["schedule"].hour == set(range(6, 21))
    assert entry["schedule"].minute == {5}
