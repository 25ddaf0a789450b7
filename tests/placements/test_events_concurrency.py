"""Many people taking the last places of an event at the same moment, each in a thread of their
own and so over a database connection of their own: the event's row lock makes them take turns,
and the event never holds more people than it has places.

Only PostgreSQL has the row locks this is about (SQLite locks the whole database), so the tests
skip elsewhere; CI runs them on PostgreSQL, where a skip counts as a failure."""

import threading

import pytest
from django.db import connection

from catalogue.reference import load_reference_data
from placements import services
from placements.models import EventRegistration
from portal import roles
from tests.conftest import make_user

from .factories import ExpertProfileFactory, SupportEventFactory
from .test_concurrency import TIMEOUT, Worker

pytestmark = pytest.mark.django_db(transaction=True)
R = EventRegistration.Status


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


@pytest.fixture(autouse=True)
def reference_data(postgresql_only):
    load_reference_data()


def experts(count):
    users = []
    for number in range(count):
        user = make_user(f"expert{number}@example.org", role=roles.EXPERT)
        ExpertProfileFactory(user=user, email=user.email)
        users.append(user)
    return users


def run_at_once(works):
    at_once = threading.Barrier(len(works), timeout=TIMEOUT)

    def starting_together(work):
        def run():
            at_once.wait()
            return work()

        return run

    workers = [Worker(starting_together(work)) for work in works]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)
    assert not any(worker.is_alive() for worker in workers)
    assert [worker.error for worker in workers] == [None] * len(workers)
    return [worker.result for worker in workers]


def test_people_registering_at_the_same_moment_never_exceed_the_places():
    event = SupportEventFactory(capacity=2)
    people = experts(6)

    results = run_at_once(
        [lambda user=user: services.register_for_event(event=event, user=user) for user in people]
    )

    assert sorted(r.status for r in results) == [R.REGISTERED] * 2 + [R.WAITING] * 4
    assert EventRegistration.objects.filter(event=event, status=R.REGISTERED).count() == 2
    assert EventRegistration.objects.filter(event=event, status=R.WAITING).count() == 4


def test_a_cancellation_and_a_registration_at_once_give_the_place_to_the_first_waiting():
    event = SupportEventFactory(capacity=1)
    erin, frank, gabi = experts(3)
    place = services.register_for_event(event=event, user=erin)
    services.register_for_event(event=event, user=frank)

    run_at_once(
        [
            lambda: services.cancel_registration(registration=place, user=erin),
            lambda: services.register_for_event(event=event, user=gabi),
        ]
    )

    statuses = dict(
        EventRegistration.objects.filter(event=event).values_list("user__email", "status")
    )
    assert statuses == {
        erin.email: R.CANCELLED,
        frank.email: R.REGISTERED,
        gabi.email: R.WAITING,
    }
