"""The partnerships app's writes on the way of an expression of interest to the programme:
confirmation by both communes and submission, the versions kept, changes requested by the
programme, and withdrawal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from partnerships import services
from partnerships.models import Comment, Confirmation, EOIEvent, ExpressionOfInterest
from placements.models import Case

from .helpers import PREFIX, Status, recipients, save, send_back, submit

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
