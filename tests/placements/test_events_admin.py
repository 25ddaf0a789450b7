"""Support events in the admin: staff type the times as the clock shows them where the event
takes place; documents are checked like every upload; attendance is recorded inline."""

from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from placements.models import SupportEvent
from tests.partnerships.factories import pdf_file

from .helpers import logged_in

FORM = {
    "title": "Coaching: the first hundred days",
    "kind": "coaching",
    "audience": "experts",
    "published": "on",
    "time_zone": "Africa/Lome",
    "start_0": "2031-03-04",
    "start_1": "09:00",
    "end_0": "2031-03-04",
    "end_1": "12:00",
    "place": "",
    "online_link": "https://meet.example.org/coaching",
    "capacity": "12",
    "agenda": "Arriving; the first steps.",
    "documents-TOTAL_FORMS": "1",
    "documents-INITIAL_FORMS": "0",
    "documents-MIN_NUM_FORMS": "0",
    "documents-MAX_NUM_FORMS": "1000",
    "registrations-TOTAL_FORMS": "0",
    "registrations-INITIAL_FORMS": "0",
    "registrations-MIN_NUM_FORMS": "0",
    "registrations-MAX_NUM_FORMS": "1000",
}


def test_staff_add_an_event_in_its_own_time_zone_with_a_checked_document(staff):
    browser = logged_in(staff["skew"])
    response = browser.post(
        reverse("admin:placements_supportevent_add"),
        {**FORM, "documents-0-file": pdf_file("programme.pdf")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = SupportEvent.objects.get()
    # 09:00 in Lomé is 09:00 UTC, whatever zone Sam works in.
    assert event.start == datetime(2031, 3, 4, 9, 0, tzinfo=UTC)
    document = event.documents.get()
    assert (document.original_name, document.content_type) == ("programme.pdf", "application/pdf")


def test_a_document_that_is_not_what_it_claims_is_refused(staff):
    fake = SimpleUploadedFile("programme.pdf", b"<html>not a pdf</html>")
    response = logged_in(staff["giz"]).post(
        reverse("admin:placements_supportevent_add"), {**FORM, "documents-0-file": fake}
    )
    assert response.status_code == 200
    assert not SupportEvent.objects.exists()


def test_an_event_needs_a_place_or_an_https_link(staff):
    response = logged_in(staff["skew"]).post(
        reverse("admin:placements_supportevent_add"),
        {**FORM, "online_link": "http://meet.example.org/x", "documents-TOTAL_FORMS": "0"},
    )
    assert response.status_code == 200
    assert not SupportEvent.objects.exists()


def test_coordinators_read_events_but_do_not_add_them(staff):
    response = logged_in(staff["coordinator"]).post(
        reverse("admin:placements_supportevent_add"), {**FORM, "documents-TOTAL_FORMS": "0"}
    )
    assert response.status_code == 403
    assert not SupportEvent.objects.exists()
