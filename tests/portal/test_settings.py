"""The settings module, started the way a developer and a server start it: as a new process
with nothing but the environment it is given."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def manage(*args, **environment):
    """Run manage.py in a fresh process whose environment holds only PATH, HOME and the given
    variables (no DATABASE_URL, SECRET_KEY, REDIS_URL or DEBUG unless given)."""
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_embedded_default_starts_without_any_environment():
    result = manage("check")

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    result = manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'portal.db'}")

    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment in production" in result.stderr


def test_production_settings_with_a_postgres_database_also_need_a_secret_key():
    result = manage("check", DATABASE_URL="postgres://portal@127.0.0.1:5432/portal")

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks_without_a_single_warning():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="portal.example.org",
        DATABASE_URL="postgres://portal@127.0.0.1:5432/portal",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_the_embedded_default_logs_nothing_at_info_for_tasks_or_the_reloader():
    """`make run` shows the address and the demo logins, not a line per task run in-process."""
    code = (
        "import logging\n"
        "from celery import shared_task\n"
        "@shared_task\n"
        "def noop():\n"
        "    return 'done'\n"
        "print(noop.delay().get())\n"
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes')\n"
        "logging.getLogger('portal').info('still logged')\n"
    )
    result = manage("shell", "--no-imports", "-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
    assert [line for line in result.stderr.splitlines() if " INFO " in line] == [
        line for line in result.stderr.splitlines() if line.endswith(" INFO portal still logged")
    ]
    assert "still logged" in result.stderr


def test_make_run_links_emails_to_the_address_it_serves_on():
    result = subprocess.run(
        ["make", "--dry-run", "run", "PORT=8123"],
        cwd=PROJECT,
        env={"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert (
        "SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py runserver 127.0.0.1:8123"
        in result.stdout
    )
