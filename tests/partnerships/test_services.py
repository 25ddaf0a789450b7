"""The writes of the partnerships app: joining a commune, invitations, and an expression of
interest from the first draft through confirmation by both communes to submission, changes and
withdrawal."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from partnerships import services
from partnerships.forms import FORMS
from partnerships.models import (
    Attachment,
    Comment,
    Confirmation,
    EOIEvent,
    ExpressionOfInterest,
    Invitation,
    MembershipRequest,
)
from placements import workflow
from placements.models import Case
from portal import links, roles
from tests.conftest import make_user

from .factories import CommuneFactory, PartnershipFactory, invitation_path, pdf_file, step_data

Status = ExpressionOfInterest.Status
PREFIX = "[Experts for Partners] "


def save(eoi, user, step="project", *, seen_revision=None, **changes):
    """Save one step as ``user`` would from a page opened at ``seen_revision`` (default: now)."""
    eoi = ExpressionOfInterest.objects.get(pk=eoi.pk)
    form = FORMS[step](step_data(eoi, step, user=user, **changes), instance=eoi, user=user)
    assert form.is_valid(), form.errors
    return services.save_step(
        eoi=eoi,
        user=user,
        form=form,
        seen_revision=eoi.revision if seen_revision is None else seen_revision,
    )


def submit(eoi, alice, pierre):
    services.confirm(eoi=eoi, user=alice, commune=eoi.initiating_commune)
    partner = eoi.host_communes.get()
    assert services.confirm(eoi=eoi, user=pierre, commune=partner)
    eoi.refresh_from_db()


def send_back(eoi, sam, message="How is the site financed?"):
    """Programme staff ask for more information the way the portal does once a case is open."""
    workflow.transition(case=eoi.case, name="request_information", by=sam, reason=message)
    eoi.refresh_from_db()


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


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


# Starting and editing an expression of interest


def test_starting_an_eoi_preselects_the_only_partnership_and_its_partner_as_host(
    alice, german, partner, partnership
):
    eoi = services.start_expression_of_interest(user=alice, commune=german)

    assert eoi.status == Status.DRAFT
    assert eoi.initiating_commune == german
    assert list(eoi.partnerships.all()) == [partnership]
    assert list(eoi.host_communes.all()) == [partner]
    assert list(eoi.events.values_list("kind", "actor")) == [(EOIEvent.Kind.CREATED, alice.pk)]


def test_the_partner_commune_can_start_an_eoi_and_is_its_host(pierre, partner, partnership):
    eoi = services.start_expression_of_interest(user=pierre, commune=partner)

    assert list(eoi.partnerships.all()) == [partnership]
    assert list(eoi.host_communes.all()) == [partner]


def test_with_two_partnerships_the_communes_choose_themselves(alice, german, partnership):
    PartnershipFactory(german_commune=german, partner=CommuneFactory(name="Dschang", abroad=True))

    eoi = services.start_expression_of_interest(user=alice, commune=german)

    assert not eoi.partnerships.exists()
    assert not eoi.host_communes.exists()


def test_only_a_member_can_start_an_eoi_for_a_commune(bob, other, german):
    with pytest.raises(PermissionDenied):
        services.start_expression_of_interest(user=bob, commune=german)

    assert not ExpressionOfInterest.objects.exists()


def test_saving_a_step_keeps_the_typed_text_and_raises_the_revision(complete_eoi, alice):
    changed = save(complete_eoi, alice, objectives="Collection in every district by 2029.")

    complete_eoi.refresh_from_db()
    assert changed
    assert complete_eoi.objectives == "Collection in every district by 2029."
    assert complete_eoi.revision == 2
    assert list(complete_eoi.events.values_list("kind", flat=True)) == [EOIEvent.Kind.EDITED]


def test_saving_a_step_without_change_saves_nothing(complete_eoi, alice):
    assert not save(complete_eoi, alice)

    complete_eoi.refresh_from_db()
    assert complete_eoi.revision == 1
    assert not complete_eoi.events.exists()


def test_saving_over_a_newer_revision_of_the_partner_is_refused_and_saves_nothing(
    complete_eoi, alice, pierre
):
    opened_at = complete_eoi.revision
    save(complete_eoi, pierre, objectives="Pierre's objectives.")

    with pytest.raises(ValidationError) as refused:
        save(complete_eoi, alice, seen_revision=opened_at, objectives="Alice's objectives.")

    assert refused.value.code == "conflict"
    complete_eoi.refresh_from_db()
    assert complete_eoi.objectives == "Pierre's objectives."
    assert complete_eoi.revision == opened_at + 1


def test_an_applicant_of_another_commune_cannot_save_a_step(complete_eoi, bob, other):
    with pytest.raises(PermissionDenied):
        save(complete_eoi, bob, objectives="Bob's objectives.")

    complete_eoi.refresh_from_db()
    assert complete_eoi.objectives != "Bob's objectives."


# Confirmation and submission


def test_an_incomplete_eoi_cannot_be_confirmed_and_the_missing_fields_are_named(
    alice, german, partnership
):
    eoi = services.start_expression_of_interest(user=alice, commune=german)

    with pytest.raises(ValidationError) as refused:
        services.confirm(eoi=eoi, user=alice, commune=german)

    assert refused.value.code == "incomplete"
    message = refused.value.messages[0]
    assert "short title" in message
    assert "the problem and the needs" in message
    assert "we agree that the programme processes the data in this form" in message
    assert not Confirmation.objects.exists()


def test_confirmation_by_one_side_waits_for_the_other_and_tells_it_in_its_language(
    complete_eoi, alice, german, pierre, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.confirm(eoi=complete_eoi, user=alice, commune=german)

    complete_eoi.refresh_from_db()
    assert not submitted
    assert complete_eoi.status == Status.DRAFT
    assert services.confirmed_communes(complete_eoi) == {german.pk}
    assert recipients(mailoutbox) == ["pierre@example.org"]
    english = PREFIX + "Leipzig has confirmed “Waste management in Kpalimé”"
    assert mailoutbox[0].subject != english
    # French typography: the quotation marks hold the title with non-breaking spaces.
    assert mailoutbox[0].subject == (
        PREFIX + "Leipzig a confirmé «\N{NO-BREAK SPACE}Waste management in Kpalimé"
        "\N{NO-BREAK SPACE}»"
    )


def test_confirmation_by_both_sides_submits_the_eoi_to_the_programme(
    complete_eoi,
    alice,
    german,
    pierre,
    partner,
    sam,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    services.confirm(eoi=complete_eoi, user=alice, commune=german)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.confirm(eoi=complete_eoi, user=pierre, commune=partner)

    complete_eoi.refresh_from_db()
    assert submitted
    assert complete_eoi.status == Status.SUBMITTED
    assert complete_eoi.submitted_at is not None
    assert complete_eoi.privacy_notice_version == services.PRIVACY_NOTICE_VERSION
    version = complete_eoi.versions.get()
    assert version.number == 1
    assert version.content["title"] == "Waste management in Kpalimé"
    assert version.content["host_communes"] == ["Kpalimé (TG)"]
    assert version.content["duration_months"] == 24
    assert list(complete_eoi.events.values_list("kind", "actor")) == [
        (EOIEvent.Kind.CONFIRMED, alice.pk),
        (EOIEvent.Kind.CONFIRMED, pierre.pk),
        (EOIEvent.Kind.SUBMITTED, pierre.pk),
    ]
    assert recipients(mailoutbox) == ["alice@example.org", "pierre@example.org", "sam@example.org"]
    staff_email = next(m for m in mailoutbox if m.to == ["sam@example.org"])
    assert staff_email.subject == PREFIX + "New expression of interest: Waste management in Kpalimé"


def test_a_version_is_kept_in_the_same_words_whatever_the_language_of_who_confirms_last(
    complete_eoi, alice, german, pierre, partner
):
    services.confirm(eoi=complete_eoi, user=alice, commune=german)

    with translation.override("fr"):
        services.confirm(eoi=complete_eoi, user=pierre, commune=partner)

    content = complete_eoi.versions.get().content
    assert content["themes"] == ["Waste management and circular economy"]
    assert content["preferred_deployment_types"] == ["Integrated expert"]


def test_a_member_cannot_confirm_for_a_commune_of_which_they_are_not_a_member(
    complete_eoi, alice, partner
):
    with pytest.raises(PermissionDenied):
        services.confirm(eoi=complete_eoi, user=alice, commune=partner)

    assert not Confirmation.objects.exists()


def test_an_edit_after_one_side_confirmed_needs_a_new_confirmation_by_both(
    complete_eoi, alice, german, pierre, partner
):
    services.confirm(eoi=complete_eoi, user=alice, commune=german)
    save(complete_eoi, pierre, objectives="Pierre's objectives.")

    complete_eoi.refresh_from_db()
    assert services.confirmed_communes(complete_eoi) == set()
    assert not services.confirm(eoi=complete_eoi, user=pierre, commune=partner)
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.DRAFT

    assert services.confirm(eoi=complete_eoi, user=alice, commune=german)

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED
    assert complete_eoi.versions.get().content["objectives"] == "Pierre's objectives."


def test_a_submitted_eoi_can_no_longer_be_confirmed(complete_eoi, alice, german, pierre):
    submit(complete_eoi, alice, pierre)

    with pytest.raises(ValidationError):
        services.confirm(eoi=complete_eoi, user=alice, commune=german)

    assert complete_eoi.versions.count() == 1


# Changes requested by the programme


def test_staff_send_a_submitted_eoi_back_with_a_message_to_both_communes(
    complete_eoi, alice, pierre, sam, mailoutbox, django_capture_on_commit_callbacks
):
    submit(complete_eoi, alice, pierre)

    with django_capture_on_commit_callbacks(execute=True):
        send_back(complete_eoi, sam)

    assert complete_eoi.case.state == Case.State.INFO_REQUESTED
    assert complete_eoi.status == Status.CHANGES_REQUESTED
    assert complete_eoi.is_editable
    comment = Comment.objects.get()
    assert comment.from_programme
    assert comment.author == sam
    assert comment.body == "How is the site financed?"
    event = complete_eoi.events.last()
    assert (event.kind, event.from_status, event.to_status) == (
        EOIEvent.Kind.CHANGES_REQUESTED,
        Status.SUBMITTED,
        Status.CHANGES_REQUESTED,
    )
    assert recipients(mailoutbox) == ["alice@example.org", "pierre@example.org"]


def test_after_changes_both_confirm_again_and_a_second_version_is_kept_beside_the_first(
    complete_eoi, alice, pierre, sam
):
    submit(complete_eoi, alice, pierre)
    first = complete_eoi.versions.get().content
    send_back(complete_eoi, sam)

    save(complete_eoi, alice, objectives="Collection in every district; fees cover the costs.")
    submit(complete_eoi, alice, pierre)

    assert complete_eoi.status == Status.SUBMITTED
    assert Case.objects.get(eoi=complete_eoi).state == Case.State.SUBMITTED
    versions = list(complete_eoi.versions.all())
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content == first
    assert versions[0].content["objectives"] == "Collection in every district within two years."
    assert versions[1].content["objectives"] == (
        "Collection in every district; fees cover the costs."
    )


def test_after_changes_the_confirmations_of_the_first_submission_no_longer_count(
    complete_eoi, alice, german, pierre, partner, sam
):
    submit(complete_eoi, alice, pierre)
    send_back(complete_eoi, sam)

    assert services.confirmed_communes(complete_eoi) == set()
    # The communes may answer without changing the form; both confirm again all the same.
    assert not services.confirm(eoi=complete_eoi, user=pierre, commune=partner)
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.CHANGES_REQUESTED
    assert services.confirm(eoi=complete_eoi, user=alice, commune=german)
    assert complete_eoi.versions.count() == 2


def test_only_programme_staff_can_send_an_eoi_back(complete_eoi, alice, pierre):
    submit(complete_eoi, alice, pierre)

    with pytest.raises(PermissionDenied):
        services.request_changes(eoi=complete_eoi, by=alice, message="Please add more.")

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED
    assert not Comment.objects.exists()


def test_a_draft_cannot_be_sent_back(complete_eoi, sam):
    with pytest.raises(ValidationError):
        services.request_changes(eoi=complete_eoi, by=sam, message="Please add more.")

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.DRAFT


def test_staff_must_say_what_is_missing_when_sending_an_eoi_back(complete_eoi, alice, pierre, sam):
    submit(complete_eoi, alice, pierre)

    with pytest.raises(ValidationError) as refused:
        services.request_changes(eoi=complete_eoi, by=sam, message="   ")

    assert refused.value.code == "required"
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED


# Withdrawal


def test_the_communes_can_withdraw_a_submitted_eoi_and_everyone_else_is_told(
    complete_eoi, alice, pierre, sam, mailoutbox, django_capture_on_commit_callbacks
):
    submit(complete_eoi, alice, pierre)

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(eoi=complete_eoi, user=alice, reason="The council changed its plans.")

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.WITHDRAWN
    event = complete_eoi.events.last()
    assert (event.kind, event.from_status, event.note) == (
        EOIEvent.Kind.WITHDRAWN,
        Status.SUBMITTED,
        "The council changed its plans.",
    )
    assert recipients(mailoutbox) == ["pierre@example.org", "sam@example.org"]


def test_withdrawing_a_submitted_eoi_withdraws_its_case_from_the_programmes_work(
    complete_eoi, alice, pierre
):
    submit(complete_eoi, alice, pierre)

    services.withdraw(eoi=complete_eoi, user=pierre, reason="No longer needed.")

    case = Case.objects.get(eoi=complete_eoi)
    assert case.state == Case.State.WITHDRAWN
    assert case.events.last().reason == "No longer needed."


def test_withdrawing_an_eoi_sent_back_for_information_withdraws_its_case(
    complete_eoi, alice, pierre, sam
):
    submit(complete_eoi, alice, pierre)
    send_back(complete_eoi, sam)

    services.withdraw(eoi=complete_eoi, user=alice)

    assert Case.objects.get(eoi=complete_eoi).state == Case.State.WITHDRAWN


def test_withdrawing_a_draft_tells_the_partner_but_not_the_programme(
    complete_eoi, alice, pierre, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(eoi=complete_eoi, user=alice)

    assert recipients(mailoutbox) == ["pierre@example.org"]


def test_a_decided_eoi_cannot_be_withdrawn(complete_eoi, alice):
    ExpressionOfInterest.objects.filter(pk=complete_eoi.pk).update(status=Status.DECIDED)

    with pytest.raises(ValidationError):
        services.withdraw(eoi=complete_eoi, user=alice)

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.DECIDED


def test_an_applicant_of_another_commune_cannot_withdraw_an_eoi(complete_eoi, bob, other):
    with pytest.raises(PermissionDenied):
        services.withdraw(eoi=complete_eoi, user=bob)

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.DRAFT


# Comments


def test_a_comment_on_a_draft_reaches_the_partner_commune_but_not_the_programme(
    complete_eoi, alice, pierre, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.add_comment(eoi=complete_eoi, author=alice, body="Can you check?")

    assert comment.commune == complete_eoi.initiating_commune
    assert not comment.from_programme
    assert recipients(mailoutbox) == ["pierre@example.org"]


# Attachments


def test_a_pdf_is_attached_under_its_original_name_and_the_revision_rises(complete_eoi, alice):
    attachment = services.add_attachment(
        eoi=complete_eoi, user=alice, file=pdf_file("budget plan.pdf"), description="Budget"
    )

    assert attachment.original_name == "budget plan.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.uploaded_by == alice
    complete_eoi.refresh_from_db()
    assert complete_eoi.revision == 2


def test_a_text_file_named_pdf_is_refused(complete_eoi, alice):
    fake = SimpleUploadedFile("budget.pdf", b"just some text", content_type="application/pdf")

    with pytest.raises(ValidationError) as refused:
        services.add_attachment(eoi=complete_eoi, user=alice, file=fake)

    assert refused.value.code == "type_not_allowed"
    assert not Attachment.objects.exists()


def test_an_eoi_has_at_most_ten_attachments(complete_eoi, alice):
    for number in range(services.MAX_ATTACHMENTS):
        services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file(f"annex {number}.pdf"))

    with pytest.raises(ValidationError) as refused:
        services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file("one too many.pdf"))

    assert refused.value.code == "too_many"
    assert complete_eoi.attachments.count() == services.MAX_ATTACHMENTS


def test_a_submitted_eoi_takes_no_more_attachments(complete_eoi, alice, pierre):
    submit(complete_eoi, alice, pierre)

    with pytest.raises(PermissionDenied):
        services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file())

    assert not Attachment.objects.exists()


def test_a_deleted_attachment_loses_its_file_once_the_deletion_is_committed(
    complete_eoi, alice, pierre, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file())
    path = Path(attachment.file.path)

    with django_capture_on_commit_callbacks() as callbacks:
        services.delete_attachment(attachment=attachment, user=pierre)

    assert not Attachment.objects.exists()
    assert path.read_bytes().startswith(b"%PDF-")
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_an_applicant_of_another_commune_cannot_delete_an_attachment(
    complete_eoi, alice, bob, other
):
    attachment = services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file())

    with pytest.raises(PermissionDenied):
        services.delete_attachment(attachment=attachment, user=bob)

    assert Attachment.objects.filter(pk=attachment.pk).exists()
