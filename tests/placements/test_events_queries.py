"""The support events' pages cost the same number of queries for 2 events or registrations as
for 20: templates never query, views fetch related rows in one go."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from placements import services
from placements.models import SupportEventDocument
from portal import roles
from tests.conftest import make_user
from tests.partnerships.factories import pdf_file

from .factories import ExpertProfileFactory, SupportEventFactory
from .helpers import logged_in

FEW, MANY = 2, 20


@pytest.fixture
def expert(erin):
    ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)
    return erin


@pytest.fixture
def event(db):
    return SupportEventFactory(title="Exchange on waste management", capacity=FEW + 1)


def add_events(cast, count):
    """Events, each with a document, Erin registered for every other one."""
    for number in range(count):
        event = SupportEventFactory()
        SupportEventDocument.objects.create(
            event=event, file=pdf_file(), original_name="a.pdf", content_type="x", size=1
        )
        if number % 2:
            services.register_for_event(event=event, user=cast["expert"])


def add_registrations(cast, count):
    """Experts registering (the later ones on the waiting list), and documents."""
    event = cast["event"]
    for _ in range(count):
        user = make_user(f"expert-{cast['next']}@example.org", role=roles.EXPERT)
        cast["next"] += 1
        ExpertProfileFactory(user=user, email=user.email)
        services.register_for_event(event=event, user=user, note="A note")
        SupportEventDocument.objects.create(
            event=event, file=pdf_file(), original_name="b.pdf", content_type="x", size=1
        )


PAGES = [
    pytest.param(lambda cast: reverse("placements:event-list"), add_events, 15, id="event-list"),
    pytest.param(
        lambda cast: reverse("placements:event-detail", args=[cast["event"].pk]),
        add_registrations,
        18,
        id="event-detail",
    ),
]


def count_queries(browser, path):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["expert", "sam"])
@pytest.mark.parametrize(("path_of", "add_rows", "most"), PAGES)
def test_an_events_page_costs_the_same_queries_for_few_and_many_rows(
    request, expert, event, viewer, path_of, add_rows, most
):
    cast = {"expert": expert, "event": event, "next": 0}
    browser = logged_in(request.getfixturevalue(viewer))
    path = path_of(cast)
    add_rows(cast, FEW)
    browser.get(path)  # the first request of a session writes its start time

    few = count_queries(browser, path)
    add_rows(cast, MANY - FEW)
    many = count_queries(browser, path)

    assert few == many
    assert many <= most
