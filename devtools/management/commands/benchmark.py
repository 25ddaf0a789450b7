"""The load benchmark: the portal under gunicorn with production settings on PostgreSQL with
generated data, every main page of every role driven by wrk and compared with a bare view.

    manage.py benchmark --fresh --cases 5000 --experts 20000   # what `make bench` runs

Not a test: numbers depend on the machine and what else runs on it; the ratio of each page to the
bare view, measured in the same run, is the figure to compare. Query counts are asserted in the
test suite (tests/*/test_queries.py, tests/placements/test_scale.py). See README, "Benchmarks".
"""

import json
import shutil
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools import generator, loadbench
from placements.models import Case


class Command(BaseCommand):
    help = (
        "Serve the portal with gunicorn (production settings, PostgreSQL, generated data), drive "
        "every main page with wrk and print requests per second, median and 95th percentile, "
        "each as a multiple of a bare view, and the SQL queries per page; then the ranking time "
        "and generate_data's speed. Table on stdout, JSON in --json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="drop and create the database first (only one whose name contains 'bench')",
        )
        parser.add_argument("--cases", type=int, default=5000, help="cases to generate (5000)")
        parser.add_argument("--experts", type=int, default=20000, help="experts (20000)")
        parser.add_argument("--seconds", type=int, default=10, help="wrk's time per page (10)")
        parser.add_argument("--connections", type=int, default=8, help="wrk's connections (8)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
        parser.add_argument("--port", type=int, default=8300, help="port on 127.0.0.1 (8300)")
        parser.add_argument("--only", nargs="*", default=[], help="only pages whose name has …")
        parser.add_argument(
            "--json", default="test-artifacts/benchmark.json", help="where to write the JSON"
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL: set DATABASE_URL.")
        if not shutil.which("wrk"):
            raise CommandError("wrk is missing: apt-get install -y wrk")
        if options["fresh"]:
            self.recreate_database()
        call_command("migrate", verbosity=0)
        generation = self.generate(options["cases"], options["experts"])
        call_command("collectstatic", interactive=False, verbosity=0)

        chosen = loadbench.pages()
        if options["only"]:
            chosen = chosen[:1] + [
                p for p in chosen[1:] if any(word in p.name for word in options["only"])
            ]
        results = []
        with loadbench.gunicorn(port=options["port"], workers=options["workers"]) as base:
            for page in chosen:
                row = {"page": page.name, "role": page.role, "path": page.path}
                row |= loadbench.drive(
                    base,
                    page,
                    seconds=options["seconds"],
                    connections=options["connections"],
                    workers=options["workers"],
                )
                row["queries"] = loadbench.count_queries(page)
                results.append(row)
                self.stderr.write(f"{page.name}: {row['rps']:.1f} rps, {row['median_ms']:.1f} ms")
        loadbench.with_ratios(results)
        timings = [
            {"what": label, "value": value, "unit": unit}
            for label, function in loadbench.TIMINGS
            for value, unit in [function()]
        ]
        if generation:
            timings.append(generation)

        self.stdout.write(loadbench.table(results) + "\n")
        for timing in timings:
            self.stdout.write(f"{timing['what']}: {timing['value']:,.1f} {timing['unit']}")
        report = {
            "database": settings.DATABASES["default"]["NAME"],
            "cases": Case.objects.count(),
            "options": {k: options[k] for k in ("seconds", "connections", "workers")},
            "pages": results,
            "timings": timings,
        }
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
        self.stdout.write(f"JSON: {path}")

    def recreate_database(self):
        database = settings.DATABASES["default"]
        name = database["NAME"]
        if "bench" not in name:
            raise CommandError(f"--fresh drops the database: {name!r} has no 'bench' in its name.")
        connection.close()
        with psycopg.connect(
            dbname="postgres",
            user=database["USER"],
            password=database["PASSWORD"] or None,
            host=database["HOST"],
            port=database["PORT"] or 5432,
            autocommit=True,
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        # The cache holds sessions, users and kept pages of the data just dropped (keyed by
        # primary keys the new data reuses): the benchmark's Redis database is its own.
        cache.clear()

    def generate(self, cases: int, experts: int) -> dict | None:
        """Generate the data unless the database has it already; its speed in rows per second."""
        if Case.objects.exists():
            self.stderr.write("Data present: reused (--fresh to generate and time it).")
            return None
        started = time.perf_counter()
        counts, _states, _seconds = generator.generate(cases=cases, experts=experts, seed=42)
        seconds = time.perf_counter() - started
        # Statistics for the planner, as autovacuum would gather them a little later.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        rows = sum(counts.values())
        return {
            "what": "generate_data",
            "value": rows / seconds,
            "unit": f"rows per second ({rows:,} rows in {seconds:.1f} s)",
        }
