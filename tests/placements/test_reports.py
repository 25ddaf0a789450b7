"""Mission reports on the portal: the expert writes (a draft keeps every valid field), submits;
staff return it with a comment; the expert revises and submits again; staff accept; both
communes read it and comment; the versions compare. Who may see and do what is in README's role
table (tests/test_role_table.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from experts.models import ExpertProfile
from placements.models import (
    Case,
    EventRegistration,
    Indicator,
    Mission,
    MissionObjective,
    MissionReport,
    SupportEvent,
)
from placements.reporting import plan_reports
from portal.models import OutgoingEmail
from portal.services import erase_user, export_personal_data
from tests.experts.factories import mission_for
from tests.partnerships.factories import pdf_file

pytestmark = pytest.mark.django_db


def client_of(user):
    browser = Client()
    browser.force_login(user)
    return browser


@pytest.fixture
def mission(erin, alice, pierre, sam, partnership):
    profile = ExpertProfile.objects.create(user=erin, full_name="Erin Eriksen", email=erin.email)
    mission = mission_for(profile, partnership=partnership, created_by=alice)
    Case.objects.filter(pk=mission.case_id).update(case_officer=sam)
    Mission.objects.filter(pk=mission.pk).update(
        start=date(2026, 10, 1), planned_end=date(2028, 10, 1)
    )
    mission.refresh_from_db()
    objective = MissionObjective.objects.create(mission=mission, title="Waste collected everywhere")
    Indicator.objects.create(
        objective=objective, name="Districts served", unit="%", baseline=40, target=100
    )
    plan_reports(mission, today=date(2026, 10, 1))
    return mission


def first_report(mission):
    return mission.reports.get(number=1)


def form_data(report, **changes):
    objective = report.mission.objectives.get()
    indicator = objective.indicators.get()
    data = {
        "revision": report.revision,
        "activities": "Mapped the collection routes with the technical department.",
        "results": "Two new districts served.",
        "difficulties": "",
        "next_steps": "Train the drivers.",
        "transparency": "Routes published at the town hall.",
        "cooperation": "Technical and finance departments meet monthly.",
        "inclusion": "The women's cooperative runs the sorting site.",
        "sdg_contribution": "",
        f"objective_{objective.pk}_status": "on_track",
        f"objective_{objective.pk}_narrative": "Half way there.",
        f"indicator_{indicator.pk}": "65",
    }
    data.update(changes)
    return data


def test_a_draft_keeps_every_valid_field_and_says_what_is_wrong(mission, erin):
    report = first_report(mission)
    indicator = mission.objectives.get().indicators.get()
    url = reverse("placements:report-edit", args=[report.pk])

    response = client_of(erin).post(
        url, form_data(report, **{f"indicator_{indicator.pk}": "a lot"}), follow=False
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "a lot" in page  # what was typed is still there
    assert "Enter a number." in page
    report.refresh_from_db()
    assert report.status == MissionReport.Status.DRAFT
    assert report.activities.startswith("Mapped the collection routes")
    assert not report.indicator_values.exists()


def test_the_whole_review_round(mission, erin, sam, alice, pierre):
    report = first_report(mission)
    expert = client_of(erin)
    edit = reverse("placements:report-edit", args=[report.pk])

    # Submitting an empty report is refused with what is missing.
    response = expert.post(edit, {"revision": report.revision, "submit": "1"}, follow=True)
    assert "Please fill in before submitting" in response.content.decode()
    report.refresh_from_db()
    assert report.status == MissionReport.Status.DRAFT

    response = expert.post(edit, {**form_data(report), "submit": "1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MissionReport.Status.SUBMITTED
    assert report.versions.count() == 1
    assert OutgoingEmail.objects.filter(recipient=sam.email).exists()
    # The communes do not read a report under review.
    assert client_of(alice).get(report.get_absolute_url()).status_code == 404

    review = reverse("placements:report-review", args=[report.pk])
    response = client_of(sam).post(review, {"decision": "return", "comment": ""})
    assert response.status_code == 400
    assert "Please tell the expert what to change." in response.content.decode()
    client_of(sam).post(review, {"decision": "return", "comment": "Add the costs."})
    report.refresh_from_db()
    assert report.status == MissionReport.Status.RETURNED
    assert "Add the costs." in expert.get(report.get_absolute_url()).content.decode()

    expert.post(
        edit, {**form_data(report, results="Two districts; costs 1,200 EUR."), "submit": "1"}
    )
    client_of(sam).post(review, {"decision": "accept", "comment": "Thank you."})
    report.refresh_from_db()
    assert report.status == MissionReport.Status.ACCEPTED
    assert report.versions.count() == 2
    # Pierre reads his email in French.
    assert OutgoingEmail.objects.filter(
        recipient=pierre.email, subject__contains="rapport"
    ).exists()

    compare = client_of(sam).get(reverse("placements:report-compare", args=[report.pk]))
    assert "table-warning" in compare.content.decode()
    assert "costs 1,200 EUR" in compare.content.decode()

    commune = client_of(pierre)
    page = commune.get(report.get_absolute_url()).content.decode()
    assert "Two districts; costs 1,200 EUR." in page
    commune.post(
        reverse("placements:report-comment", args=[report.pk]), {"body": "Merci, très utile."}
    )
    assert report.comments.filter(author=pierre, body="Merci, très utile.").exists()
    # The expert may no longer change an accepted report.
    assert expert.get(edit).status_code == 404


def test_two_tabs_cannot_overwrite_each_other(mission, erin):
    report = first_report(mission)
    expert = client_of(erin)
    edit = reverse("placements:report-edit", args=[report.pk])
    seen = report.revision
    expert.post(edit, form_data(report, activities="From the first tab."))

    response = expert.post(edit, form_data(report, revision=seen, activities="Second tab."))

    assert response.status_code == 400
    assert "changed in another window" in response.content.decode()
    assert "Second tab." in response.content.decode()
    report.refresh_from_db()
    assert report.activities == "From the first tab."


def test_photos_are_checked_by_content_and_served_to_those_who_read_the_report(mission, erin, bob):
    report = first_report(mission)
    upload = reverse("placements:report-attachment-upload", args=[report.pk])
    client_of(erin).post(upload, {"file": pdf_file("site visit.pdf"), "caption": "Visit"})
    attachment = report.attachments.get()
    fake = pdf_file("photo.jpg")
    client_of(erin).post(upload, {"file": fake})

    assert report.attachments.count() == 1
    url = reverse("placements:report-attachment", args=[report.pk, attachment.pk])
    assert client_of(erin).get(url).status_code == 200
    assert client_of(bob).get(url).status_code == 404


def test_a_report_upload_without_a_file_or_with_too_long_a_caption_says_what_is_wrong(
    mission, erin
):
    report = first_report(mission)
    upload = reverse("placements:report-attachment-upload", args=[report.pk])

    missing = client_of(erin).post(upload, {"caption": "Visit"}, follow=True)
    too_long = client_of(erin).post(
        upload, {"file": pdf_file("visit.pdf"), "caption": "x" * 301}, follow=True
    )

    assert "Photo or document: This field is required." in missing.content.decode()
    assert "Caption: Ensure this value has at most 300 characters" in too_long.content.decode()
    assert not report.attachments.exists()


def test_the_mission_page_shows_objectives_reports_due_and_contacts(mission, erin, alice):
    page = client_of(erin).get(mission.get_absolute_url()).content.decode()

    assert "Waste collected everywhere" in page
    assert "Districts served" in page
    assert "Reports due" in page
    assert "sam@example.org" in page
    assert "Contract party" in page
    assert client_of(alice).get(mission.get_absolute_url()).status_code == 200
    assert "Reports due" in client_of(alice).get(mission.get_absolute_url()).content.decode()


def test_the_indicator_shows_its_latest_value(mission, erin):
    report = first_report(mission)
    client_of(erin).post(reverse("placements:report-edit", args=[report.pk]), form_data(report))

    page = client_of(erin).get(mission.get_absolute_url()).content.decode()

    assert str(Decimal("65.00")) in page
    assert not mail.outbox  # emails go through the queue, not straight out


def test_the_mission_page_lists_the_support_the_expert_received(mission, erin, sam):
    event = SupportEvent.objects.create(
        title="Coaching: the first hundred days",
        kind=SupportEvent.Kind.COACHING,
        start=timezone.now() - timedelta(days=30),
        end=timezone.now() - timedelta(days=30) + timedelta(hours=2),
        time_zone="Africa/Lome",
        place="Online",
        audience=SupportEvent.Audience.EXPERTS,
        capacity=5,
        published=True,
    )
    EventRegistration.objects.create(event=event, user=erin, attended=True)
    SupportEvent.objects.create(
        title="Exchange on water next month",
        kind=SupportEvent.Kind.NETWORKING,
        start=timezone.now() + timedelta(days=30),
        end=timezone.now() + timedelta(days=30, hours=3),
        time_zone="Africa/Lome",
        place="Lomé",
        audience=SupportEvent.Audience.BOTH,
        capacity=20,
        published=True,
    )

    page = client_of(sam).get(mission.get_absolute_url()).content.decode()

    assert "Coaching: the first hundred days" in page
    assert "Exchange on water next month" in page


def test_event_registrations_are_in_the_data_export_and_their_notes_erased(erin):
    event = SupportEvent.objects.create(
        title="Exchange on water",
        kind=SupportEvent.Kind.NETWORKING,
        start=timezone.now() + timedelta(days=3),
        end=timezone.now() + timedelta(days=3, hours=2),
        time_zone="Europe/Berlin",
        place="Bonn",
        audience=SupportEvent.Audience.BOTH,
        capacity=5,
        published=True,
    )
    registration = EventRegistration.objects.create(event=event, user=erin, note="Vegetarian")

    data = export_personal_data(user=erin)
    assert data["support_event_registrations"][0]["note"] == "Vegetarian"

    erase_user(user=erin)
    registration.refresh_from_db()
    assert registration.note == ""
