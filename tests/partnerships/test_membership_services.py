"""The partnerships app's writes about who belongs to a commune: asking to join and the decision on
the request, and invitations (the stored digest of their link, accepting one once, expiry,
resending, and which account may accept it)."""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.models import Invitation, MembershipRequest
from portal import links, roles
from tests.conftest import make_user

from .factories import invitation_path
from .helpers import PREFIX, recipients

# Joining a commune


@pytest.fixture
def carla(db):
    return make_user("carla@example.org", name="Carla Conrad")


def test_a_membership_request_confirmed_by_staff_makes_the_user_a_member_and_an_applicant(
    carla, german, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        membership_request = services.request_membership(
            user=carla, commune=german, function="Climate officer"
        )
    assert recipients(mailoutbox) == ["alice@example.org"]
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_membership_request(membership_request=membership_request, by=sam)

    membership_request.refresh_from_db()
    assert membership_request.status == MembershipRequest.Status.CONFIRMED
    assert membership_request.decided_by == sam
    assert services.is_member(carla, german)
    assert carla.commune_memberships.get().function == "Climate officer"
    assert carla.groups.filter(name=roles.APPLICANT).exists()
    assert recipients(mailoutbox) == ["carla@example.org"]
    assert mailoutbox[0].subject == PREFIX + "You are now a member of Leipzig"


def test_a_member_of_the_commune_can_confirm_a_colleague(carla, german, alice):
    membership_request = services.request_membership(
        user=carla, commune=german, function="Climate officer"
    )

    services.confirm_membership_request(membership_request=membership_request, by=alice)

    assert services.is_member(carla, german)


@pytest.mark.parametrize("decider", ["bob", "pierre"])
def test_someone_outside_the_commune_cannot_confirm_a_membership_request(
    request, carla, german, partner, other, decider, mailoutbox, django_capture_on_commit_callbacks
):
    membership_request = services.request_membership(
        user=carla, commune=german, function="Climate officer"
    )

    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        services.confirm_membership_request(
            membership_request=membership_request, by=request.getfixturevalue(decider)
        )

    membership_request.refresh_from_db()
    assert membership_request.status == MembershipRequest.Status.PENDING
    assert not services.is_member(carla, german)
    assert mailoutbox == []


def test_a_second_request_for_the_same_commune_is_refused_while_the_first_waits(carla, german):
    services.request_membership(user=carla, commune=german, function="Climate officer")

    with pytest.raises(ValidationError) as refused:
        services.request_membership(user=carla, commune=german, function="Climate officer")

    assert refused.value.code == "pending"
    assert MembershipRequest.objects.filter(user=carla).count() == 1


def test_a_refused_request_leaves_the_user_outside_the_commune(
    carla, german, alice, mailoutbox, django_capture_on_commit_callbacks
):
    membership_request = services.request_membership(
        user=carla, commune=german, function="Climate officer"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_membership_request(membership_request=membership_request, by=alice)

    membership_request.refresh_from_db()
    assert membership_request.status == MembershipRequest.Status.REFUSED
    assert not services.is_member(carla, german)
    assert recipients(mailoutbox) == ["carla@example.org"]
    with pytest.raises(ValidationError) as refused:
        services.confirm_membership_request(membership_request=membership_request, by=alice)
    assert refused.value.code == "decided"


# Invitations


def test_a_member_of_the_german_commune_can_invite_a_colleague_of_the_partner_commune(
    alice, partner, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            commune=partner, email="paul@example.org", name="Paul", language="fr", by=alice
        )

    assert invitation.commune == partner
    assert invitation.is_usable
    assert recipients(mailoutbox) == ["paul@example.org"]
    assert mailoutbox[0].subject.startswith(PREFIX + "Invitation à rejoindre Kpalimé")
    assert invitation_path(invitation) in mailoutbox[0].body
    assert services.invitation_to_accept(token=token_of(invitation)) == invitation


def test_an_applicant_of_an_unrelated_commune_cannot_invite_to_a_commune(
    bob, other, partner, partnership, mailoutbox, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        services.invite(
            commune=partner, email="paul@example.org", name="Paul", language="fr", by=bob
        )

    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_inviting_someone_who_is_already_a_member_is_refused(alice, german, pierre):
    with pytest.raises(ValidationError) as refused:
        services.invite(
            commune=german, email="ALICE@example.org", name="Alice", language="de", by=alice
        )

    assert refused.value.code == "member"


@pytest.fixture
def invitation(alice, partner, partnership):
    return services.invite(
        commune=partner, email="paul@example.org", name="Paul", language="fr", by=alice
    )


@pytest.fixture
def paul(db):
    return make_user("paul@example.org", name="Paul Mensah", language="fr")


def token_of(invitation) -> str:
    return invitation_path(invitation).rstrip("/").rsplit("/", 1)[1]


def test_the_database_keeps_only_a_digest_of_the_invitation_link(invitation):
    token = token_of(invitation)
    invitation.refresh_from_db()

    assert len(invitation.token_digest) == 64
    assert invitation.token_digest not in invitation_path(invitation)
    assert token.split(":")[0] not in invitation.token_digest
    assert not Invitation.objects.filter(token_digest=token).exists()
    assert services.invitation_to_accept(token=invitation.token_digest) is None


def test_the_invited_person_joins_the_commune_with_the_invitation(invitation, paul, partner):
    found = services.invitation_to_accept(token=token_of(invitation))
    membership = services.accept_invitation(invitation=found, user=paul)

    assert membership.commune == partner
    assert services.is_member(paul, partner)
    assert paul.groups.filter(name=roles.APPLICANT).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == paul
    assert not invitation.is_usable


def test_an_invitation_works_only_once(invitation, paul):
    services.accept_invitation(invitation=invitation, user=paul)
    found = services.invitation_to_accept(token=token_of(invitation))

    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=found, user=paul)

    assert refused.value.code == "unusable"


def test_an_expired_invitation_is_refused(invitation, paul, partner):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=invitation, user=paul)

    assert refused.value.code == "unusable"
    assert not services.is_member(paul, partner)


def test_an_invitation_link_older_than_14_days_has_expired(invitation, monkeypatch):
    token = token_of(invitation)
    later = time.time() + timedelta(days=14, minutes=1).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with pytest.raises(ValidationError) as refused:
        services.invitation_to_accept(token=token)

    assert refused.value.code == "expired"
    assert "This link has expired." in refused.value.messages[0]


def test_resending_an_invitation_makes_the_old_link_useless(invitation, alice):
    old = token_of(invitation)

    services.resend_invitation(invitation=invitation, by=alice)

    assert token_of(invitation) != old
    assert services.invitation_to_accept(token=old) is None
    assert services.invitation_to_accept(token=token_of(invitation)) == invitation


@pytest.mark.parametrize("token", ["", "made-up", "abc:def:ghi"])
def test_an_unknown_or_forged_link_finds_no_invitation(invitation, token):
    assert services.invitation_to_accept(token=token) is None


def test_a_claim_link_does_not_open_an_invitation(invitation):
    signed, _digest = links.make_link("experts.claim")
    Invitation.objects.filter(pk=invitation.pk).update(token_digest=_digest)

    assert services.invitation_to_accept(token=signed) is None


def test_an_invitation_is_refused_to_an_account_with_another_email_address(
    invitation, bob, partner
):
    invitation.refresh_from_db()
    before = Invitation.objects.values().get(pk=invitation.pk)

    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=invitation, user=bob)

    assert refused.value.code == "wrong_email"
    assert "This link was sent to another email address" in refused.value.messages[0]
    assert "bob@example.org" in refused.value.messages[0]
    assert not services.is_member(bob, partner)
    assert Invitation.objects.values().get(pk=invitation.pk) == before
    invitation.refresh_from_db()
    assert invitation.is_usable


def test_an_invitation_is_refused_to_an_account_that_only_claims_the_address_unverified(
    invitation, bob, partner
):
    EmailAddress.objects.create(user=bob, email="paul@example.org", verified=False)

    with pytest.raises(ValidationError) as refused:
        services.accept_invitation(invitation=invitation, user=bob)

    assert refused.value.code == "wrong_email"
    assert not services.is_member(bob, partner)


def test_an_invitation_is_accepted_with_a_verified_second_address_of_the_account(
    invitation, bob, partner
):
    EmailAddress.objects.create(user=bob, email="Paul@Example.org", verified=True)

    services.accept_invitation(invitation=invitation, user=bob)

    assert services.is_member(bob, partner)
