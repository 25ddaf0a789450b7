"""Demo data for the embedded default: one user per role, and what later features add."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from devtools import generator
from devtools.demo import create_demo_data
from experts.models import ExpertProfile
from portal import roles
from portal.models import User

DEMO_PASSWORD = "demo-portal-2026"
# A fixed secret, so the demo staff logins stay the same across runs. Demo only.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Generated besides the hand-made demo data, so that matching has a pool to rank.
DEMO_GENERATED_EXPERTS = 300
DEMO_GENERATED_CASES = 40

DEMO_USERS = [
    ("admin@demo.example", "Ada Admin", None, True, True),
    ("skew@demo.example", "Sabine Keller", roles.SKEW, True, False),
    ("giz@demo.example", "Gregor Işık", roles.GIZ, True, False),
    ("coordinator@demo.example", "Clara Ortiz", roles.COORDINATOR, True, False),
    ("finance@demo.example", "Felix Novak", roles.FINANCE, True, False),
    ("applicant@demo.example", "Anna Becker", roles.APPLICANT, False, False),
    ("partner@demo.example", "Awa Traoré", roles.APPLICANT, False, False),
    ("bonn@demo.example", "Jonas Weber", roles.APPLICANT, False, False),
    ("capecoast@demo.example", "Ama Mensah", roles.APPLICANT, False, False),
    ("expert@demo.example", "Elena Rossi", roles.EXPERT, False, False),
]


class Command(BaseCommand):
    help = "Create demo users (one per role) and demo data; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="also run outside the embedded default"
        )

    def handle(self, *args, force=False, **options):
        if not (settings.DEBUG or settings.EMBEDDED or force):
            raise CommandError("Demo users have known passwords: not created in production.")
        # Demo emails (sent when the transaction commits) would only flood the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self.seed()

    @transaction.atomic
    def seed(self):
        rows = []
        for email, name, role, is_staff, is_superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                email=email,
                defaults={"full_name": name, "is_staff": is_staff, "is_superuser": is_superuser},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if role:
                user.groups.add(Group.objects.get(name=role))
            if (
                is_staff
                and not Authenticator.objects.filter(
                    user=user, type=Authenticator.Type.TOTP
                ).exists()
            ):
                TOTP.activate(user, DEMO_TOTP_SECRET)
            rows.append(
                (email, roles.ROLE_LABELS.get(role, "superuser") if role else "superuser", is_staff)
            )

        create_demo_data(
            applicant=User.objects.get(email="applicant@demo.example"),
            partner=User.objects.get(email="partner@demo.example"),
            staff=User.objects.get(email="skew@demo.example"),
        )
        self.generate_experts()
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for email, label, is_staff in rows:
            self.stdout.write(f"  {email:<28} {label}{'  (2FA)' if is_staff else ''}")
        self.stdout.write(
            "Staff log in with two-factor authentication: add the secret "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`python manage.py demo_totp` for the current code."
        )

    def generate_experts(self):
        """A few hundred generated experts, and cases whose vacancies they applied to, so that
        the matching page has candidates to rank; once."""

        if ExpertProfile.objects.filter(email__endswith=generator.EMAIL_SUFFIX).exists():
            return
        try:
            counts, _states, seconds = generator.generate(
                cases=DEMO_GENERATED_CASES, experts=DEMO_GENERATED_EXPERTS, seed=7
            )
        except generator.ReferenceDataMissing as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Generated {counts['experts']} experts, {counts['cases']} cases and "
            f"{counts['applications']} applications in {seconds:.1f} s "
            "(`manage.py generate_data --flush` removes them)."
        )
