"""Support events' pages: who sees and does what, form errors, calendar files and documents.
Erin is an expert, Alice a member of Leipzig, Bob of no commune, Sam runs the events."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from placements import services
from placements.models import EventRegistration, SupportEventDocument
from tests.partnerships.factories import PDF_BYTES, pdf_file

from .factories import ExpertProfileFactory, SupportEventFactory
from .helpers import logged_in

R = EventRegistration.Status


@pytest.fixture
def expert(erin):
    ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)
    return erin


@pytest.fixture
def event(db):
    return SupportEventFactory(
        title="Exchange on waste management",
        start=datetime(2031, 3, 4, 9, 0, tzinfo=UTC),
        end=datetime(2031, 3, 4, 12, 0, tzinfo=UTC),
        time_zone="Europe/Berlin",
    )


@pytest.fixture
def hidden(db):
    return SupportEventFactory(title="Not announced yet", published=False)


def page(user, name, *args):
    return logged_in(user).get(reverse(name, args=args))


def test_a_visitor_is_sent_to_log_in(client, event):
    for name in ("placements:event-list", "placements:event-detail", "placements:event-ics"):
        args = [] if name.endswith("list") else [event.pk]
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = client.post(reverse("placements:event-register", args=[event.pk]))
    assert response.status_code == 302
    assert not EventRegistration.objects.exists()


def test_experts_and_commune_members_see_published_events_only(
    expert, alice, german, event, hidden
):
    for user in (expert, alice):
        listing = page(user, "placements:event-list").content.decode()
        assert "Exchange on waste management" in listing
        assert "Not announced yet" not in listing
        assert page(user, "placements:event-detail", hidden.pk).status_code == 404
        assert page(user, "placements:event-ics", hidden.pk).status_code == 404


def test_staff_see_unpublished_events_and_who_registered(sam, expert, event, hidden):
    services.register_for_event(event=event, user=expert, note="Arrives late")
    assert "Not announced yet" in page(sam, "placements:event-list").content.decode()
    assert page(sam, "placements:event-detail", hidden.pk).status_code == 200
    detail = page(sam, "placements:event-detail", event.pk).content.decode()
    assert "Erin Eriksen" in detail and "Arrives late" in detail
    # Participants' names are for staff only.
    assert "Erin Eriksen" not in page(expert, "placements:event-detail", event.pk).content.decode()


def test_an_expert_registers_and_cancels_from_the_event_page(expert, event):
    browser = logged_in(expert)
    response = browser.post(
        reverse("placements:event-register", args=[event.pk]), {"note": "Vegetarian"}
    )
    assert response.status_code == 302
    registration = EventRegistration.objects.get(event=event, user=expert)
    assert (registration.status, registration.note) == (R.REGISTERED, "Vegetarian")
    detail = browser.get(event.get_absolute_url()).content.decode()
    assert "You are registered." in detail
    assert reverse("placements:registration-ics", args=[registration.pk]) in detail
    browser.post(reverse("placements:event-cancel", args=[event.pk]))
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED


def test_a_commune_member_joins_the_waiting_list_of_a_full_event(alice, german, expert, event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    services.register_for_event(event=event, user=expert)
    browser = logged_in(alice)
    assert "Join the waiting list" in browser.get(event.get_absolute_url()).content.decode()
    response = browser.post(reverse("placements:event-register", args=[event.pk]), follow=True)
    assert "you are on the waiting list" in response.content.decode()
    assert EventRegistration.objects.get(event=event, user=alice).status == R.WAITING


def test_a_refused_registration_says_why_and_keeps_what_was_typed(bob, event):
    response = logged_in(bob).post(
        reverse("placements:event-register", args=[event.pk]), {"note": "I use a wheelchair"}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "This event is for experts and members of a commune." in content
    assert "I use a wheelchair" in content
    assert not EventRegistration.objects.exists()


def test_a_too_long_note_is_refused_and_kept(expert, event):
    note = "x" * 1001
    response = logged_in(expert).post(
        reverse("placements:event-register", args=[event.pk]), {"note": note}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "at most 1000 characters" in content
    assert note in content
    assert not EventRegistration.objects.exists()


def test_staff_cannot_register(sam, event):
    response = logged_in(sam).post(reverse("placements:event-register", args=[event.pk]))
    assert response.status_code == 400
    assert "Programme staff do not register" in response.content.decode()
    assert not EventRegistration.objects.exists()


def test_nobody_registers_for_an_unpublished_event(expert, hidden):
    response = logged_in(expert).post(reverse("placements:event-register", args=[hidden.pk]))
    assert response.status_code == 404
    assert not EventRegistration.objects.exists()


def test_another_persons_registration_is_a_404(expert, alice, german, event):
    theirs = services.register_for_event(event=event, user=alice)
    browser = logged_in(expert)
    assert browser.get(reverse("placements:registration-ics", args=[theirs.pk])).status_code == 404
    assert browser.post(reverse("placements:event-cancel", args=[event.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == R.REGISTERED


def test_the_calendar_file_holds_the_event_in_its_own_time_zone(expert, event):
    response = page(expert, "placements:event-ics", event.pk)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    entry = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == "Exchange on waste management"
    start = entry.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert (start.hour, start.minute) == (10, 0)
    assert start == event.start
    assert entry["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(entry["LOCATION"]) == "Kpalimé town hall"


def test_the_registration_calendar_file_is_tentative_while_waiting(expert, alice, german, event):
    event.capacity = 1
    event.save(update_fields=["capacity"])
    place = services.register_for_event(event=event, user=alice)
    waiting = services.register_for_event(event=event, user=expert)
    for user, registration, status in ((alice, place, "CONFIRMED"), (expert, waiting, "TENTATIVE")):
        response = page(user, "placements:registration-ics", registration.pk)
        entry = Calendar.from_ical(response.content).walk("VEVENT")[0]
        assert str(entry["STATUS"]) == status
        assert entry.decoded("DTSTART") == event.start


@pytest.fixture
def document(event):
    return SupportEventDocument.objects.create(
        event=event,
        file=pdf_file("programme.pdf"),
        original_name="programme.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )


def test_documents_are_served_privately_to_those_who_see_the_event(
    client, expert, hidden, document
):
    url = document.get_absolute_url()
    detail = page(expert, "placements:event-detail", document.event_id).content.decode()
    assert url in detail
    response = logged_in(expert).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(url).status_code == 302
    # A document of an unpublished event, or asked for under another event, is not there.
    hidden_document = SupportEventDocument.objects.create(
        event=hidden, file=pdf_file(), original_name="draft.pdf", content_type="x", size=1
    )
    assert logged_in(expert).get(hidden_document.get_absolute_url()).status_code == 404
    wrong = reverse("placements:event-document", args=[hidden.pk, document.pk])
    assert logged_in(expert).get(wrong).status_code == 404


def test_the_dashboard_lists_upcoming_registrations(expert, event, sam):
    other = SupportEventFactory(title="Coaching: the first hundred days")
    services.register_for_event(event=event, user=expert)
    dashboard = page(expert, "dashboard").content.decode()
    assert "Your support events" in dashboard
    assert "Exchange on waste management" in dashboard
    # The other event is offered in the to-do list, not among the person's events.
    events = dashboard[dashboard.index('id="events-title"') :]
    assert other.title not in events
    assert f"Registration is open: {other.title}" in dashboard
    assert "Your support events" not in page(sam, "dashboard").content.decode()


def test_the_navigation_links_to_the_events(expert):
    assert reverse("placements:event-list") in page(expert, "dashboard").content.decode()
