"""Fill the database with realistic generated data for load tests and demonstrations.

    manage.py generate_data --cases 5000 --experts 20000
    manage.py generate_data --flush

See devtools/generator/ for what is generated and how generated rows are marked.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import ProtectedError

from devtools import generator


class Command(BaseCommand):
    help = (
        "Generate communes, partnerships, expressions of interest, cases in every workflow state "
        "with their vacancies and applications, and experts with full profiles, in bulk and in "
        "one transaction. Running it again adds more; --flush deletes everything generated."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=200, help="cases (default 200)")
        parser.add_argument("--experts", type=int, help="experts (default: 4 per case)")
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        parser.add_argument(
            "--communes",
            type=int,
            help="communes, half German and half abroad (default: one per case, at least 10)",
        )
        parser.add_argument(
            "--missions",
            type=int,
            default=0,
            help="additional cases that reached the mission, with reports (default 0)",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="delete all previously generated data and generate nothing",
        )

    def handle(self, *args, cases, experts, seed, communes, missions, flush, **options):
        if flush:
            try:
                deleted = generator.flush()
            except ProtectedError as error:
                raise CommandError(
                    "Some generated rows are still used by rows that were not generated (say, a "
                    "generated expert selected for a hand-made case); nothing was deleted. "
                    f"{error.args[0]}"
                ) from error
            for label, count in sorted(deleted.items()):
                self.stdout.write(f"{label:<40} {count:>8}")
            self.stdout.write(self.style.SUCCESS("Generated data deleted."))
            return
        if cases < 0 or missions < 0 or (experts is not None and experts < 0):
            raise CommandError("Counts cannot be negative.")
        try:
            counts, states, seconds = generator.generate(
                cases=cases, experts=experts, seed=seed, communes=communes, missions=missions
            )
        except generator.ReferenceDataMissing as error:
            raise CommandError(str(error)) from error
        for label, count in counts.items():
            self.stdout.write(f"{label:<32} {count:>8}")
        self.stdout.write("Cases per state:")
        for state, count in sorted(states.items()):
            self.stdout.write(f"  {state:<30} {count:>8}")
        self.stdout.write(self.style.SUCCESS(f"Generated in {seconds:.1f} s (seed {seed})."))
