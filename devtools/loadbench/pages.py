"""The pages the load benchmark drives, each as the user of the role that works on it.

The objects are chosen from the generated data the same way on every run (lowest keys first), so
two runs on the same data drive the same pages.
"""

from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from devtools.bench_urls import BARE_PATH
from devtools.generator import EMAIL_SUFFIX
from experts.models import ExpertProfile
from partnerships.models import CommuneMembership
from placements.models import Case, Mission, MissionReport
from portal import roles
from portal.models import User


@dataclass
class Page:
    name: str
    path: str
    role: str
    session: str = ""  # the session key of the role's user; empty for anonymous pages


def session_for(user) -> str:
    """A logged-in session of the user, as the login would leave it, in the portal's store."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def account_of(expert: ExpertProfile) -> User:
    """The expert's account; generated experts have none, so the benchmark makes one (its
    address is on the generator's domain, so `generate_data --flush` removes it too)."""
    if expert.user_id is None:
        with transaction.atomic():
            user = User.objects.create_user(email=f"bench-expert-{expert.pk}{EMAIL_SUFFIX}")
            user.groups.add(Group.objects.get(name=roles.EXPERT))
            expert.user = user
            expert.save(update_fields=["user"])
    return expert.user


def _first(queryset, what: str):
    found = queryset.first()
    if found is None:
        raise CommandError(f"No {what} in the data: run generate_data (with --missions) first.")
    return found


def pages() -> list[Page]:
    """Every main page of every role, the bare view first (anonymous and logged in)."""
    mission = _first(
        Mission.objects.filter(
            case__state=Case.State.ACTIVE,
            expert__email__endswith=EMAIL_SUFFIX,
        ).order_by("pk"),
        "active mission of a generated expert",
    )
    # A report that was written, if the mission has one yet.
    reports = MissionReport.objects.filter(mission=mission).order_by("pk")
    written = reports.exclude(status=MissionReport.Status.PLANNED)
    report = _first(written if written.exists() else reports, "report of that mission")
    eoi = mission.case.eoi
    applicant = _first(
        CommuneMembership.objects.filter(
            commune=eoi.initiating_commune, user__email__endswith=EMAIL_SUFFIX
        ).order_by("pk"),
        "member of the commune that asked for the mission",
    ).user
    expert = account_of(mission.expert)
    staff = _first(
        User.objects.filter(
            is_staff=True, groups__name=roles.SKEW, email__endswith=EMAIL_SUFFIX
        ).order_by("pk"),
        "programme staff (SKEW) user",
    )
    screening = _first(
        Case.objects.filter(state=Case.State.SCREENING).order_by("pk"), "case in screening"
    )
    # (role, session) of each role's user; anonymous pages have no session.
    anonymous = ("anonymous", "")
    as_applicant = ("applicant", session_for(applicant))
    as_expert = ("expert", session_for(expert))
    as_staff = ("staff", session_for(staff))

    def url(name, *args):
        return reverse(name, args=args)

    def admin(name, *args):
        return reverse(f"admin:placements_case_{name}", args=args)

    return [
        Page("bare view, anonymous", BARE_PATH, *anonymous),
        Page("bare view, logged in", BARE_PATH, *as_applicant),
        Page("home", url("home"), *anonymous),
        Page("login page", url("account_login"), *anonymous),
        Page("vacancy list", url("placements:vacancy-list"), *anonymous),
        Page("applicant dashboard", url("dashboard"), *as_applicant),
        Page("EOI list", url("partnerships:eoi-list"), *as_applicant),
        Page("EOI detail", url("partnerships:eoi-detail", eoi.pk), *as_applicant),
        Page("expert profile", url("experts:profile"), *as_expert),
        Page("expert vacancy list", url("placements:vacancy-list"), *as_expert),
        Page("mission list", url("placements:mission-list"), *as_expert),
        Page("mission page", url("placements:mission-detail", mission.pk), *as_expert),
        Page("report page", url("placements:report-detail", report.pk), *as_expert),
        Page("staff dashboard", url("placements:staff-dashboard"), *as_staff),
        Page("admin case list", admin("changelist"), *as_staff),
        Page("admin case page", admin("change", mission.case_id), *as_staff),
        Page("matching page", admin("matching", screening.pk), *as_staff),
    ]
