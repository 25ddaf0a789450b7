"""The portal under gunicorn with production settings, and wrk driving one page at a time."""

import json
import math
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from devtools.bench_urls import BARE_PATH

from .pages import Page

HOST = "127.0.0.1"
# The longest wrk drives one page, however slow it is.
MAX_SECONDS = 90
# Production settings redirect plain HTTP to HTTPS; the portal trusts this header from its proxy.
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https"}

# wrk's report as one JSON line (latencies in microseconds).
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_us": %d, "p95_us": %d, "errors": %d, "bad": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@contextmanager
def gunicorn(*, port: int, workers: int):
    """The portal under gunicorn on 127.0.0.1:port, as in production but for the bare view."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "devtools.bench_settings",
        "PORTAL_EMBEDDED": "false",
        "DEBUG": "false",
        "PORTAL_DEVTOOLS": "true",
        "ALLOWED_HOSTS": HOST,
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "portal.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env, cwd=settings.BASE_DIR)
    try:
        _wait_until_up(port, process)
        yield f"http://{HOST}:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_up(port: int, process, *, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"gunicorn stopped with exit code {process.returncode}.")
        try:
            fetch(f"http://{HOST}:{port}{BARE_PATH}", "")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer on port {port} within {seconds:.0f} s.")


def fetch(url: str, session: str) -> tuple[int, int]:
    """One request as the page's user: its status and the size of its body."""
    request = urllib.request.Request(url, headers=_headers(session))
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _headers(session: str) -> dict:
    headers = dict(PROXY_HEADERS)
    if session:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session}"
    return headers


def drive(base: str, page: Page, *, seconds: int, connections: int, workers: int) -> dict:
    """wrk on one page for a bounded time: requests per second and latency percentiles.

    Every worker first answers the page twice (its first requests import modules and compile
    templates). The time is stretched for slow pages so that each connection completes a few
    requests (at most MAX_SECONDS), and the server is drained afterwards: wrk abandons the
    requests still open when its time is up, and the workers would go on answering them while
    the next page is measured.
    """
    status, size = fetch(base + page.path, page.session)
    if status != 200:
        raise CommandError(f"{page.name} ({page.path}) answered HTTP {status}, not 200.")
    single = max(_together(base + page.path, page.session, workers) for _ in range(2))
    seconds = min(MAX_SECONDS, max(seconds, math.ceil(3 * single * connections / workers)))
    report = _wrk(base, page, seconds=seconds, connections=connections)
    for _ in range(2):
        _together(base + BARE_PATH, "", workers)
    return {
        "rps": report["requests"] / report["seconds"],
        "median_ms": report["p50_us"] / 1000,
        "p95_ms": report["p95_us"] / 1000,
        "requests": report["requests"],
        "seconds": round(report["seconds"], 1),
        "errors": report["errors"] + report["bad"],
        "kb": round(size / 1024),
    }


def _together(url: str, session: str, count: int) -> float:
    """`count` requests at once; the seconds the slowest took."""
    with ThreadPoolExecutor(count) as pool:
        return max(pool.map(lambda _: _timed_fetch(url, session), range(count)))


def _timed_fetch(url: str, session: str) -> float:
    start = time.perf_counter()
    fetch(url, session)
    return time.perf_counter() - start


def _wrk(base: str, page: Page, *, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = ["wrk", "--threads", "1", "--connections", str(connections)]
        command += ["--duration", f"{seconds}s", "--timeout", "60s", "--script", script.name]
        for name, value in _headers(page.session).items():
            command += ["--header", f"{name}: {value}"]
        output = subprocess.run(
            [*command, base + page.path],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 120,
        ).stdout
    return json.loads(output.strip().splitlines()[-1])
