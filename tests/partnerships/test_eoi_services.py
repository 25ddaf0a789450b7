"""The partnerships app's writes on an expression of interest while it is written: starting it,
saving its steps (revisions, a partner's newer version), comments and attachments."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partnerships import services
from partnerships.models import Attachment, EOIEvent, ExpressionOfInterest

from .factories import CommuneFactory, PartnershipFactory, pdf_file
from .helpers import Status, recipients, save, submit

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
