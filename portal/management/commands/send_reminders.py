from datetime import date

from django.core.management.base import BaseCommand, CommandError

from portal.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders that are due (what Celery beat runs every hour). Safe to run again: "
        "a reminder is never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="the day to send the reminders of, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, date=None, **options):
        try:
            today = _parse(date)
        except ValueError as error:
            raise CommandError(f"--date: {error}") from None
        sent = send_due_reminders(today)
        self.stdout.write(f"Sent {sent} reminder(s).")


def _parse(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
