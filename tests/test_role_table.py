"""README's role table, checked: every page and action of the portal is tried as a visitor and as
each role (and, where the table says *own*, *host* or *addressee*, also as someone of the same
role to whom the object does not belong), and what happens must be what the table says. The admin
table is read off the admin as each staff role and must be README's, word for word.

Each try runs in a savepoint that is rolled back, so that one role's action (a withdrawal, a
deletion) does not change what the next one finds."""

import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from devtools import roletable
from experts import services as expert_services
from experts.models import ExpertDocument, ExpertProfile
from partnerships import services as eoi_services
from partnerships.models import (
    Attachment,
    Comment,
    CommuneMembership,
    Confirmation,
    ExpressionOfInterest,
    Invitation,
    MembershipRequest,
)
from placements.models import (
    Application,
    Case,
    DocumentJob,
    EventRegistration,
    MissionObjective,
    MissionReport,
    ObjectiveProgress,
    ReportAttachment,
    ReportComment,
    ReportVersion,
    SupportEvent,
    SupportEventDocument,
    Vacancy,
)
from placements.reporting import plan_reports
from portal import roles
from tests.conftest import make_user
from tests.experts.factories import mission_for, shortlist, upload
from tests.experts.factories import pdf_file as expert_pdf
from tests.partnerships.factories import (
    CommuneFactory,
    EOIFactory,
    MembershipFactory,
    PartnershipFactory,
    invitation_path,
    pdf_file,
)
from tests.placements.factories import CaseFactory

README = Path(__file__).resolve().parent.parent / "README.md"
ROLES = ["visitor", "applicant", "expert", "SKEW", "GIZ", "coordinator", "finance", "superuser"]
LOGIN = reverse("account_login")
# What the table cannot hold: allauth's own pages, the admin, static files, the browsable login.
APPS = ("partnerships", "placements", "experts")
PORTAL_NAMES = {
    "home",
    "dashboard",
    "imprint",
    "privacy",
    "healthz",
    "set_language",
    "account-settings",
    "account-export",
    "account-erase",
}


def page_table() -> dict[str, list[str]]:
    """URL name -> the cell of each role, from README."""
    text = README.read_text()
    block = text[text.index("<!-- page role table -->") : text.index("<!-- end of page role")]
    table = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.search(r"\(`([^`]+)`\)", line)
        if match and len(cells) == 2 + len(ROLES):
            table[match.group(1)] = cells[2:]
    return table


def portal_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in APPS:
                    walk(p.url_patterns, p.namespace)
            elif isinstance(p, URLPattern) and namespace:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns)
    return names | PORTAL_NAMES


# --- The cast ------------------------------------------------------------------------------------


@pytest.fixture
def world(db):
    """Alice works for Leipzig and its partner Kpalimé (so she acts on both sides and hosts the
    expert); Bob for Bonn and Kara. Erin is an expert on a shortlist sent to Kpalimé, with a CV
    and a certificate; Frank another expert. One staff member per role, each with two-factor."""
    alice = make_user("alice@example.org", name="Alice")
    bob = make_user("bob@example.org", name="Bob")
    german = CommuneFactory(name="Leipzig", country="DE")
    partner = CommuneFactory(name="Kpalimé", abroad=True)
    for commune in (german, partner):
        MembershipFactory(commune=commune, user=alice)
    partnership = PartnershipFactory(
        name="Leipzig – Kpalimé", german_commune=german, partner=partner
    )
    bonn = CommuneFactory(name="Bonn", country="DE")
    MembershipFactory(commune=bonn, user=bob)
    PartnershipFactory(name="Bonn – Kara", german_commune=bonn)
    staff = {
        "SKEW": make_user("sam@example.org", role=roles.SKEW, staff=True, mfa=True),
        "GIZ": make_user("gustav@example.org", role=roles.GIZ, staff=True, mfa=True),
        "coordinator": make_user("cora@example.org", role=roles.COORDINATOR, staff=True, mfa=True),
        "finance": make_user("fiona@example.org", role=roles.FINANCE, staff=True, mfa=True),
        "superuser": make_user("root@example.org", staff=True, superuser=True, mfa=True),
    }
    erin = make_user("erin@example.org", role=roles.EXPERT, name="Erin")
    frank = make_user("frank@example.org", role=roles.EXPERT, name="Frank")
    profile = ExpertProfile.objects.create(user=erin, full_name="Erin", email=erin.email)
    ExpertProfile.objects.create(user=frank, full_name="Frank", email=frank.email)

    case = CaseFactory(partnership=partnership, title="Waste management in Kpalimé")
    draft = EOIFactory(partnership=partnership, created_by=alice, title="A draft")
    attachment = eoi_services.add_attachment(eoi=draft, user=alice, file=pdf_file("plan.pdf"))
    carla = make_user("carla@example.org", name="Carla")
    membership_request = eoi_services.request_membership(
        user=carla, commune=german, function="Climate officer"
    )
    application = shortlist(
        profile, partnership=partnership, created_by=alice, shared_fields=["cv"]
    )
    vacancy = Vacancy.objects.create(
        case=CaseFactory(partnership=partnership),
        title="Urban planner",
        tasks="Plan.",
        objectives="A plan.",
        competence_profile="Planner.",
        public=False,
        published_at=timezone.now(),
        closing_date=timezone.localdate() + timedelta(days=30),
    )
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    objective = MissionObjective.objects.create(mission=mission, title="Water for all")
    plan_reports(mission)
    accepted, submitted, planned = mission.reports.order_by("number")[:3]
    MissionReport.objects.filter(pk=accepted.pk).update(status=MissionReport.Status.ACCEPTED)
    MissionReport.objects.filter(pk=submitted.pk).update(status=MissionReport.Status.SUBMITTED)
    ReportVersion.objects.create(report=accepted, number=1, content={"results": "Good"})
    ObjectiveProgress.objects.create(report=planned, objective=objective, status="on_track")
    report_photo = ReportAttachment.objects.create(
        report=accepted,
        file=pdf_file("site.pdf"),
        original_name="site.pdf",
        content_type="application/pdf",
        size=100,
    )
    # A support event for experts and communes where Alice and Erin have a place, with its
    # programme; another with nobody registered yet.
    event, open_event = (
        SupportEvent.objects.create(
            title=title,
            kind=SupportEvent.Kind.NETWORKING,
            start=timezone.now() + timedelta(days=20),
            end=timezone.now() + timedelta(days=20, hours=3),
            time_zone="Africa/Lome",
            place="Kpalimé town hall",
            audience=SupportEvent.Audience.BOTH,
            capacity=10,
            published=True,
        )
        for title in ("Exchange on waste management", "Coaching: the first hundred days")
    )
    document = SupportEventDocument.objects.create(
        event=event,
        file=pdf_file("programme.pdf"),
        original_name="programme.pdf",
        content_type="application/pdf",
        size=100,
    )
    registrations = {
        user.email: EventRegistration.objects.create(event=event, user=user)
        for user in (alice, erin)
    }
    return SimpleNamespace(
        mission=mission,
        accepted=accepted,
        submitted=submitted,
        planned=planned,
        report_photo=report_photo,
        users={
            "visitor": (None, None),
            "applicant": (alice, bob),
            "expert": (erin, frank),
            **{role: (user, None) for role, user in staff.items()},
        },
        alice=alice,
        german=german,
        partnership=partnership,
        eoi=case.eoi,
        case=case,
        draft=draft,
        attachment=attachment,
        membership_request=membership_request,
        application=application,
        vacancy=vacancy,
        profile=profile,
        cv=upload(profile, "cv"),
        certificate=upload(profile, "certificate"),
        sam=staff["SKEW"],
        event=event,
        open_event=open_event,
        event_document=document,
        registrations=registrations,
    )


# --- How to try each page, and whether it worked -------------------------------------------------


def shown(response) -> bool:
    return response.status_code == 200


def done(response) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and not location.startswith((LOGIN, "/accounts/2fa"))


def get(name, *args):
    return lambda c, w, u: shown(c.get(reverse(name, args=[a(w) for a in args])))


def by_pk(attribute):
    return lambda w: getattr(w, attribute).pk


def invitation_accepted(c, w, u, *, to_self=True):
    if u is None:
        return shown(c.get(reverse("partnerships:invitation-accept", args=["x"])))
    inviter = make_user("ines@example.org")
    commune = CommuneFactory(name="Lomé", abroad=True)
    MembershipFactory(commune=commune, user=inviter)
    email = u.email if to_self else "somebody@example.org"
    invitation = eoi_services.invite(
        commune=commune, email=email, name="", language="en", by=inviter
    )
    c.post(invitation_path(invitation))
    return CommuneMembership.objects.filter(user=u, commune=commune).exists()


def profile_claimed(c, w, u, *, to_self=True):
    if u is None:
        return shown(c.get(reverse("experts:claim", args=["x"])))
    email = u.email if to_self else "somebody@example.org"
    taken = ExpertProfile.objects.create(full_name="Staff-made", email=email)
    link = expert_services.invite_to_claim(profile=taken, by=w.sam)
    c.post(link.removeprefix(settings.SITE_URL))
    taken.refresh_from_db()
    return taken.user_id == u.pk


def registration_to_try(w, u):
    """Experts try Erin's registration, everybody else Alice's: theirs, or someone else's."""
    expert = u is not None and ExpertProfile.objects.filter(user=u).exists()
    return w.registrations["erin@example.org" if expert else "alice@example.org"]


def registration_cancelled(c, w, u):
    registration = registration_to_try(w, u)
    c.post(reverse("placements:event-cancel", args=[w.event.pk]))
    registration.refresh_from_db()
    return registration.status == EventRegistration.Status.CANCELLED


def document_job_probe(*, download):
    """Each user tries a document of their own (a visitor: one of SKEW's)."""

    def probe(c, w, u):
        job = DocumentJob.objects.create(
            user=u or w.sam, kind="portfolio", language="en", status="done", pages=1
        )
        job.file.save("portfolio.pdf", ContentFile(b"%PDF-1.4 portfolio"))
        name = "placements:document-download" if download else "placements:document-job"
        return shown(c.get(reverse(name, args=[job.pk])))

    return probe


PROBES = {
    "home": lambda c, w, u: shown(c.get("/")),
    "imprint": get("imprint"),
    "privacy": get("privacy"),
    "healthz": lambda c, w, u: c.get(reverse("healthz")).status_code in (200, 503),
    "set_language": lambda c, w, u: done(
        c.post(reverse("set_language"), {"language": "de", "next": "/"})
    ),
    "dashboard": get("dashboard"),
    "account-settings": get("account-settings"),
    "account-export": get("account-export"),
    "account-erase": get("account-erase"),
    "partnerships:commune-list": get("partnerships:commune-list"),
    "partnerships:commune-detail": get("partnerships:commune-detail", by_pk("german")),
    "partnerships:commune-invite": lambda c, w, u: (
        c.post(
            reverse("partnerships:commune-invite", args=[w.german.pk]),
            {"commune": w.german.pk, "name": "Nina", "email": "nina@example.org", "language": "de"},
        )
        and Invitation.objects.filter(email="nina@example.org").exists()
    ),
    "partnerships:membership-request-decide": lambda c, w, u: (
        c.post(
            reverse(
                "partnerships:membership-request-decide",
                args=[w.membership_request.pk, "confirm"],
            )
        )
        and MembershipRequest.objects.get(pk=w.membership_request.pk).status != "pending"
    ),
    "partnerships:invitation-accept": invitation_accepted,
    "partnerships:partnership-list": get("partnerships:partnership-list"),
    "partnerships:partnership-detail": get("partnerships:partnership-detail", by_pk("partnership")),
    "partnerships:eoi-list": get("partnerships:eoi-list"),
    "partnerships:eoi-start": lambda c, w, u: done(
        c.post(reverse("partnerships:eoi-start"), {"commune": w.german.pk})
    ),
    "partnerships:eoi-detail": get("partnerships:eoi-detail", by_pk("eoi")),
    "partnerships:eoi-step": lambda c, w, u: shown(
        c.get(reverse("partnerships:eoi-step", args=[w.draft.pk, "communes"]))
    ),
    "partnerships:eoi-review": get("partnerships:eoi-review", by_pk("draft")),
    "partnerships:eoi-confirm": lambda c, w, u: (
        c.post(
            reverse("partnerships:eoi-confirm", args=[w.draft.pk]),
            {"commune": w.german.pk, "final": "on"},
        )
        and Confirmation.objects.filter(eoi=w.draft, user=u).exists()
    ),
    "partnerships:eoi-comment": lambda c, w, u: (
        c.post(reverse("partnerships:eoi-comment", args=[w.eoi.pk]), {"body": "A question."})
        and Comment.objects.filter(eoi=w.eoi, author=u).exists()
    ),
    "partnerships:eoi-withdraw": lambda c, w, u: (
        c.post(reverse("partnerships:eoi-withdraw", args=[w.eoi.pk]), {"reason": "No longer"})
        and ExpressionOfInterest.objects.get(pk=w.eoi.pk).status == "withdrawn"
    ),
    "partnerships:eoi-compare": get("partnerships:eoi-compare", by_pk("eoi")),
    "partnerships:attachment-upload": lambda c, w, u: (
        c.post(
            reverse("partnerships:attachment-upload", args=[w.draft.pk]),
            {"file": pdf_file("annex.pdf")},
        )
        and Attachment.objects.filter(eoi=w.draft, original_name="annex.pdf").exists()
    ),
    "partnerships:attachment-download": lambda c, w, u: shown(
        c.get(reverse("partnerships:attachment-download", args=[w.draft.pk, w.attachment.pk]))
    ),
    "partnerships:attachment-delete": lambda c, w, u: (
        c.post(reverse("partnerships:attachment-delete", args=[w.draft.pk, w.attachment.pk]))
        and not Attachment.objects.filter(pk=w.attachment.pk).exists()
    ),
    "placements:request-information": lambda c, w, u: (
        c.post(reverse("placements:request-information", args=[w.case.pk]), {"message": "Why?"})
        and Case.objects.get(pk=w.case.pk).state == Case.State.INFO_REQUESTED
    ),
    "placements:staff-dashboard": get("placements:staff-dashboard"),
    "placements:case-summary-pdf": get("placements:case-summary-pdf", by_pk("case")),
    "placements:decision-letter-pdf": lambda c, w, u: shown(
        c.get(reverse("placements:decision-letter-pdf", args=[w.mission.case_id]))
    ),
    "placements:portfolio": lambda c, w, u: (
        c.post(reverse("placements:portfolio"), {}).get("Content-Type") == "application/pdf"
    ),
    "placements:document-job": document_job_probe(download=False),
    "placements:document-download": document_job_probe(download=True),
    "placements:shortlist": lambda c, w, u: shown(
        c.get(reverse("placements:shortlist", args=[w.application.vacancy.case_id]))
    ),
    "placements:shortlist-choose": lambda c, w, u: (
        c.post(
            reverse(
                "placements:shortlist-choose",
                args=[w.application.vacancy.case_id, w.application.pk],
            ),
            {"confirm": "yes"},
        )
        and Application.objects.get(pk=w.application.pk).status == Application.Status.SELECTED
    ),
    "placements:vacancy-list": get("placements:vacancy-list"),
    "placements:vacancy-detail": get("placements:vacancy-detail", by_pk("vacancy")),
    "placements:vacancy-apply": lambda c, w, u: (
        c.post(
            reverse("placements:vacancy-apply", args=[w.vacancy.pk]),
            {"motivation": "I know the place."},
        )
        and Application.objects.filter(vacancy=w.vacancy, expert__user=u).exists()
    ),
    "placements:my-applications": get("placements:my-applications"),
    "placements:application-detail": get("placements:application-detail", by_pk("application")),
    "placements:application-withdraw": lambda c, w, u: (
        c.post(
            reverse("placements:application-withdraw", args=[w.application.pk]),
            {"confirm": "yes"},
        )
        and Application.objects.get(pk=w.application.pk).status == Application.Status.WITHDRAWN
    ),
    "placements:mission-list": get("placements:mission-list"),
    "placements:mission-detail": get("placements:mission-detail", by_pk("mission")),
    "placements:report-detail": get("placements:report-detail", by_pk("accepted")),
    "placements:report-edit": get("placements:report-edit", by_pk("planned")),
    "placements:report-pdf": get("placements:report-pdf", by_pk("accepted")),
    "placements:report-review": lambda c, w, u: (
        c.post(reverse("placements:report-review", args=[w.submitted.pk]), {"decision": "accept"})
        and MissionReport.objects.get(pk=w.submitted.pk).status == MissionReport.Status.ACCEPTED
    ),
    "placements:report-comment": lambda c, w, u: (
        c.post(reverse("placements:report-comment", args=[w.accepted.pk]), {"body": "Merci"})
        and ReportComment.objects.filter(report=w.accepted, author=u).exists()
    ),
    "placements:report-compare": get("placements:report-compare", by_pk("accepted")),
    "placements:report-attachment-upload": lambda c, w, u: (
        c.post(
            reverse("placements:report-attachment-upload", args=[w.planned.pk]),
            {"file": pdf_file("photo.pdf")},
        )
        and ReportAttachment.objects.filter(report=w.planned).exists()
    ),
    "placements:report-attachment": lambda c, w, u: shown(
        c.get(reverse("placements:report-attachment", args=[w.accepted.pk, w.report_photo.pk]))
    ),
    "placements:event-list": get("placements:event-list"),
    "placements:event-detail": get("placements:event-detail", by_pk("event")),
    "placements:event-ics": get("placements:event-ics", by_pk("event")),
    "placements:event-document": lambda c, w, u: shown(
        c.get(reverse("placements:event-document", args=[w.event.pk, w.event_document.pk]))
    ),
    "placements:event-register": lambda c, w, u: (
        c.post(reverse("placements:event-register", args=[w.open_event.pk]), {"note": ""})
        and EventRegistration.objects.active().filter(event=w.open_event, user=u).exists()
    ),
    "placements:event-cancel": registration_cancelled,
    "placements:registration-ics": lambda c, w, u: shown(
        c.get(reverse("placements:registration-ics", args=[registration_to_try(w, u).pk]))
    ),
    "experts:profile": get("experts:profile"),
    "experts:profile-create": lambda c, w, u: (
        not ExpertProfile.objects.filter(user=u).exists()
        and c.post(reverse("experts:profile-create"))
        and ExpertProfile.objects.filter(user=u).exists()
    ),
    "experts:profile-detail": get("experts:profile-detail", by_pk("profile")),
    "experts:profile-pdf": get("experts:profile-pdf", by_pk("profile")),
    "experts:export-json": get("experts:export-json"),
    "experts:erase": get("experts:erase"),
    "experts:claim": profile_claimed,
    "experts:document-upload": lambda c, w, u: (
        c.post(
            reverse("experts:document-upload", args=["certificate"]),
            {"certificate-file": expert_pdf()},
        )
        and ExpertDocument.objects.filter(expert__user=u, kind="certificate").count() == 2
    ),
    "experts:document-delete": lambda c, w, u: (
        c.post(reverse("experts:document-delete", args=[w.certificate.pk]))
        and not ExpertDocument.objects.filter(pk=w.certificate.pk).exists()
    ),
    "experts:document-download": get("experts:document-download", by_pk("cv")),
}


def attempt(world, name, user, **options) -> bool:
    """Whether the user's try worked; everything it changed is rolled back."""
    client = Client()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        worked = bool(PROBES[name](client, world, user, **options))
        transaction.set_rollback(True)
    return worked


def expectations(name, cells, world):
    """(role, who, expected, options) for every try the row's cells ask for."""
    for role, cell in zip(ROLES, cells, strict=True):
        user, stranger = world.users[role]
        if cell == "✓":
            yield role, "", user, True, {}
            if stranger:
                yield role, " (another)", stranger, True, {}
        elif cell == "–":
            yield role, "", user, False, {}
            if stranger:
                yield role, " (another)", stranger, False, {}
        elif cell in ("own", "host"):
            yield role, "", user, True, {}
            yield role, " (not theirs)", stranger, False, {}
        elif cell == "addressee":
            yield role, "", user, True, {}
            yield role, " (not the addressee)", user, False, {"to_self": False}
        else:
            raise AssertionError(f"{name}: unknown cell {cell!r} for {role}")


# --- The tests -----------------------------------------------------------------------------------


def test_the_table_names_every_page_of_the_portal_once():
    assert set(page_table()) == portal_url_names()
    assert set(PROBES) == portal_url_names()


@pytest.mark.parametrize("name", sorted(page_table()))
def test_each_role_may_do_what_the_table_says(world, name):
    wrong = [
        f"{role}{who}: {'refused' if expected else 'allowed'}"
        for role, who, user, expected, options in expectations(name, page_table()[name], world)
        if attempt(world, name, user, **options) != expected
    ]
    assert not wrong, f"{name} differs from README: " + "; ".join(wrong)


def test_the_admin_table_is_what_the_admin_does(db):
    text = README.read_text()
    block = text[text.index(roletable.BEGIN) : text.index(roletable.END) + len(roletable.END)]
    assert block == roletable.markdown()
