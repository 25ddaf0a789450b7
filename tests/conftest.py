import os
import re
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import translation
from playwright.sync_api import expect

from catalogue.reference import load_reference_data
from portal import roles
from portal.models import User

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Transactional tests empty the database when they end: they must run after all the others.
    pytest-django orders them last, but pytest-playwright's browser parameter reorders tests
    afterwards; put them back at the end (a stable sort keeps every other order)."""

    def transactional(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items.sort(key=transactional)


def pytest_sessionfinish(session, exitstatus):
    # In CI nothing may be skipped: a skipped test is a test that did not run.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("CI") and reporter and reporter.stats.get("skipped"):
        reporter.write_line("CI: skipped tests are failures here.", red=True)
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test with an empty cache, so that one test's failed logins do not rate-limit
    the next one."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # Not cache.clear(): that empties the whole Redis database, and with it the Celery queue
        # of a worker test running in parallel. Only this run's keys go.
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Leave no language active after a test: a request in French would otherwise stay French
    for the next test that renders without a request (RequestFactory, emails)."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """A transactional test starts on a database that the previous one emptied, reference data
    of the data migration included (pytest-django runs these tests last): bring it back with the
    same loader the migration uses."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    load_reference_data()


def make_user(email, *, role=None, staff=False, superuser=False, mfa=False, name="", **extra):
    user = User.objects.create_user(
        email=email,
        password=PASSWORD,
        full_name=name,
        is_staff=staff,
        is_superuser=superuser,
        **extra,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def choose(page, label, typed: str, option: str, within=None) -> None:
    """Pick ``option`` in a searchable select or multi-select (portal.widgets, Tom Select) as a
    person does: click the box named ``label`` (in ``within``, a row of a formset), type until
    ``option`` comes first, Enter."""
    named = page.get_by_role("combobox", name=label)
    box = within.get_by_role("combobox", name=label) if within else named
    # The box around the typing field: a single select with a choice moves the field aside.
    control = (within or page).locator(".ts-control", has=named)
    control.click()
    box.press_sequentially(typed)
    first = page.get_by_role("listbox").get_by_role("option").first
    expect(first).to_have_text(option)
    expect(first).to_have_class(re.compile(r"\bactive\b"))
    box.press("Enter")
    expect(control.locator(".item", has_text=option)).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "false")


def totp_code(counter_offset: int = 0) -> str:
    """The current code of TOTP_SECRET (a neighbouring window with an offset)."""

    counter = int(time.time()) // app_settings.TOTP_PERIOD + counter_offset
    return format_hotp_value(hotp_value(TOTP_SECRET, counter))


@pytest.fixture
def alice(db):
    """Applicant, staff member of a German commune."""
    return make_user("alice@example.org", role=roles.APPLICANT, name="Alice Albrecht")


@pytest.fixture
def bob(db):
    """Applicant of another commune."""
    return make_user("bob@example.org", role=roles.APPLICANT, name="Bob Brandt")


@pytest.fixture
def erin(db):
    """Expert."""
    return make_user("erin@example.org", role=roles.EXPERT, name="Erin Eriksen")


@pytest.fixture
def sam(db):
    """SKEW programme staff, with two-factor authentication set up."""
    return make_user("sam@example.org", role=roles.SKEW, staff=True, mfa=True, name="Sam Sauer")


@pytest.fixture
def gina(db):
    """GIZ programme staff without two-factor authentication yet."""
    return make_user("gina@example.org", role=roles.GIZ, staff=True, name="Gina Graf")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/screenshots/ for a person to look at."""
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(name: str):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    return take


def asks_first(client, url, *texts):
    """Check that an irreversible step asks first: its address shows the confirmation page (with
    ``texts``), and a POST without the page's ``confirm=yes`` shows it again instead of acting."""
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 200
        page = response.content.decode()
        assert 'name="confirm" value="yes"' in page
        for text in texts:
            assert text in page
