"""The first page of a case summary as a PNG for README (docs/case-summary.png): the demo's
case with a mission, rendered by the portal, then pdftoppm."""

import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from placements import pdf
from placements.models import Case


class Command(BaseCommand):
    help = "Render a case summary (the first case with a mission) and save its first page as PNG."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "docs" / "case-summary.png")
        )
        parser.add_argument("--language", default="en")
        parser.add_argument("--dpi", type=int, default=80)

    def handle(self, *args, output, language, dpi, **options):
        case = Case.objects.filter(mission__isnull=False).order_by("pk").first()
        if case is None:
            raise CommandError("No case with a mission: run seed_demo first.")
        with translation.override(language):
            rendered = pdf.case_summary_pdf(Case.objects.filter(pk=case.pk))
        output = Path(output)
        output.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "summary.pdf"
            source.write_bytes(rendered.pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    str(dpi),
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(output.with_suffix("")),
                ],
                check=True,
            )
        self.stdout.write(f"{output} (case {case.pk}, {rendered.pages} pages)")
