"""Timings of the portal's main pages (median of several runs), for the README and issue notes.

Not a test: numbers depend on the machine. Query counts are asserted in the test suite instead.
"""

import statistics
import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from placements.models import Case
from portal.models import User


class Command(BaseCommand):
    help = "Time the main pages with the test client and print median milliseconds and queries."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--user", default="skew@demo.example", help="user for logged-in pages")

    def handle(self, *args, **options):
        # Without collectstatic, the manifest storage of production cannot name static files;
        # the timings are about Django's work, not static files.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            self.measure(**options)

    def measure(self, *, runs, user, **options):
        anonymous = Client()
        logged_in = Client()
        # The demo's SKEW user, or (generated data) any superuser or staff member.
        member = (
            User.objects.filter(email=user).first()
            or User.objects.filter(is_superuser=True).first()
            or User.objects.filter(is_staff=True).first()
        )
        if member:
            logged_in.force_login(member)
        pages = [("home", anonymous, reverse("home")), ("healthz", anonymous, reverse("healthz"))]
        if member:
            pages += [("dashboard", logged_in, reverse("dashboard"))]
        pages += self.extra_pages(logged_in)
        self.stdout.write(f"{'page':<28} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
        for name, client, url in pages:
            timings = []
            for _ in range(runs):
                reset_queries()
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    # Over "HTTPS", so production settings answer instead of redirecting.
                    response = client.get(url, HTTP_HOST="127.0.0.1", secure=True)
                    timings.append((time.perf_counter() - start) * 1000)
                if response.status_code >= 400:
                    self.stderr.write(f"{name}: HTTP {response.status_code}")
                    break
            timings.sort()
            p90 = timings[int(len(timings) * 0.9) - 1] if len(timings) > 1 else timings[0]
            self.stdout.write(
                f"{name:<28} {statistics.median(timings):>10.1f} {p90:>8.1f} "
                f"{len(queries.captured_queries):>8}"
            )

    def extra_pages(self, client) -> list:
        """Pages that later features add; each app lists its own here."""

        # Staff pages only redirect or refuse anyone else, and staff without two-factor set up.
        user = User.objects.filter(pk=client.session.get(SESSION_KEY)).first()
        if not (user and user.is_staff and Authenticator.objects.filter(user=user).exists()):
            return []
        pages = [("staff dashboard", client, reverse("placements:staff-dashboard"))]
        if not user.has_perm("placements.view_case"):
            return pages
        pages.insert(0, ("admin case list", client, reverse("admin:placements_case_changelist")))
        # A case in its mission (a long timeline) and one in screening, if there are any.
        cases = Case.objects.order_by("pk")
        case = cases.filter(stage=Case.Stage.MISSION).first() or cases.first()
        if case:
            pages.append(
                ("admin case page", client, reverse("admin:placements_case_change", args=[case.pk]))
            )
        recruiting = cases.filter(state=Case.State.SCREENING).first() or case
        if recruiting:
            url = reverse("admin:placements_case_matching", args=[recruiting.pk])
            pages.append(("matching page", client, url))
        return pages
