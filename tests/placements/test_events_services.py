"""Support events' services: a place or the waiting list, cancelling and moving up, who may
register. Erin and Frank are experts, Alice is a member of Leipzig, Pierre of Kpalimé, Bob of
no commune; Sam runs the events."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from placements import selectors, services
from placements.models import EventRegistration, SupportEvent
from portal import roles
from tests.conftest import make_user

from .factories import ExpertProfileFactory, SupportEventFactory
from .helpers import PREFIX

R = EventRegistration.Status


@pytest.fixture
def expert(erin):
    ExpertProfileFactory(user=erin, full_name="Erin Eriksen", email=erin.email)
    return erin


@pytest.fixture
def frank(db):
    user = make_user("frank@example.org", role=roles.EXPERT, name="Frank Fischer")
    ExpertProfileFactory(user=user, full_name="Frank Fischer", email=user.email)
    return user


@pytest.fixture
def gabi(db):
    user = make_user("gabi@example.org", role=roles.EXPERT, name="Gabi Gruber", language="de")
    ExpertProfileFactory(user=user, full_name="Gabi Gruber", email=user.email)
    return user


def statuses(event):
    return {r.user.email: r.status for r in EventRegistration.objects.filter(event=event)}


def test_an_expert_takes_a_place_while_there_are_places(expert):
    event = SupportEventFactory(capacity=2)
    registration = services.register_for_event(event=event, user=expert, note=" Step-free ")
    assert (registration.status, registration.note) == (R.REGISTERED, "Step-free")


def test_a_full_event_puts_the_next_person_on_the_waiting_list(expert, frank, gabi):
    event = SupportEventFactory(capacity=1)
    services.register_for_event(event=event, user=expert)
    second = services.register_for_event(event=event, user=frank)
    third = services.register_for_event(event=event, user=gabi)
    assert second.status == third.status == R.WAITING
    assert list(event.registrations.waiting_list()) == [second, third]


def test_registering_twice_keeps_one_registration(expert):
    event = SupportEventFactory()
    first = services.register_for_event(event=event, user=expert)
    assert services.register_for_event(event=event, user=expert) == first
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_cancelling_moves_the_first_person_waiting_up_and_emails_them(
    expert, frank, gabi, mailoutbox, django_capture_on_commit_callbacks
):
    event = SupportEventFactory(capacity=1, title="Coaching: the first hundred days")
    place = services.register_for_event(event=event, user=expert)
    services.register_for_event(event=event, user=gabi)
    services.register_for_event(event=event, user=frank)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=place, user=expert)
    assert statuses(event) == {
        "erin@example.org": R.CANCELLED,
        "gabi@example.org": R.REGISTERED,
        "frank@example.org": R.WAITING,
    }
    assert [m.to for m in mailoutbox] == [["gabi@example.org"]]
    # Gabi reads German: the email is in her language.
    assert mailoutbox[0].subject == (
        PREFIX + "Ein Platz ist für Sie frei: Coaching: the first hundred days"
    )
    assert event.get_absolute_url() in mailoutbox[0].body


def test_leaving_the_waiting_list_moves_nobody_up(expert, frank, mailoutbox):
    event = SupportEventFactory(capacity=1)
    services.register_for_event(event=event, user=expert)
    waiting = services.register_for_event(event=event, user=frank)
    services.cancel_registration(registration=waiting, user=frank)
    assert statuses(event) == {"erin@example.org": R.REGISTERED, "frank@example.org": R.CANCELLED}
    assert mailoutbox == []


def test_cancelling_twice_is_harmless(expert, frank, gabi, django_capture_on_commit_callbacks):
    event = SupportEventFactory(capacity=1)
    place = services.register_for_event(event=event, user=expert)
    services.register_for_event(event=event, user=frank)
    services.register_for_event(event=event, user=gabi)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=place, user=expert)
        services.cancel_registration(registration=place, user=expert)
    # Frank moved up once; Gabi still waits.
    assert statuses(event) == {
        "erin@example.org": R.CANCELLED,
        "frank@example.org": R.REGISTERED,
        "gabi@example.org": R.WAITING,
    }


def test_a_cancelled_person_may_register_again_at_the_end_of_the_queue(expert, frank):
    event = SupportEventFactory(capacity=1)
    place = services.register_for_event(event=event, user=expert)
    services.register_for_event(event=event, user=frank)
    services.cancel_registration(registration=place, user=expert)
    again = services.register_for_event(event=event, user=expert)
    assert again.pk != place.pk and again.status == R.WAITING


def test_nobody_cancels_someone_elses_registration(expert, frank):
    event = SupportEventFactory()
    place = services.register_for_event(event=event, user=expert)
    with pytest.raises(PermissionDenied):
        services.cancel_registration(registration=place, user=frank)
    place.refresh_from_db()
    assert place.status == R.REGISTERED


def test_adding_places_moves_those_waiting_up(expert, frank, gabi):
    event = SupportEventFactory(capacity=1)
    for user in (expert, frank, gabi):
        services.register_for_event(event=event, user=user)
    SupportEvent.objects.filter(pk=event.pk).update(capacity=2)
    moved = services.fill_from_waiting_list(event=event)
    assert [r.user for r in moved] == [frank]
    assert statuses(event)["gabi@example.org"] == R.WAITING


# --- Who may register ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("audience", "expert_may", "member_may"),
    [
        (SupportEvent.Audience.EXPERTS, True, False),
        (SupportEvent.Audience.COMMUNES, False, True),
        (SupportEvent.Audience.BOTH, True, True),
    ],
)
def test_the_audience_decides_who_may_register(
    expert, alice, german, audience, expert_may, member_may
):
    event = SupportEventFactory(audience=audience)
    for user, allowed in ((expert, expert_may), (alice, member_may)):
        if allowed:
            assert services.register_for_event(event=event, user=user).status == R.REGISTERED
        else:
            with pytest.raises(ValidationError) as refused:
                services.register_for_event(event=event, user=user)
            assert refused.value.code == "audience"
            assert not EventRegistration.objects.filter(event=event, user=user).exists()


def test_someone_neither_expert_nor_commune_member_may_not_register(bob):
    event = SupportEventFactory()
    with pytest.raises(ValidationError, match="experts and members of a commune"):
        services.register_for_event(event=event, user=bob)


def test_an_expert_role_without_a_profile_is_not_enough(erin):
    event = SupportEventFactory(audience=SupportEvent.Audience.EXPERTS)
    with pytest.raises(ValidationError, match="experts with an expert profile"):
        services.register_for_event(event=event, user=erin)


def test_staff_do_not_register(sam):
    with pytest.raises(ValidationError, match="Programme staff do not register"):
        services.register_for_event(event=SupportEventFactory(), user=sam)


def test_an_unpublished_event_refuses_registrations(expert):
    event = SupportEventFactory(published=False)
    with pytest.raises(ValidationError) as refused:
        services.register_for_event(event=event, user=expert)
    assert refused.value.code == "closed"
    assert not EventRegistration.objects.exists()


def test_an_event_that_has_begun_refuses_registrations_and_cancellations(expert):
    event = SupportEventFactory()
    place = services.register_for_event(event=event, user=expert)
    SupportEvent.objects.filter(pk=event.pk).update(
        start=timezone.now() - timedelta(hours=1), end=timezone.now() + timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="already begun"):
        services.cancel_registration(registration=place, user=expert)
    place.refresh_from_db()
    assert place.status == R.REGISTERED


# --- What the mission page reads -----------------------------------------------------------------


def test_support_received_lists_events_attended_or_booked_but_not_waiting_or_cancelled(
    expert, frank
):
    profile = expert.expert_profile
    past = SupportEventFactory(
        start=timezone.now() - timedelta(days=30), end=timezone.now() - timedelta(days=29)
    )
    EventRegistration.objects.create(event=past, user=expert, attended=True)
    booked = SupportEventFactory(capacity=1)
    services.register_for_event(event=booked, user=expert)
    full = SupportEventFactory(capacity=1)
    services.register_for_event(event=full, user=frank)
    services.register_for_event(event=full, user=expert)
    dropped = SupportEventFactory()
    services.cancel_registration(
        registration=services.register_for_event(event=dropped, user=expert), user=expert
    )
    assert list(selectors.support_received_by(profile)) == [past, booked]
    assert list(selectors.support_received_by(frank.expert_profile)) == [full]
