"""The pages around an expression of interest: attachments, messages between the communes, changes
requested by the programme through the case workflow, comparing versions and withdrawing."""

import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partnerships import services
from partnerships.models import Attachment, ExpressionOfInterest, RequiredLanguage
from portal import roles
from tests.conftest import make_user

from .factories import PDF_BYTES, pdf_file, step_data
from .helpers import Status, field_error, send_back, step_url, submit, text

# Attachments


def test_a_pdf_uploaded_on_the_contributions_step_is_listed_and_both_communes_can_download_it(
    alice_client, pierre_client, complete_eoi
):
    response = alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"file": pdf_file("budget-plan.pdf"), "description": "Budget"},
    )

    assert response.status_code == 302
    assert response["Location"] == step_url(complete_eoi, "contributions") + "#attachments"
    attachment = Attachment.objects.get()
    page = text(alice_client.get(step_url(complete_eoi, "contributions")))
    assert f'<a href="{attachment.get_absolute_url()}">budget-plan.pdf</a>' in page
    for browser in (alice_client, pierre_client):
        download = browser.get(attachment.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="budget-plan.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert b"".join(download.streaming_content) == PDF_BYTES


def test_an_uploaded_file_is_stored_under_a_random_name_out_of_reach_of_public_urls(
    alice_client, complete_eoi, media_root
):
    alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"file": pdf_file("budget-plan.pdf")},
    )

    attachment = Attachment.objects.get()
    assert re.fullmatch(r"eoi/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.file.name)
    path = Path(attachment.file.path)
    assert path.read_bytes() == PDF_BYTES
    assert path.is_relative_to(media_root)
    for folder in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]:
        if folder:
            assert not path.is_relative_to(folder)
    anonymous = Client()
    for prefix in {settings.MEDIA_URL or "/media/", "/media/", settings.STATIC_URL, "/"}:
        assert anonymous.get(prefix + attachment.file.name).status_code == 404
        assert alice_client.get(prefix + attachment.file.name).status_code == 404


def test_an_upload_that_is_not_what_its_name_says_is_refused_with_a_message(
    alice_client, complete_eoi
):
    fake = SimpleUploadedFile("budget.pdf", b"just some text", content_type="application/pdf")

    response = alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"file": fake},
        follow=True,
    )

    assert "This type of file is not accepted." in text(response)
    assert not Attachment.objects.exists()


def test_an_upload_without_a_file_says_which_field_is_missing_and_keeps_nothing(
    alice_client, complete_eoi
):
    response = alice_client.post(
        reverse("partnerships:attachment-upload", args=[complete_eoi.pk]),
        {"description": "Budget"},
        follow=True,
    )

    assert "Add a file: This field is required." in text(response)
    assert not Attachment.objects.exists()


def test_removing_an_attachment_takes_it_off_the_list(
    alice, alice_client, complete_eoi, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(eoi=complete_eoi, user=alice, file=pdf_file())
    path = Path(attachment.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("partnerships:attachment-delete", args=[complete_eoi.pk, attachment.pk])
        )

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert "No file yet." in text(alice_client.get(step_url(complete_eoi, "contributions")))


# Messages, changes requested, versions, withdrawal


def test_a_message_of_one_commune_is_read_by_the_other(
    alice_client, pierre_client, complete_eoi, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("partnerships:eoi-comment", args=[complete_eoi.pk]),
            {"body": "Could you check the budget, Pierre?"},
        )

    assert response.status_code == 302
    assert response["Location"] == complete_eoi.get_absolute_url() + "#messages"
    page = text(pierre_client.get(complete_eoi.get_absolute_url()))
    assert "Could you check the budget, Pierre?" in page
    assert "Alice Albrecht" in page
    assert [m.to for m in mailoutbox] == [["pierre@example.org"]]


def test_an_empty_message_is_refused_with_the_form_shown_again(alice_client, complete_eoi):
    response = alice_client.post(
        reverse("partnerships:eoi-comment", args=[complete_eoi.pk]), {"body": ""}
    )

    assert response.status_code == 400
    assert field_error(response, "body", "This field is required.")
    assert not complete_eoi.comments.exists()


def test_only_staff_see_and_use_the_form_to_ask_for_more_information(
    alice, alice_client, pierre, german, partner, client_of, sam, complete_eoi
):
    submit(complete_eoi, alice, pierre, german, partner)
    sam_client = client_of(sam)
    url = request_information_url(complete_eoi)

    assert "Send back to the communes" in text(sam_client.get(complete_eoi.get_absolute_url()))
    assert "Send back to the communes" not in text(
        alice_client.get(complete_eoi.get_absolute_url())
    )
    assert alice_client.post(url, {"message": "Please add more."}).status_code == 404
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED

    response = sam_client.post(url, {"message": "How is the site financed after 2029?"})

    assert response.status_code == 302
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.CHANGES_REQUESTED
    page = text(alice_client.get(complete_eoi.get_absolute_url()))
    assert "How is the site financed after 2029?" in page
    assert "More information requested" in page
    assert "Send back to the communes" not in text(sam_client.get(complete_eoi.get_absolute_url()))


def changed_rows(response):
    """The labels of the rows that the comparison marks as changed."""
    rows = re.findall(r'<tr class="table-warning"><th scope="row">(.*?) <span', text(response))
    return rows


def test_the_comparison_shows_what_changed_between_two_submitted_versions(
    alice, alice_client, pierre_client, german, partner, sam, complete_eoi
):
    RequiredLanguage.objects.create(eoi=complete_eoi, language="fr", level="B2")
    confirm = reverse("partnerships:eoi-confirm", args=[complete_eoi.pk])
    # Pierre reads the portal in French and confirms last the first time, alice the second.
    alice_client.post(confirm, {"commune": german.pk, "final": "on"})
    pierre_client.post(confirm, {"commune": partner.pk, "final": "on"})
    send_back(complete_eoi, sam)
    data = step_data(complete_eoi, "project", user=alice, objectives="Fees cover the costs.")
    alice_client.post(step_url(complete_eoi, "project"), {**data, "save_draft": ""})
    pierre_client.post(confirm, {"commune": partner.pk, "final": "on"})
    alice_client.post(confirm, {"commune": german.pk, "final": "on"})
    assert complete_eoi.versions.count() == 2

    response = alice_client.get(reverse("partnerships:eoi-compare", args=[complete_eoi.pk]))

    assert response.status_code == 200
    assert changed_rows(response) == ["Objectives"]
    page = text(response)
    assert "Collection in every district within two years." in page
    assert "Fees cover the costs." in page
    assert "Compare versions" in text(alice_client.get(complete_eoi.get_absolute_url()))
    french = pierre_client.get(reverse("partnerships:eoi-compare", args=[complete_eoi.pk]))
    assert french.status_code == 200
    assert len(changed_rows(french)) == 1


def test_an_eoi_with_a_single_version_has_nothing_to_compare_with_itself(
    alice, alice_client, pierre, german, partner, complete_eoi
):
    submit(complete_eoi, alice, pierre, german, partner)

    response = alice_client.get(reverse("partnerships:eoi-compare", args=[complete_eoi.pk]))

    assert response.status_code == 200
    assert changed_rows(response) == []


def test_a_commune_withdraws_its_eoi_with_a_reason(
    alice_client, complete_eoi, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("partnerships:eoi-withdraw", args=[complete_eoi.pk])
    assert alice_client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"reason": "The council changed its plans."})

    assert response.status_code == 302
    assert response["Location"] == complete_eoi.get_absolute_url()
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.WITHDRAWN
    page = text(alice_client.get(complete_eoi.get_absolute_url()))
    assert "Your communes have withdrawn this request." in page
    assert "The council changed its plans." in page
    assert reverse("partnerships:eoi-withdraw", args=[complete_eoi.pk]) not in page
    assert [m.to for m in mailoutbox] == [["pierre@example.org"]]


def test_a_decided_eoi_cannot_be_withdrawn_and_the_page_says_why(alice_client, complete_eoi):
    ExpressionOfInterest.objects.filter(pk=complete_eoi.pk).update(status=Status.DECIDED)

    response = alice_client.post(
        reverse("partnerships:eoi-withdraw", args=[complete_eoi.pk]), {"reason": ""}
    )

    assert response.status_code == 400
    assert "This expression of interest can no longer be withdrawn." in text(response)
    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.DECIDED


def request_information_url(eoi):
    return reverse("placements:request-information", args=[eoi.case.pk])


def test_a_request_for_information_goes_through_the_case_workflow_only(
    alice, pierre, german, partner, client_of, sam, complete_eoi
):
    """The workflow lets only SKEW ask for information, and only on a case in a state that
    allows it; no way around it when the case is missing (e.g. an EOI submitted before cases
    existed), nor for GIZ staff, whose role may edit expressions of interest in the admin."""
    submit(complete_eoi, alice, pierre, german, partner)
    giz = make_user("gustav@example.org", role=roles.GIZ, staff=True, mfa=True)
    url = request_information_url(complete_eoi)

    client_of(giz).post(url, {"message": "More, please."})
    complete_eoi.case.delete()
    complete_eoi = type(complete_eoi).objects.get(pk=complete_eoi.pk)
    for who in (giz, sam):
        client_of(who).post(url, {"message": "More, please."})

    complete_eoi.refresh_from_db()
    assert complete_eoi.status == Status.SUBMITTED
    assert not complete_eoi.comments.exists()
    assert not complete_eoi.events.filter(kind="changes_requested").exists()
