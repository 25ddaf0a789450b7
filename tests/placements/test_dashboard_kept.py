"""What a person's dashboard shows of placements (shortlists, events open to them, their places)
is kept per person under the mission pages' version: a change shows at once, and the time now
still applies to what is kept."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from placements import dashboard as placements_dashboard
from placements import services
from placements.models import SupportEvent

from .factories import ExpertProfileFactory, SupportEventFactory

pytestmark = pytest.mark.django_db


def dashboard_of(signed_in) -> str:
    response = signed_in.get(reverse("dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def your_events(html) -> str:
    return html[html.index('id="events-title"') :]


@pytest.fixture
def signed_in(erin):
    signed_in = Client()
    signed_in.force_login(erin)
    return signed_in


@pytest.fixture
def expert(erin):
    ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)
    return erin


def test_a_place_taken_or_given_up_shows_at_once(expert, signed_in):
    event = SupportEventFactory(title="Coaching: the first hundred days")
    assert "Registration is open: Coaching" in dashboard_of(signed_in)

    registration = services.register_for_event(event=event, user=expert)
    after = dashboard_of(signed_in)
    assert "Registration is open: Coaching" not in after
    assert "Coaching: the first hundred days" in your_events(after)

    services.cancel_registration(registration=registration, user=expert)
    again = dashboard_of(signed_in)
    assert "Registration is open: Coaching" in again
    assert "Coaching: the first hundred days" not in your_events(again)


def test_an_event_leaves_the_lists_when_it_starts_and_ends(expert, signed_in, monkeypatch):
    now = timezone.now()
    taken = SupportEventFactory(
        title="Study visit", start=now + timedelta(hours=1), end=now + timedelta(hours=2)
    )
    SupportEventFactory(
        title="Webinar on tariffs", start=now + timedelta(hours=1), end=now + timedelta(hours=2)
    )
    services.register_for_event(event=taken, user=expert)
    before = dashboard_of(signed_in)
    assert "Registration is open: Webinar on tariffs" in before
    assert "Study visit" in your_events(before)

    def at(moment):
        # The dashboard's clock only: the session and the cache keep theirs.
        monkeypatch.setattr(
            placements_dashboard,
            "timezone",
            SimpleNamespace(
                now=lambda: moment, localtime=timezone.localtime, localdate=timezone.localdate
            ),
        )

    at(now + timedelta(minutes=90))
    started = dashboard_of(signed_in)
    assert "Webinar on tariffs" not in started
    assert "Study visit" in your_events(started)

    at(now + timedelta(hours=3))
    assert "Study visit" not in your_events(dashboard_of(signed_in))


def test_a_new_expert_profile_opens_the_experts_events_at_once(erin, signed_in):
    SupportEventFactory(title="Experts' exchange", audience=SupportEvent.Audience.EXPERTS)
    assert "Registration is open: Experts" not in dashboard_of(signed_in)

    ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)

    assert "Registration is open: Experts" in dashboard_of(signed_in)


def test_the_soonest_events_are_listed_and_the_others_counted(expert, signed_in):
    now = timezone.now()
    for day in range(5, 0, -1):
        SupportEventFactory(title=f"Meeting on day {day}", start=now + timedelta(days=day))

    shown = dashboard_of(signed_in)

    # The three soonest by name, soonest first; the two others in one item that leads to the
    # list of events.
    assert shown.index("Meeting on day 1") < shown.index("Meeting on day 2")
    assert shown.index("Meeting on day 2") < shown.index("Meeting on day 3")
    assert "Meeting on day 4" not in shown and "Meeting on day 5" not in shown
    assert "2 more support events are open for registration." in shown
    assert f'href="{reverse("placements:event-list")}"' in shown
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    assert "2 weitere Begleitveranstaltungen sind zur Anmeldung offen." in dashboard_of(signed_in)
    signed_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    # Registered for one of the three: the fourth moves up, one more is left over.
    services.register_for_event(
        event=SupportEvent.objects.get(title="Meeting on day 2"), user=expert
    )
    after = dashboard_of(signed_in)
    assert "Registration is open: Meeting on day 4" in after
    assert "1 more support event is open for registration." in after
