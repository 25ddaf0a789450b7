"""Reminders through two real Celery workers on Redis and the test database (PostgreSQL in CI):
runs at the same time and a run that dies half-way still send every reminder exactly once."""

import email
from datetime import date

import pytest
from django.conf import settings

from placements.models import Mission
from portal import services
from portal.celery import app
from portal.models import OutgoingEmail, SentReminder
from portal.reminders import send_due_reminders
from portal.tasks import send_reminders
from tests.conftest import make_user
from tests.placements.factories import CaseFactory, ExpertProfileFactory, save_fields

from .test_worker import needs_redis, poll, running_worker

NOTICE_DAY = date(2027, 6, 30)
MISSIONS = 6  # two reminders each: the expert and the case officer


class Crash(BaseException):
    """Stands for the process being killed: nothing in the portal catches it."""


@pytest.fixture
def two_workers(transactional_db, tmp_path, monkeypatch):
    """Two workers sharing the test queue, each also listening on a queue of its own (so that a
    test can hand a task to each); yields those two queue names and the folders of their mail."""
    needs_redis()
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    with (
        running_worker(tmp_path / "one", queues=[queue, f"{queue}.one"]),
        running_worker(tmp_path / "two", queues=[queue, f"{queue}.two"]),
    ):
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        yield (
            [f"{queue}.one", f"{queue}.two"],
            [tmp_path / "one" / "mail", tmp_path / "two" / "mail"],
        )


def missions_ending_in_three_months():
    """MISSIONS missions ending three months after NOTICE_DAY, each with its expert's account and
    one case officer for all: 2 × MISSIONS reminders, with their keys."""
    officer = make_user("olga@example.org", staff=True, name="Olga Officer")
    keys = set()
    for number in range(MISSIONS):
        case = save_fields(CaseFactory(), case_officer=officer)
        user = make_user(f"expert{number}@example.org", name=f"Expert {number}")
        mission = Mission.objects.create(
            case=case,
            expert=ExpertProfileFactory(user=user),
            start=date(2025, 10, 1),
            planned_end=date(2027, 9, 30),
        )
        key = f"mission-ending:{mission.pk}:2027-09-30"
        keys |= {f"{key}:expert", f"{key}:case-officer"}
    return keys


def messages_in(folders) -> list[email.message.Message]:
    """Every email the workers wrote (a file may hold several, separated by a line of dashes)."""
    messages = []
    for folder in folders:
        for path in folder.glob("*") if folder.exists() else []:
            for chunk in path.read_text().split("-" * 79 + "\n"):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk))
    return messages


# Opening the cases sent other emails (to the communes): only the reminders count here.
def reminder_emails():
    return OutgoingEmail.objects.filter(key__startswith="mission-ending:")


def all_sent(expected: int) -> bool:
    return reminder_emails().filter(status="sent").count() >= expected


def assert_each_reminder_sent_once(keys, folders):
    poll(lambda: all_sent(len(keys)), timeout=60, what="the workers to send every reminder")
    assert set(SentReminder.objects.values_list("key", flat=True)) == keys
    assert set(reminder_emails().values_list("key", flat=True)) == keys
    assert reminder_emails().count() == SentReminder.objects.count() == len(keys)
    expected = sorted(
        [f"expert{n}@example.org" for n in range(MISSIONS)] + ["olga@example.org"] * MISSIONS
    )
    recipients = sorted(
        message["To"] for message in messages_in(folders) if message["To"] in expected
    )
    assert recipients == expected


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_the_reminders_at_once_send_each_reminder_once(two_workers):
    own_queues, folders = two_workers
    keys = missions_ending_in_three_months()

    # Twice on each worker, handed out at once: the runs race for the same reminders.
    runs = [
        send_reminders.apply_async(args=[NOTICE_DAY.isoformat()], queue=queue)
        for queue in own_queues * 2
    ]
    sent = [run.get(timeout=60) for run in runs]
    print("Reminders sent by each run:", sent)

    assert sum(sent) == len(keys)
    assert_each_reminder_sent_once(keys, folders)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_run_that_dies_half_way_leaves_the_rest_to_the_next_run_and_sends_nothing_twice(
    two_workers, monkeypatch
):
    own_queues, folders = two_workers
    keys = missions_ending_in_three_months()
    real = services.send_notification
    calls = []

    def dies_half_way(**kwargs):
        calls.append(kwargs["key"])
        if len(calls) == len(keys) // 2:
            raise Crash
        return real(**kwargs)

    # The first run, here, dies while it sends the reminder in the middle; the emails of the
    # reminders before it are already queued to the workers.
    monkeypatch.setattr(services, "send_notification", dies_half_way)
    with pytest.raises(Crash):
        send_due_reminders(NOTICE_DAY)
    monkeypatch.setattr(services, "send_notification", real)
    sent_before = len(keys) // 2 - 1
    assert SentReminder.objects.count() == sent_before
    poll(lambda: all_sent(sent_before), timeout=60, what="the emails of the first run")

    # The next runs, on both workers at once, send the rest.
    runs = [
        send_reminders.apply_async(args=[NOTICE_DAY.isoformat()], queue=queue)
        for queue in own_queues
    ]
    sent = [run.get(timeout=60) for run in runs]
    print("Reminders sent by each run:", sent)

    assert sum(sent) == len(keys) - sent_before
    assert_each_reminder_sent_once(keys, folders)
