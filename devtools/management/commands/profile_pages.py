"""Where a page's time goes: the benchmark's pages, one request at a time, in this process.

    DJANGO_SETTINGS_MODULE=devtools.bench_settings DATABASE_URL=postgres://…/portal_bench \
        manage.py profile_pages --only "case page" --profile

The load benchmark (`manage.py benchmark`) says how fast each page is under load; this says why:
per page the median time of a request, its SQL queries and the time spent in them, and with
`--profile` the functions that took the most time (cProfile). Not a test; run it on the database
the benchmark filled (`make bench` leaves it behind).
"""

import cProfile
import io
import pstats
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from devtools.loadbench.load import HOST
from devtools.loadbench.pages import pages


class _SQLTimer:
    """Counts the queries of a request and the time spent waiting for them."""

    def __init__(self):
        self.count = 0
        self.seconds = 0.0
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1
            self.statements.append(sql)


class Command(BaseCommand):
    help = (
        "Time the benchmark's pages one request at a time in this process: median, SQL queries "
        "and SQL time per page; --profile prints the functions that took the most time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", default=[], help="only pages whose name has …")
        parser.add_argument("--repeat", type=int, default=15, help="requests per page (15)")
        parser.add_argument("--profile", action="store_true", help="cProfile each page")
        parser.add_argument("--top", type=int, default=30, help="functions to print (30)")
        parser.add_argument(
            "--sql", action="store_true", help="print the SQL of each page's last request"
        )
        parser.add_argument(
            "--sort", default="tottime", help="pstats order: tottime or cumulative (tottime)"
        )

    def handle(self, *args, **options):
        if settings.ROOT_URLCONF != "devtools.bench_urls":
            raise CommandError("Run with DJANGO_SETTINGS_MODULE=devtools.bench_settings.")
        chosen = [
            page
            for page in pages()
            if not options["only"] or any(word in page.name for word in options["only"])
        ]
        self.stdout.write(f"{'page':<24} {'median ms':>10} {'queries':>8} {'SQL ms':>8}")
        for page in chosen:
            self.measure(page, options)

    def measure(self, page, options):
        client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        if page.session:
            client.cookies[settings.SESSION_COOKIE_NAME] = page.session
        # Twice first: imports, compiled templates and caches warm, as in the benchmark.
        for _ in range(2):
            response = client.get(page.path)
            if response.status_code != 200:
                raise CommandError(f"{page.name} answered HTTP {response.status_code}.")
        times, sql = [], []
        profiler = cProfile.Profile() if options["profile"] else None
        for _ in range(options["repeat"]):
            timer = _SQLTimer()
            with connection.execute_wrapper(timer):
                start = time.perf_counter()
                if profiler:
                    profiler.enable()
                client.get(page.path)
                if profiler:
                    profiler.disable()
                times.append(time.perf_counter() - start)
            sql.append(timer)
        self.stdout.write(
            f"{page.name:<24} {statistics.median(times) * 1000:>10.1f} "
            f"{sql[-1].count:>8} {statistics.median(t.seconds for t in sql) * 1000:>8.1f}"
        )
        if options["sql"]:
            for statement in sql[-1].statements:
                self.stdout.write(f"  {statement}")
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out)
            stats.sort_stats(options["sort"]).print_stats(options["top"])
            self.stdout.write(out.getvalue())
