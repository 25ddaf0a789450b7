"""The load benchmark (`manage.py benchmark`): every main page of every role under gunicorn with
production settings on PostgreSQL, driven by wrk, each compared with a view that only answers "ok".

On a shared or noisy machine the absolute numbers move from run to run; the ratio of a page to
the bare view, measured in the same run, is the figure to compare.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from .load import HOST, drive, gunicorn
from .pages import Page, pages
from .timings import TIMINGS

__all__ = ["TARGETS", "Page", "count_queries", "drive", "gunicorn", "pages", "table", "TIMINGS"]

# The most a page's median may cost, as a multiple of the anonymous bare view's median.
TARGETS = {
    "bare view, logged in": 2,
    "admin case list": 15,
    "admin case page": 15,
    "staff dashboard": 25,
    "matching page": 40,
}
DEFAULT_TARGET = 10


def count_queries(page: Page) -> int:
    """The SQL queries of one request to the page, once its session is warm (third request)."""
    client = Client(HTTP_HOST=HOST)
    if page.session:
        client.cookies[settings.SESSION_COOKIE_NAME] = page.session
    with override_settings(ROOT_URLCONF="devtools.bench_urls"):
        for _ in range(2):
            client.get(page.path, secure=True)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.path, secure=True)
    if response.status_code != 200:
        raise CommandError(f"{page.name} ({page.path}) answered HTTP {response.status_code}.")
    return len(queries.captured_queries)


def with_ratios(results: list[dict]) -> list[dict]:
    """Each page's figures divided by the anonymous bare view's (for rps: the bare view's
    divided by the page's, so that every ratio reads "times slower")."""
    bare = results[0]
    for row in results:
        row["x_median"] = row["median_ms"] / bare["median_ms"]
        row["x_p95"] = row["p95_ms"] / bare["p95_ms"]
        row["x_rps"] = bare["rps"] / row["rps"]
        row["target"] = 1 if row is bare else TARGETS.get(row["page"], DEFAULT_TARGET)
        row["within_target"] = row["x_median"] <= row["target"]
    return results


def table(results: list[dict]) -> str:
    """The results as a Markdown table (readable in a terminal, pasteable into README)."""
    lines = [
        "| page | role | rps | median ms | p95 ms | × bare (median) | × bare (p95) | target × "
        "| queries | KB |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results:
        mark = "" if row["within_target"] else " ✗"
        lines.append(
            f"| {row['page']} | {row['role']} | {row['rps']:,.1f} | {row['median_ms']:,.1f} "
            f"| {row['p95_ms']:,.1f} | {row['x_median']:,.1f}{mark} | {row['x_p95']:,.1f} "
            f"| {row['target']} | {row['queries']} | {row['kb']} |"
        )
    return "\n".join(lines)
