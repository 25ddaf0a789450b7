"""`<time datetime>` values are what the HTML standard accepts (at most milliseconds, a real
date, an offset of hours and minutes): checked on every page the demo's people reach from their
dashboard, and on the filter that writes them."""

import re
from collections import deque
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.utils import timezone

from placements.models import Case
from portal.models import User

# The HTML standard's microsyntaxes for the datetime attribute (HTML, 2.3.5 "Dates and times").
_DATE = r"(?P<year>\d{4,})-(?P<month>\d\d)-(?P<day>\d\d)"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?"
_OFFSET = r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)"
_DURATION = (
    r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?|(?:\s*\d+(?:\.\d{1,3})?[WDHMS])+"
)
DATETIME_VALUE = re.compile(
    rf"(?:{_DATE}(?:[T ]{_TIME}{_OFFSET}?)?|\d{{4,}}-\d\d|--\d\d-\d\d|{_TIME}|{_OFFSET}"
    rf"|\d{{4,}}-W\d\d|\d{{4,}}|{_DURATION})"
)
TIME_ELEMENT = re.compile(r"<time\b[^>]*\bdatetime=\"([^\"]*)\"")
# Never followed: logging out, switching language, downloads and the erasure form.
NOT_FOLLOWED = re.compile(r"logout|/i18n/|/export|/erase|\.pdf|\.ics|/download|/documents/")
PAGES_PER_PERSON = 40


def is_valid_datetime_attribute(value: str) -> bool:
    match = DATETIME_VALUE.fullmatch(value)
    if not match:
        return False
    if match.group("year"):
        try:
            date(int(match.group("year")), int(match.group("month")), int(match.group("day")))
        except ValueError:
            return False
    return True


@pytest.mark.parametrize(
    "value",
    [
        "2026-12-02",
        "2026-12-02T11:27:32+01:00",
        "2026-12-02 11:27",
        "2026-12-02T11:27:32.979Z",
        "2026-12",
        "11:27",
        "2026-W49",
        "PT2H30M",
    ],
)
def test_the_checker_accepts_what_the_standard_accepts(value):
    assert is_valid_datetime_attribute(value)


@pytest.mark.parametrize(
    "value",
    ["2026-12-02T11:27:32.979512+00:00", "2026-02-30", "2026-12-02T24:00", "yesterday", ""],
)
def test_the_checker_refuses_what_the_standard_refuses(value):
    assert not is_valid_datetime_attribute(value)


def test_the_filter_writes_whole_seconds_in_the_current_time_zone():
    moment = datetime(2026, 12, 2, 10, 27, 32, 979512, tzinfo=ZoneInfo("UTC"))
    template = Template("{% load html_time %}{{ moment|datetime_attr }}|{{ day|datetime_attr }}")

    with timezone.override("Europe/Berlin"):
        rendered = template.render(Context({"moment": moment, "day": date(2026, 12, 2)}))

    assert rendered == "2026-12-02T11:27:32+01:00|2026-12-02"
    assert Template("{% load html_time %}{{ nothing|datetime_attr }}").render(Context()) == ""


def crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """The datetime attributes of the pages reachable from ``start``, by page."""
    seen, found, todo = set(start), {}, deque(start)
    while todo and len(found) < PAGES_PER_PERSON:
        path = todo.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        found[path] = TIME_ELEMENT.findall(page)
        for link in re.findall(r'href="(/[^"#?]*)', page):
            if link not in seen and not NOT_FOLLOWED.search(link) and "/static/" not in link:
                seen.add(link)
                todo.append(link)
    return found


@pytest.mark.django_db
def test_every_time_element_on_the_demo_pages_has_a_valid_datetime():
    call_command("seed_demo", force=True, stdout=StringIO())
    case = Case.objects.filter(events__isnull=False).order_by("pk").first()
    starts = {
        "skew@demo.example": ["/dashboard/", f"/admin/placements/case/{case.pk}/change/"],
        "applicant@demo.example": ["/dashboard/"],
        "expert@demo.example": ["/dashboard/"],
    }

    values = {}
    for email, start in starts.items():
        client = Client()
        client.force_login(User.objects.get(email=email))
        for path, attributes in crawl(client, start).items():
            values.update({(email, path, value): value for value in attributes})

    invalid = [key for key, value in values.items() if not is_valid_datetime_attribute(value)]
    assert not invalid
    # The crawl reached the pages with times: events, case timelines, comments.
    pages = {path for _email, path, _value in values}
    assert f"/admin/placements/case/{case.pk}/change/" in pages
    assert len(pages) >= 3, pages
