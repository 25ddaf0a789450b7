"""Timings of the PDF documents (not tests): a case summary and a portfolio of many missions,
rendered as the portal renders them. The load benchmark calls ``measure``."""

import statistics
import time

from django.conf import settings

from placements import pdf
from placements.models import Case, Mission


def _timed(render, runs: int) -> tuple[float, int]:
    timings, pages = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        pages = render().pages
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), pages


def measure(*, missions: int = 500, runs: int = 5, portfolio_runs: int = 1) -> dict:
    """Median seconds and pages of a case summary (a case with a mission, its reports and
    timeline) and of a portfolio of ``missions`` missions. The first render, which loads the
    fonts, is left out."""
    case = Case.objects.filter(mission__isnull=False).order_by("pk").first()
    if case is None:
        raise LookupError("No case with a mission: run generate_data --missions N first.")
    one = Case.objects.filter(pk=case.pk)
    pdf.case_summary_pdf(one)
    summary, summary_pages = _timed(lambda: pdf.case_summary_pdf(one), runs)
    chosen = list(Mission.objects.order_by("pk").values_list("pk", flat=True)[:missions])
    portfolio = Mission.objects.filter(pk__in=chosen)
    # As large a portfolio is made by the Celery task, under the task's time limit.
    seconds, pages = _timed(
        lambda: pdf.portfolio_pdf(portfolio, {}, seconds=settings.PDF_TASK_SECONDS),
        portfolio_runs,
    )
    return {
        "case_summary_seconds": summary,
        "case_summary_pages": summary_pages,
        "portfolio_missions": len(chosen),
        "portfolio_seconds": seconds,
        "portfolio_pages": pages,
    }
