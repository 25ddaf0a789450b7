"""Emails through a real Celery worker on Redis, as in production, and in-process without one."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from portal.celery import app
from portal.models import OutgoingEmail
from portal.services import send_notification
from tests.conftest import PASSWORD

PROJECT = Path(__file__).resolve().parents[2]


def poll(check, *, timeout: float, what: str):
    """Call ``check`` until it returns something true, failing after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def shared_database_url() -> str:
    """The URL of the database this test runs on, for the worker to use the same one."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        return (
            f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
    if connection.vendor == "sqlite" and Path(str(db["NAME"])).is_file():
        return f"sqlite:///{db['NAME']}"
    pytest.skip("the worker needs a database another process can open (PostgreSQL in CI)")


@contextmanager
def running_worker(folder: Path, *, queues: list[str]):
    """A Celery worker in its own process, on this test's database, taking tasks from ``queues``
    and writing emails as files into ``folder/mail``; stopped by its PID when the block ends.
    Yields the worker's name."""
    name = f"portal-test-{uuid.uuid4().hex[:8]}@localhost"
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.test_settings",
        "DATABASE_URL": shared_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        "TEST_CELERY_EAGER": "false",
        "TEST_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(folder / "mail"),
    }
    log = (folder / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            f"--queues={','.join(queues)}",
            f"--hostname={name}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        poll(
            lambda: process.poll() is not None or app.control.ping(destination=[name], timeout=0.5),
            timeout=30,
            what="the worker to answer a ping",
        )
        assert process.poll() is None, (folder / "worker.log").read_text()
        yield name
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        # pytest shows this only when the test failed.
        print(f"Log of worker {name}:\n" + (folder / "worker.log").read_text())


def needs_redis():
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL (CI always does)")


@pytest.fixture
def worker(transactional_db, tmp_path, monkeypatch):
    """A Celery worker in its own process, on this test's database and its own queue, writing
    emails as files into tmp_path. Tasks queued by this process go to it."""
    needs_redis()
    with running_worker(tmp_path, queues=[settings.CELERY_TASK_DEFAULT_QUEUE]):
        monkeypatch.setitem(app.conf, "task_always_eager", False)
        yield tmp_path / "mail"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_a_notification_queued_through_redis(worker, alice):
    email = send_notification(recipient=alice, template="test_email", context={})

    poll(
        lambda: OutgoingEmail.objects.filter(pk=email.pk, status="sent").exists(),
        timeout=30,
        what="the worker to send the email",
    )

    files = list(worker.iterdir())
    assert len(files) == 1
    message = files[0].read_text()
    assert "Subject: [Experts for Partners] Test message" in message
    assert "To: alice@example.org" in message


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_verification_email_of_a_new_account(worker, client):
    client.post(
        "/accounts/signup/",
        {
            "full_name": "Nina Neumann",
            "email": "nina@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    poll(
        lambda: OutgoingEmail.objects.filter(recipient="nina@example.org", status="sent").exists(),
        timeout=30,
        what="the worker to send the verification email",
    )

    message = next(worker.iterdir()).read_text()
    assert "To: nina@example.org" in message
    assert "/accounts/confirm-email/" in message


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_the_task_runs_in_process(alice, mailoutbox, monkeypatch):
    # The embedded default: no Redis at all, and nothing listening where one would be.
    monkeypatch.setitem(app.conf, "task_always_eager", True)
    monkeypatch.setitem(app.conf, "broker_url", "redis://127.0.0.1:1/0")

    email = send_notification(recipient=alice, template="test_email", context={})

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [m.subject for m in mailoutbox] == ["[Experts for Partners] Test message"]
