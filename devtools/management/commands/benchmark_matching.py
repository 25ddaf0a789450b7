"""Times the ranking of candidate experts for cases in recruitment (median of several runs).

Run `python manage.py generate_data --cases 5000 --experts 20000` first (on PostgreSQL, as in
production). Prints the pool size and the median and slowest time of one ranking (the query and
the explanation of the best 50), in milliseconds.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from devtools.loadbench.timings import rank
from experts.models import ExpertProfile
from placements.models import Case


class Command(BaseCommand):
    help = "Time the ranking of experts for cases in recruitment (median of several runs)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--cases", type=int, default=5, help="how many cases to rank")

    def handle(self, *args, runs, cases, **options):
        sample = list(
            Case.objects.filter(stage=Case.Stage.RECRUITMENT, deployment_type__isnull=False)
            .select_related("eoi", "deployment_type")
            .order_by("pk")[:cases]
        )
        if not sample:
            raise CommandError("No case in recruitment: run generate_data first.")
        pool = ExpertProfile.objects.filter(consent_to_be_found=True).count()
        timings = []
        for case in sample:
            for _ in range(runs):
                start = time.perf_counter()
                rank(case)
                timings.append((time.perf_counter() - start) * 1000)
        self.stdout.write(
            f"experts in the pool: {pool}; cases ranked: {len(sample)} x {runs} runs\n"
            f"ranking median: {statistics.median(timings):.1f} ms, "
            f"slowest: {max(timings):.1f} ms"
        )
