"""Timings that are not pages: each a function returning one row of the benchmark's second table.

Adding a timing is one line in TIMINGS: a label and a function that returns (value, unit).
"""

import statistics
import time

from devtools import pdfbench
from experts.models import ExpertProfile
from placements import matching
from placements.models import Case


def rank(case: Case) -> None:
    """What the matching page does: rank the pool, explain the best 50 and 20 listed apart."""
    best, apart, requirements = matching.best(case)
    for expert in best + apart:
        matching.explain(expert, requirements)


def median_ms(function, *args, runs: int = 7) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def ranking() -> tuple[float, str]:
    case = (
        Case.objects.filter(state=Case.State.SCREENING, deployment_type__isnull=False)
        .select_related("eoi", "deployment_type")
        .order_by("pk")
        .first()
    )
    pool = ExpertProfile.objects.filter(consent_to_be_found=True).count()
    return median_ms(rank, case), f"ms, median of 7 (pool of {pool:,} experts)"


def case_summary_pdf() -> tuple[float, str]:
    result = pdfbench.measure(missions=0)
    return result[
        "case_summary_seconds"
    ] * 1000, f"ms, median of 5 ({result['case_summary_pages']} pages)"


def portfolio_pdf() -> tuple[float, str]:
    result = pdfbench.measure(missions=500, runs=1)
    return (
        result["portfolio_seconds"] * 1000,
        f"ms ({result['portfolio_missions']} missions, {result['portfolio_pages']} pages)",
    )


TIMINGS = [
    ("ranking of one case", ranking),
    ("PDF: case summary", case_summary_pdf),
    ("PDF: portfolio of up to 500 missions", portfolio_pdf),
]
