from django.core.management.base import BaseCommand, CommandError

from portal.models import User
from portal.services import send_notification


class Command(BaseCommand):
    help = "Send a test email to a user through the Celery email task (checks SMTP settings)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="email address of an existing user")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No user with the address {email}.")
        outgoing = send_notification(recipient=user, template="test_email", context={})
        self.stdout.write(f"Queued email {outgoing.pk} to {user.email}.")
