"""Time the PDF documents on the current database (see README, Benchmarks). Not a test."""

from django.core.management.base import BaseCommand
from django.utils import translation

from devtools.pdfbench import measure


class Command(BaseCommand):
    help = "Median seconds of a case summary and of a portfolio of N missions (PDF)."

    def add_arguments(self, parser):
        parser.add_argument("--missions", type=int, default=500)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--language", default="en")

    def handle(self, *args, missions, runs, language, **options):
        with translation.override(language):
            result = measure(missions=missions, runs=runs)
        self.stdout.write(
            f"case summary: {result['case_summary_seconds']:.3f} s "
            f"({result['case_summary_pages']} pages, median of {runs})\n"
            f"portfolio of {result['portfolio_missions']} missions: "
            f"{result['portfolio_seconds']:.2f} s ({result['portfolio_pages']} pages)"
        )
