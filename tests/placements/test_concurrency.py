"""Two staff members acting on the same case at the same moment, each in a thread of their own and
so over a database connection of their own: the row lock makes them take turns, the second finds
the case changed and is refused, and the timeline holds one event.

Only PostgreSQL has the row locks this is about (SQLite locks the whole database), so the tests
skip elsewhere; CI runs them on PostgreSQL, where a skip counts as a failure."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from catalogue.reference import load_reference_data
from placements import workflow
from placements.models import Case, CaseEvent

from .factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)
S = Case.State
TIMEOUT = 10  # seconds; the tests take well under one


@pytest.fixture(autouse=True)
def postgresql_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")


@pytest.fixture(autouse=True)
def reference_data(postgresql_only):
    """Transactional tests empty the database after them, reference data of the data migration
    included: bring it back (the loader leaves rows that are there alone)."""
    load_reference_data()


class Worker(threading.Thread):
    """Runs ``work`` in a thread, with its own database connection, and keeps what it returned
    or raised."""

    def __init__(self, work):
        super().__init__(daemon=True)
        self.work = work
        self.result = self.error = self.backend_pid = None
        self.connected = threading.Event()

    def run(self):
        try:
            connection.ensure_connection()
            self.backend_pid = connection.connection.info.backend_pid
            self.connected.set()
            self.result = self.work()
        except Exception as error:
            # Handed to the test, which checks it.
            self.error = error
        finally:
            connection.close()


def wait_until_blocked(waiter, holder):
    """Return once ``waiter``'s connection waits for a lock held by ``holder``'s; asked from this
    thread's own connection."""
    assert waiter.connected.wait(TIMEOUT) and holder.connected.wait(TIMEOUT)
    deadline = time.monotonic() + TIMEOUT
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT %s = ANY(pg_blocking_pids(%s))", [holder.backend_pid, waiter.backend_pid]
            )
            if cursor.fetchone()[0]:
                return
    pytest.fail("The second transition never waited for the row lock.")


def attempt(case, name, user):
    return workflow.transition(
        case=case,
        name=name,
        by=user,
        reason="No partnership agreement." if name == "decline" else "",
        expected_state=S.SUBMITTED,
    )


TARGET = {"start_eligibility_check": S.ELIGIBILITY_CHECK, "decline": S.DECLINED}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("start_eligibility_check", "start_eligibility_check"),
        ("decline", "start_eligibility_check"),
        ("start_eligibility_check", "decline"),
    ],
)
def test_of_two_staff_acting_on_a_case_at_once_the_second_is_told_it_has_changed(
    first, second, partnership, sam, sven
):
    case = CaseFactory(partnership=partnership)
    both_ready = threading.Barrier(2, timeout=TIMEOUT)
    first_holds_the_lock = threading.Event()
    second_is_waiting = threading.Event()

    def act_first():
        both_ready.wait()
        with transaction.atomic():
            # Sam opens the case a moment earlier: his transaction holds the row until it ends.
            Case.objects.select_for_update().get(pk=case.pk)
            first_holds_the_lock.set()
            if not second_is_waiting.wait(TIMEOUT):
                raise RuntimeError("Sven's transition never started.")
            return attempt(case, first, sam)

    def act_second():
        both_ready.wait()
        if not first_holds_the_lock.wait(TIMEOUT):
            raise RuntimeError("Sam never took the row lock.")
        return attempt(case, second, sven)

    sams, svens = Worker(act_first), Worker(act_second)
    sams.start()
    svens.start()
    wait_until_blocked(svens, sams)
    second_is_waiting.set()
    sams.join(TIMEOUT)
    svens.join(TIMEOUT)

    assert not sams.is_alive() and not svens.is_alive()
    assert sams.error is None
    assert sams.result.state == TARGET[first]
    assert isinstance(svens.error, ValidationError)
    assert svens.error.code == "stale"
    label = TARGET[first].label
    assert svens.error.messages == [
        f"Someone else has just changed this case: it is now “{label}”. Nothing was done; "
        "please look at it again."
    ]
    case = Case.objects.get(pk=case.pk)
    assert (case.state, case.stage) == (TARGET[first], Case.STAGE_OF[TARGET[first]])
    events = list(CaseEvent.objects.filter(case=case).exclude(transition="submit"))
    assert [(e.transition, e.actor, e.from_state, e.to_state) for e in events] == [
        (first, sam, S.SUBMITTED, TARGET[first])
    ]


def test_two_staff_starting_the_same_check_at_the_same_moment_cannot_both_succeed(
    partnership, sam, sven
):
    case = CaseFactory(partnership=partnership)
    at_once = threading.Barrier(2, timeout=TIMEOUT)

    def act(user):
        def work():
            at_once.wait()
            return attempt(case, "start_eligibility_check", user)

        return work

    workers = [Worker(act(sam)), Worker(act(sven))]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)

    assert not any(worker.is_alive() for worker in workers)
    succeeded = [worker for worker in workers if worker.error is None]
    refused = [worker for worker in workers if worker.error is not None]
    assert len(succeeded) == len(refused) == 1
    error = refused[0].error
    assert isinstance(error, ValidationError)
    assert error.code in ("stale", "invalid_transition")
    assert error.messages == [
        "Someone else has just changed this case: it is now “Eligibility check”. Nothing was "
        "done; please look at it again."
    ]
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.ELIGIBILITY_CHECK
    assert CaseEvent.objects.filter(case=case, transition="start_eligibility_check").count() == 1
