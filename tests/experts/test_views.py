"""The expert's pages: creating and editing the profile (in German too), uploads, downloads,
export, erasure, taking over a profile, and the dashboard card."""

import json
import re
import subprocess
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from catalogue.models import DeploymentType, Theme
from experts import services
from experts.forms import ExpertProfileForm, LanguageFormSet, PositionFormSet
from experts.models import DocumentAccess, ExpertProfile, Position
from portal import roles
from tests.conftest import PASSWORD, make_user

from .factories import (
    ExpertProfileFactory,
    LanguageFactory,
    PositionFactory,
    complete,
    mission_for,
    pdf_file,
    png_file,
    upload,
)

PROFILE = reverse("experts:profile")


def form_data(profile, **changes):
    """What the profile page sends as it shows ``profile`` now, with ``changes`` typed in."""
    data = {
        "full_name": profile.full_name,
        "nationalities": [c.code for c in profile.nationalities],
        "country_of_residence": profile.country_of_residence.code or "",
        "years_municipal_experience": profile.years_municipal_experience or "",
        "earliest_availability": "",
        "preferred_regions": profile.preferred_regions,
        "regions_worked_in": profile.regions_worked_in,
        "countries_worked_in": [c.code for c in profile.countries_worked_in],
        "keywords": profile.keywords,
        "expertise": [str(t.pk) for t in profile.expertise.all()],
        "open_to_models": [str(m.pk) for m in profile.open_to_models.all()],
        "languages-TOTAL_FORMS": "0",
        "languages-INITIAL_FORMS": "0",
        "languages-MIN_NUM_FORMS": "0",
        "languages-MAX_NUM_FORMS": "20",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "positions-MIN_NUM_FORMS": "0",
        "positions-MAX_NUM_FORMS": "30",
    }
    if profile.consent_to_be_found:
        data["consent_to_be_found"] = "on"
    data.update(changes)
    return data


def with_rows(data, prefix, rows):
    """Add new rows to a formset of the page."""
    data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    for number, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{number}-{name}"] = value
    return data


def german(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return client


def field_errors(page: str, name: str) -> str:
    """The error text shown under the field ``name`` (crispy's invalid-feedback)."""
    match = re.search(rf'<p id="error_\d+_id_{re.escape(name)}"><strong>(.*?)</strong>', page)
    return match.group(1) if match else ""


# --- Creating a profile ---------------------------------------------------------------------------


def test_a_registered_user_creates_their_expert_profile(client, db):
    nora = make_user("nora@example.org", name="Nora Neumann")
    client.force_login(nora)

    start = client.get(PROFILE)
    assert "Create my expert profile" in start.content.decode()
    response = client.post(reverse("experts:profile-create"))

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    profile = ExpertProfile.objects.get(user=nora)
    assert profile.full_name == "Nora Neumann"
    assert nora.groups.filter(name=roles.EXPERT).exists()
    page = client.get(PROFILE).content.decode()
    assert 'value="Nora Neumann"' in page
    assert "0% complete" in page


def test_creating_a_profile_twice_keeps_the_first(client, profile, erin):
    client.force_login(erin)

    response = client.post(reverse("experts:profile-create"))

    assert response.status_code == 302
    assert ExpertProfile.objects.filter(user=erin).count() == 1


def test_profile_creation_only_by_post(client, erin):
    client.force_login(erin)

    assert client.get(reverse("experts:profile-create")).status_code == 405


# --- Editing --------------------------------------------------------------------------------------


def test_the_expert_saves_the_whole_profile_with_languages_and_positions(client, profile, erin):
    client.force_login(erin)
    waste = Theme.objects.get(code=Theme.Code.WASTE)
    integrated = DeploymentType.objects.get(code=DeploymentType.Code.INTEGRATED)
    data = form_data(
        profile,
        nationalities=["DE", "FR"],
        country_of_residence="DE",
        years_municipal_experience="12",
        earliest_availability="2027-09-01",
        preferred_regions="West Africa",
        countries_worked_in=["TG", "GH"],
        expertise=[str(waste.pk)],
        open_to_models=[str(integrated.pk)],
        keywords="composting, GIS",
        consent_to_be_found="on",
    )
    with_rows(data, "languages", [{"language": "fr", "level": "C1"}, {"language": "", "level": ""}])
    with_rows(
        data,
        "positions",
        [
            {
                "employer": "Stadt Leipzig",
                "country": "DE",
                "role": "Head of waste services",
                "start": "2012-01-01",
                "end": "2024-06-30",
            }
        ],
    )

    response = client.post(PROFILE, data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    profile.refresh_from_db()
    assert [c.code for c in profile.nationalities] == ["FR", "DE"] or [
        c.code for c in profile.nationalities
    ] == ["DE", "FR"]
    assert profile.years_municipal_experience == 12
    assert str(profile.earliest_availability) == "2027-09-01"
    assert list(profile.expertise.all()) == [waste]
    assert list(profile.open_to_models.all()) == [integrated]
    assert [(lang.language, lang.level) for lang in profile.languages.all()] == [("fr", "C1")]
    assert [p.employer for p in profile.positions.all()] == ["Stadt Leipzig"]
    assert "Your profile has been saved." in client.get(PROFILE).content.decode()


def test_errors_show_next_to_the_fields_in_german_and_what_was_typed_stays(client, profile, erin):
    german(client).force_login(erin)
    data = form_data(
        profile,
        full_name="",
        keywords="Kompostierung, GIS",
        earliest_availability="bald",
        preferred_regions="Westafrika",
    )
    with_rows(data, "languages", [{"language": "fr", "level": ""}])
    with_rows(
        data,
        "positions",
        [
            {
                "employer": "Stadt Leipzig",
                "country": "DE",
                "role": "Leiterin Abfallwirtschaft",
                "start": "2020-01-01",
                "end": "2019-12-31",
            }
        ],
    )

    response = client.post(PROFILE, data)

    page = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="de">' in page
    assert field_errors(page, "full_name") == "Dieses Feld ist zwingend erforderlich."
    assert field_errors(page, "earliest_availability") == "Bitte ein gültiges Datum eingeben."
    assert field_errors(page, "languages-0-level") == "Dieses Feld ist zwingend erforderlich."
    with translation.override("de"):
        before_start = gettext("The end date must be on or after the start date.")
    assert before_start != "The end date must be on or after the start date."
    assert field_errors(page, "positions-0-end") == before_start
    assert response.context["positions"].forms[0].has_error("end", code="before_start")
    # What was typed is still there.
    assert 'value="Kompostierung, GIS"' in page
    assert 'value="bald"' in page
    assert 'value="Westafrika"' in page
    assert 'value="Stadt Leipzig"' in page
    assert 'value="Leiterin Abfallwirtschaft"' in page
    assert re.search(r'<option value="fr" selected>', page)
    # Nothing was saved.
    profile.refresh_from_db()
    assert profile.full_name == "Erin Eriksen"
    assert not profile.languages.exists()
    assert not Position.objects.filter(expert=profile).exists()


def test_a_position_that_ends_before_it_starts_is_refused_with_a_clear_error(client, profile, erin):
    client.force_login(erin)
    data = with_rows(
        form_data(profile),
        "positions",
        [
            {
                "employer": "Stadt Leipzig",
                "country": "DE",
                "role": "Engineer",
                "start": "2020-01-01",
                "end": "2019-12-31",
            }
        ],
    )

    page = client.post(PROFILE, data).content.decode()

    assert field_errors(page, "positions-0-end") == (
        "The end date must be on or after the start date."
    )


def test_a_language_given_twice_is_refused(client, profile, erin):
    client.force_login(erin)
    data = with_rows(
        form_data(profile),
        "languages",
        [{"language": "fr", "level": "C1"}, {"language": "fr", "level": "B2"}],
    )

    response = client.post(PROFILE, data)

    assert response.status_code == 400
    assert "duplicate" in " ".join(response.context["languages"].non_form_errors()).lower()
    assert not profile.languages.exists()


def test_existing_rows_can_be_changed_and_removed(client, profile, erin):
    french = LanguageFactory(expert=profile, language="fr", level="B1")
    spanish = LanguageFactory(expert=profile, language="es", level="A2")
    client.force_login(erin)
    data = form_data(profile)
    data.update(
        {
            "languages-TOTAL_FORMS": "2",
            "languages-INITIAL_FORMS": "2",
            "languages-0-id": str(french.pk),
            "languages-0-language": "fr",
            "languages-0-level": "C1",
            "languages-1-id": str(spanish.pk),
            "languages-1-language": "es",
            "languages-1-level": "A2",
            "languages-1-DELETE": "on",
        }
    )

    assert client.post(PROFILE, data).status_code == 302

    assert [(lang.language, lang.level) for lang in profile.languages.all()] == [("fr", "C1")]


def test_an_expert_cannot_edit_another_experts_rows(client, profile, erin, frank):
    franks = LanguageFactory(expert=frank.expert_profile, language="de")
    client.force_login(erin)
    data = form_data(profile)
    data.update(
        {
            "languages-TOTAL_FORMS": "1",
            "languages-INITIAL_FORMS": "1",
            "languages-0-id": str(franks.pk),
            "languages-0-language": "de",
            "languages-0-level": "A1",
        }
    )

    client.post(PROFILE, data)

    franks.refresh_from_db()
    assert (franks.expert, franks.level) == (frank.expert_profile, "C1")
    assert not profile.languages.exists()


def test_a_save_that_fails_halfway_leaves_the_profile_as_it_was(profile, monkeypatch):

    data = with_rows(
        form_data(profile, full_name="Erin E."), "languages", [{"language": "fr", "level": "C1"}]
    )
    form = ExpertProfileForm(data, instance=profile)
    languages = LanguageFormSet(data, instance=profile, prefix="languages")
    positions = PositionFormSet(data, instance=profile, prefix="positions")
    assert form.is_valid() and languages.is_valid() and positions.is_valid()

    def broken(self, commit=True):
        raise RuntimeError("disk full")

    monkeypatch.setattr(PositionFormSet, "save", broken)
    with pytest.raises(RuntimeError):
        services.save_profile(profile=profile, form=form, languages=languages, positions=positions)

    stored = ExpertProfile.objects.get(pk=profile.pk)
    assert stored.full_name == "Erin Eriksen"
    assert not stored.languages.exists()


def test_the_page_shows_completeness_and_what_is_missing(client, profile, erin):
    client.force_login(erin)

    page = client.get(PROFILE).content.decode()

    assert "0% complete" in page
    assert "Your CV" in page
    assert "At least one previous position" in page


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


# --- Erasure --------------------------------------------------------------------------------------

ERASE = reverse("experts:erase")


def test_erasing_needs_the_password(client, profile, erin):
    client.force_login(erin)

    response = client.post(ERASE, {"password": "wrong", "confirm": "on"})

    assert response.status_code == 200
    assert "This password is not correct." in response.content.decode()
    assert ExpertProfile.objects.filter(pk=profile.pk).exists()


def test_an_expert_erases_profile_and_account_and_is_logged_out(
    client, profile, erin, django_capture_on_commit_callbacks
):
    cv = upload(profile, "cv")
    client.force_login(erin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ERASE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not ExpertProfile.objects.filter(pk=profile.pk).exists()
    assert not cv.file.storage.exists(cv.file.name)
    erin.refresh_from_db()
    assert not erin.is_active
    assert client.get("/dashboard/").status_code == 302


def test_the_erase_page_says_when_the_profile_is_kept_anonymised(
    client, profile, erin, partnership, alice
):

    mission_for(profile, partnership=partnership, created_by=alice)
    client.force_login(erin)

    page = client.get(ERASE).content.decode()

    assert "You have taken part in missions of the programme." in page


# --- Taking over a profile ------------------------------------------------------------------------


@pytest.fixture
def invitation(sam):
    """A profile staff created for Nora, and the link she was sent."""
    proposed = ExpertProfileFactory(full_name="Nora Neumann", email="nora@example.org")
    link = services.invite_to_claim(profile=proposed, by=sam)
    return proposed, link.removeprefix(settings.SITE_URL)


def test_the_invited_expert_takes_over_the_profile(client, invitation):
    proposed, path = invitation
    nora = make_user("nora@example.org", name="Nora N.")
    client.force_login(nora)

    page = client.get(path)
    assert page.status_code == 200
    assert "Link the profile to my account" in page.content.decode()
    response = client.post(path)

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    proposed.refresh_from_db()
    assert proposed.user == nora
    assert nora.groups.filter(name=roles.EXPERT).exists()
    assert client.get(path).status_code == 404


def test_someone_else_opening_the_link_is_told_why_it_does_not_work(client, invitation, bob):
    proposed, path = invitation
    client.force_login(bob)

    page = client.get(path).content.decode()
    response = client.post(path)

    assert "This link was sent to another email address" in page
    assert "Link the profile to my account" not in page
    assert response.status_code == 400
    assert ExpertProfile.objects.get(pk=proposed.pk).user is None


def test_the_link_asks_to_log_in_first(client, invitation):
    _proposed, path = invitation

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_unknown_link_is_not_found(client, bob):
    client.force_login(bob)

    assert client.get(reverse("experts:claim", args=["not-a-token"])).status_code == 404


def test_a_tampered_link_is_not_found(client, invitation):
    _proposed, path = invitation
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = ("A" if token[0] != "A" else "B") + token[1:]
    client.force_login(make_user("nora@example.org"))

    assert client.get(reverse("experts:claim", args=[tampered])).status_code == 404


def test_an_expired_link_says_so(client, invitation, monkeypatch):
    _proposed, path = invitation
    later = time.time() + timedelta(days=31).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)
    client.force_login(make_user("nora@example.org"))

    response = client.get(path)

    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()


def test_a_new_invitation_makes_the_old_link_not_found(client, invitation, sam):
    proposed, path = invitation
    services.invite_to_claim(profile=proposed, by=sam)
    client.force_login(make_user("nora@example.org"))

    assert client.get(path).status_code == 404


# --- Dashboard ------------------------------------------------------------------------------------


def test_the_dashboard_shows_how_complete_the_profile_is(client, profile, erin):
    LanguageFactory(expert=profile)
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert "Your profile is 10% complete." in page
    assert "Your CV" in page
    assert f'href="{PROFILE}"' in page


def test_the_dashboard_offers_an_expert_without_profile_to_create_one(client, erin):
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert "Create my expert profile" in page


def test_the_menu_of_an_expert_leads_to_the_profile(client, profile, erin):
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert f'<a class="nav-link" href="{PROFILE}"' in page


def test_after_a_refused_save_the_completeness_is_that_of_the_saved_profile(client, profile, erin):
    client.force_login(erin)

    page = client.post(
        PROFILE, form_data(profile, full_name="", consent_to_be_found="on", nationalities=["DE"])
    ).content.decode()

    assert "0% complete" in page
    assert "Your consent to be found for missions" in page


def test_a_german_speaker_creates_the_profile_in_german(client, db):
    nora = make_user("nora@example.org", name="Nora Neumann")
    german(client).force_login(nora)

    start = client.get(PROFILE).content.decode()
    client.post(reverse("experts:profile-create"))
    page = client.get(PROFILE).content.decode()

    assert '<html lang="de">' in start
    assert "Ihr Profil als Fachkraft" in start
    assert "Vollständiger Name" in page
    assert ExpertProfile.objects.filter(user=nora).exists()
