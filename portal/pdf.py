"""Every PDF of the portal is rendered here: a Django template to HTML, then WeasyPrint with
a fetcher that reads only the portal's own static files, a time limit, the DejaVu fonts and
the tagged PDF/UA-1 variant (structure tree, language, title).

Hostile text cannot reach the server's files or the network (the fetcher refuses everything
but ``STATIC_URL``), nor keep a worker busy (``time_limit``); the templates escape it like any
page."""

import contextlib
import logging
import re
import signal
import threading
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The base every relative URL of a document is resolved against. It names no real host: the
# fetcher answers it from the static files and refuses every other address.
BASE_URL = "https://portal.invalid/"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class RenderTimeout(Exception):
    """A render took longer than its time limit and was stopped."""


class StaticOnlyFetcher(URLFetcher):
    """Answers ``https://portal.invalid/static/...`` from the static files (the finders, so
    ``..`` cannot leave them) and refuses everything else: no ``file://``, no network, no
    ``data:`` larger than what a template would embed."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        base = urlsplit(BASE_URL)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            raise ValueError(f"Only the portal's static files may be fetched, not {url[:80]}")
        path = unquote(parts.path)
        if not path.startswith(settings.STATIC_URL) or "/../" in path or "\\" in path:
            raise ValueError(f"Only the portal's static files may be fetched, not {url[:80]}")
        name = path.removeprefix(settings.STATIC_URL)
        suffix = name[name.rfind(".") :].lower()
        found = finders.find(name) if suffix in CONTENT_TYPES else None
        if not found:
            raise ValueError(f"No such static file: {name[:80]}")
        with open(found, "rb") as handle:
            body = handle.read()
        return URLFetcherResponse(url, body, {"Content-Type": CONTENT_TYPES[suffix]})


@contextlib.contextmanager
def time_limit(seconds: float):
    """Stop the code inside after ``seconds`` with RenderTimeout (a SIGALRM timer).

    Signals reach only the main thread: gunicorn's sync workers and Celery's prefork workers
    render there. In another thread (the development server, a test's live server) a timer
    cannot interrupt anything; the render then runs without one, and the size caps of the
    documents (the portfolio's on request) keep it short."""
    if threading.current_thread() is not threading.main_thread():
        logger.info("PDF render outside the main thread: no time limit")
        yield
        return

    def stop(signum, frame):
        raise RenderTimeout(_("The document took too long to produce and was stopped."))

    previous = signal.signal(signal.SIGALRM, stop)
    # The timer repeats: an exception raised while Python runs a finaliser (a weakref callback
    # during garbage collection) is swallowed as "unraisable", and the render would go on.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.1)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def css_string(text: str) -> str:
    """A CSS string literal of any text: every character but letters, digits and spaces as an
    escape, so that no text can end the string or the rule."""
    escaped = "".join(
        ch if ch.isalnum() and ch.isascii() or ch == " " else f"\\{ord(ch):x} " for ch in text
    )
    return f'"{escaped}"'


def page_counter_content() -> str:
    """The CSS ``content`` of "Page 3 of 12" in the active language, whatever the order of
    the words around the two numbers."""
    label = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\((?:page|pages)\)s)", label)
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return " ".join(counters.get(part) or css_string(part) for part in parts if part)


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    seconds: float


def render_pdf(
    template: str,
    context: dict,
    *,
    title: str,
    seconds: float | None = None,
    progress=None,
) -> Rendered:
    """Render a template of templates/pdf/ (extending pdf/base.html) as a tagged PDF.

    ``title`` is the document's title (metadata and first heading); the author is the
    programme. ``progress(fraction)`` is told when the layout is done. The whole render stops
    after ``seconds`` (PDF_RENDER_SECONDS by default)."""
    started = time.perf_counter()
    now = timezone.localtime()
    html = render_to_string(
        template,
        {
            **context,
            "document_title": title,
            "generated_at": now,
            "page_counter": page_counter_content(),
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        },
    )
    with time_limit(seconds or settings.PDF_RENDER_SECONDS):
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(
            pdf_variant="pdf/ua-1"
        )
        if progress:
            progress(0.8)
        pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return Rendered(pdf=pdf, pages=len(document.pages), seconds=time.perf_counter() - started)
