"""The expert's documents and data: uploading a CV and certificates (what is refused and why),
removing and downloading them, and exporting the profile as JSON and PDF."""

import json
import subprocess

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from experts.models import DocumentAccess

from .factories import PositionFactory, complete, pdf_file, png_file, upload
from .helpers import PROFILE, field_errors, german

# --- Uploads --------------------------------------------------------------------------------------


def upload_url(kind):
    return reverse("experts:document-upload", args=[kind])


def test_the_expert_uploads_a_cv(client, profile, erin):
    client.force_login(erin)

    response = client.post(upload_url("cv"), {"cv-file": pdf_file("Lebenslauf.pdf")})

    assert response.status_code == 302
    assert response["Location"] == PROFILE + "#documents"
    document = profile.documents.get()
    assert (document.kind, document.original_name) == ("cv", "Lebenslauf.pdf")
    assert "Lebenslauf" in client.get(PROFILE).content.decode()


def test_a_cv_that_is_not_a_pdf_is_refused_next_to_the_field(client, profile, erin):
    client.force_login(erin)

    response = client.post(upload_url("cv"), {"cv-file": png_file("cv.png")})

    page = response.content.decode()
    assert response.status_code == 400
    assert "This type of file is not accepted. Accepted file types: .pdf." in field_errors(
        page, "cv-file"
    )
    assert not profile.documents.exists()


def test_a_text_file_claiming_to_be_a_pdf_is_refused(client, profile, erin):
    client.force_login(erin)
    fake = SimpleUploadedFile("cv.pdf", b"just text", content_type="application/pdf")

    response = client.post(upload_url("cv"), {"cv-file": fake})

    assert response.status_code == 400
    assert not profile.documents.exists()


def test_a_document_over_5_mb_is_refused_in_german(client, profile, erin):
    german(client).force_login(erin)
    big = SimpleUploadedFile("zeugnis.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))

    response = client.post(upload_url("certificate"), {"certificate-file": big})

    assert response.status_code == 400
    error = field_errors(response.content.decode(), "certificate-file")
    assert "5,0" in error and "MB" in error
    assert not profile.documents.exists()


def test_a_certificate_may_be_a_png(client, profile, erin):
    client.force_login(erin)

    response = client.post(upload_url("certificate"), {"certificate-file": png_file()})

    assert response.status_code == 302
    assert profile.documents.get().content_type == "image/png"


def test_an_unknown_kind_of_document_is_not_found(client, profile, erin):
    client.force_login(erin)

    assert client.post(upload_url("passport"), {"passport-file": pdf_file()}).status_code == 404


def test_the_eleventh_certificate_is_refused(client, profile, erin):
    for number in range(10):
        upload(profile, "certificate", png_file(f"d{number}.png"))
    client.force_login(erin)

    response = client.post(upload_url("certificate"), {"certificate-file": png_file()})

    assert response.status_code == 400
    assert "at most 10 certificates" in response.content.decode()


def test_the_expert_removes_a_document(client, profile, erin, django_capture_on_commit_callbacks):
    document = upload(profile, "certificate")
    client.force_login(erin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("experts:document-delete", args=[document.pk]))

    assert response.status_code == 302
    assert not profile.documents.exists()


# --- Downloads ------------------------------------------------------------------------------------


def test_a_download_is_an_attachment_that_browsers_must_not_sniff_and_is_logged(
    client, profile, erin
):
    cv = upload(profile, "cv", pdf_file("Erin CV.pdf"))
    client.force_login(erin)

    response = client.get(cv.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Erin CV.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    access = DocumentAccess.objects.get()
    assert (access.user, access.expert, access.document) == (erin, profile, cv)


def test_a_document_whose_file_is_gone_is_not_found(client, profile, erin):
    cv = upload(profile, "cv")
    cv.file.storage.delete(cv.file.name)
    client.force_login(erin)

    assert client.get(cv.get_absolute_url()).status_code == 404
    assert not DocumentAccess.objects.exists()


# --- Export ---------------------------------------------------------------------------------------


def test_the_json_export_holds_the_profile_and_the_account(client, profile, erin, application):
    complete(profile)
    client.force_login(erin)

    response = client.get(reverse("experts:export-json"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my-expert-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "erin@example.org"
    assert data["expert_profile"]["full_name"] == "Erin Eriksen"
    assert data["expert_profile"]["applications"][0]["status"] == "shortlisted"
    assert data["expert_profile"]["documents"][0]["file_name"] == "cv.pdf"


def test_the_pdf_export_is_a_pdf_with_the_experts_name(client, profile, erin, tmp_path):
    complete(profile)
    PositionFactory(expert=profile, employer="Stadt Görlitz")
    client.force_login(erin)

    response = client.get(reverse("experts:profile-pdf", args=[profile.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "profile.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Erin Eriksen" in text
    assert "Stadt Görlitz" in text
    assert "French" in text


def test_the_pdf_is_in_the_experts_language(client, profile, erin, tmp_path):
    complete(profile)
    german(client).force_login(erin)

    response = client.get(reverse("experts:profile-pdf", args=[profile.pk]))

    path = tmp_path / "profile.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Französisch" in text
