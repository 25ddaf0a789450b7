"""The experts app's services: profiles and their completeness, documents and who may open them,
taking over a profile that staff created, and erasure."""

import time
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from experts import services
from experts.models import DocumentAccess, ExpertDocument, ExpertProfile
from experts.selectors import documents_visible_to
from placements.models import Application
from portal import roles
from portal import services as portal_services
from portal.models import OutgoingEmail
from tests.conftest import make_user

from .factories import (
    ExpertProfileFactory,
    LanguageFactory,
    PositionFactory,
    complete,
    mission_for,
    pdf_file,
    png_file,
    shortlist,
    upload,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English."""
    with translation.override("en"):
        yield


def stored(document) -> Path:
    return Path(document.file.path)


# --- Creating a profile ---------------------------------------------------------------------------


def test_creating_a_profile_gives_the_user_the_expert_role(db):
    user = make_user("nora@example.org", name="Nora Neumann")

    profile = services.create_profile(user=user)

    assert profile.user == user
    assert profile.full_name == "Nora Neumann"
    assert profile.email == "nora@example.org"
    assert profile.proposed_by == "self"
    assert user.groups.filter(name=roles.EXPERT).exists()


def test_a_user_cannot_create_a_second_profile(profile, erin):
    with pytest.raises(ValidationError) as caught:
        services.create_profile(user=erin)

    assert caught.value.code == "exists"
    assert ExpertProfile.objects.filter(user=erin).count() == 1


# --- Completeness ---------------------------------------------------------------------------------

ITEMS = [
    "Your nationality",
    "Your country of residence",
    "At least one language",
    "Your areas of expertise",
    "Your years of experience in municipal administration",
    "At least one previous position",
    "When you are available",
    "The deployment models you are open to",
    "Your CV",
    "Your consent to be found for missions",
]


def test_an_empty_profile_is_0_percent_complete_and_lists_all_ten_items(profile):
    assert services.completeness(profile) == (0, ITEMS)


def test_a_complete_profile_is_100_percent_complete(profile):
    complete(profile)

    assert services.completeness(ExpertProfile.objects.with_details().get(pk=profile.pk)) == (
        100,
        [],
    )


def _remove(profile, item):
    if item == ITEMS[0]:
        profile.nationalities = []
    elif item == ITEMS[1]:
        profile.country_of_residence = ""
    elif item == ITEMS[2]:
        profile.languages.all().delete()
    elif item == ITEMS[3]:
        profile.expertise.clear()
    elif item == ITEMS[4]:
        profile.years_municipal_experience = None
    elif item == ITEMS[5]:
        profile.positions.all().delete()
    elif item == ITEMS[6]:
        profile.earliest_availability = None
    elif item == ITEMS[7]:
        profile.open_to_models.clear()
    elif item == ITEMS[8]:
        services.delete_document(document=profile.documents.get())
    elif item == ITEMS[9]:
        profile.consent_to_be_found = False
    profile.save()


@pytest.mark.parametrize("item", ITEMS)
def test_each_missing_item_costs_ten_percent_and_is_named(profile, item):
    complete(profile)
    _remove(profile, item)

    percent, missing = services.completeness(
        ExpertProfile.objects.with_details().get(pk=profile.pk)
    )

    assert (percent, missing) == (90, [item])


def test_certificates_do_not_stand_in_for_the_cv(profile):
    upload(profile, "certificate")

    _percent, missing = services.completeness(profile)

    assert "Your CV" in missing


def test_completeness_of_a_profile_loaded_with_details_costs_no_query(
    profile, django_assert_num_queries
):
    complete(profile)
    loaded = ExpertProfile.objects.with_details().get(pk=profile.pk)

    with django_assert_num_queries(0):
        services.completeness(loaded)


# --- Documents ------------------------------------------------------------------------------------


def test_a_cv_is_stored_under_a_random_name(profile):
    document = upload(profile, "cv", pdf_file("Erin Eriksen CV.pdf"))

    assert document.original_name == "Erin Eriksen CV.pdf"
    assert document.content_type == "application/pdf"
    assert "Erin" not in document.file.name
    assert document.file.name.startswith("experts/")
    assert stored(document).read_bytes().startswith(b"%PDF")


def test_a_cv_must_be_a_pdf(profile):
    with pytest.raises(ValidationError) as caught:
        upload(profile, "cv", png_file("cv.png"))

    assert caught.value.code == "type_not_allowed"
    assert "Accepted file types: .pdf." in caught.value.messages[0]
    assert not profile.documents.exists()


def test_a_certificate_may_be_a_pdf_a_jpeg_or_a_png(profile):
    upload(profile, "certificate", png_file())
    upload(profile, "certificate", pdf_file("diploma.pdf"))

    assert profile.documents.filter(kind="certificate").count() == 2


def test_a_pdf_with_another_extension_is_refused(profile):
    with pytest.raises(ValidationError) as caught:
        upload(profile, "cv", pdf_file("cv.exe"))

    assert caught.value.code == "type_not_allowed"


def test_a_document_of_more_than_5_mb_is_refused(profile):
    big = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024))

    with pytest.raises(ValidationError) as caught:
        upload(profile, "cv", big)

    assert caught.value.code == "too_large"
    assert not profile.documents.exists()


def test_a_profile_has_at_most_ten_certificates(profile):
    for number in range(10):
        upload(profile, "certificate", png_file(f"diploma{number}.png"))

    with pytest.raises(ValidationError) as caught:
        upload(profile, "certificate", png_file("one too many.png"))

    assert caught.value.code == "too_many"
    assert profile.documents.count() == 10


def test_a_new_cv_replaces_the_old_one_whose_file_goes_after_commit(
    profile, django_capture_on_commit_callbacks
):
    old = upload(profile, "cv", pdf_file("old.pdf"))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = upload(profile, "cv", pdf_file("new.pdf"))
    assert stored(old).exists()
    for callback in callbacks:
        callback()

    assert list(profile.documents.all()) == [new]
    assert not stored(old).exists()
    assert stored(new).exists()


def test_a_removed_document_loses_its_file_after_commit(
    profile, django_capture_on_commit_callbacks
):
    document = upload(profile, "certificate")

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_document(document=document)

    assert not profile.documents.exists()
    assert not stored(document).exists()


# --- Who may open which document ------------------------------------------------------------------


def visible(user):
    return set(documents_visible_to(user))


def test_an_expert_sees_their_own_documents_and_nobody_elses(profile, erin, frank):
    cv, certificate = upload(profile, "cv"), upload(profile, "certificate")
    franks = upload(frank.expert_profile, "cv")

    assert visible(erin) == {cv, certificate}
    assert visible(frank) == {franks}


def test_programme_staff_see_every_document(profile, frank, sam):
    documents = {upload(profile, "cv"), upload(frank.expert_profile, "cv")}

    assert visible(sam) == documents


def test_a_member_of_the_host_commune_sees_the_cv_of_a_shortlisted_expert(
    profile, application, pierre
):
    cv = upload(profile, "cv")
    upload(profile, "certificate")

    assert visible(pierre) == {cv}


def test_the_host_commune_may_be_set_on_the_case_rather_than_on_the_request(
    profile, partnership, alice, pierre
):
    shortlist(profile, partnership=partnership, created_by=alice, on_case=True)
    cv = upload(profile, "cv")

    assert visible(pierre) == {cv}


def test_a_selected_expert_stays_visible_to_the_host_commune(profile, partnership, alice, pierre):
    shortlist(profile, partnership=partnership, created_by=alice, status="selected")
    cv = upload(profile, "cv")

    assert visible(pierre) == {cv}


@pytest.mark.parametrize(
    "shortlist_kwargs",
    [
        pytest.param({"shared": False}, id="shortlist-not-sent"),
        pytest.param({"status": Application.Status.APPLIED}, id="only-applied"),
        pytest.param({"status": Application.Status.DECLINED}, id="declined"),
        pytest.param({"shared_fields": ["languages", "motivation"]}, id="cv-not-shared"),
    ],
)
def test_the_host_commune_sees_no_document_without_a_shared_shortlist(
    profile, partnership, alice, pierre, shortlist_kwargs
):
    shortlist(profile, partnership=partnership, created_by=alice, **shortlist_kwargs)
    upload(profile, "cv")

    assert visible(pierre) == set()


def test_the_german_commune_and_other_communes_see_no_document(
    profile, application, alice, bob, other
):
    upload(profile, "cv")

    assert visible(alice) == set()
    assert visible(bob) == set()


def test_opening_a_document_is_logged_whoever_opens_it(profile, application, erin, pierre, sam):
    cv = upload(profile, "cv")

    for user in (erin, pierre, sam):
        with services.open_document(document=cv, user=user) as handle:
            assert handle.read().startswith(b"%PDF")

    rows = DocumentAccess.objects.order_by("pk")
    assert [(r.user, r.expert_id, r.document_id) for r in rows] == [
        (erin, profile.pk, cv.pk),
        (pierre, profile.pk, cv.pk),
        (sam, profile.pk, cv.pk),
    ]
    assert all(row.created_at for row in rows)


# --- Taking over a profile that staff created ---------------------------------------------------


@pytest.fixture
def proposed(db):
    """A profile staff created for an expert CIM proposed."""
    return ExpertProfileFactory(
        full_name="Nora Neumann", email="Nora@Example.org", proposed_by="cim"
    )


def test_an_invitation_emails_a_link_and_stores_only_a_hash_of_it(
    proposed, sam, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = services.invite_to_claim(profile=proposed, by=sam)

    proposed.refresh_from_db()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(proposed.claim_digest) == 64
    assert proposed.claim_digest not in link
    assert token.split(":")[0] not in proposed.claim_digest
    assert not ExpertProfile.objects.filter(claim_digest=token).exists()
    assert [m.to for m in mailoutbox] == [["Nora@Example.org"]]
    assert mailoutbox[0].subject.endswith("Your expert profile on the Experts for Partners portal")
    assert link in mailoutbox[0].body
    assert "Sam Sauer" in mailoutbox[0].body
    assert services.profile_to_claim(token=token) == proposed


def test_the_expert_with_the_invited_address_takes_the_profile_over(proposed, sam):
    link = services.invite_to_claim(profile=proposed, by=sam)
    nora = make_user("nora@example.org", name="Nora Neumann")
    token = link.rstrip("/").rsplit("/", 1)[1]

    services.claim_profile(profile=services.profile_to_claim(token=token), user=nora)

    proposed.refresh_from_db()
    assert proposed.user == nora
    assert proposed.claim_digest == ""
    assert nora.groups.filter(name=roles.EXPERT).exists()
    assert services.profile_to_claim(token=token) is None


def test_a_used_link_cannot_be_used_again(proposed, sam):
    link = services.invite_to_claim(profile=proposed, by=sam)
    nora = make_user("nora@example.org", name="Nora Neumann")
    token = link.rstrip("/").rsplit("/", 1)[1]
    services.claim_profile(profile=services.profile_to_claim(token=token), user=nora)
    proposed.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        services.claim_profile(profile=proposed, user=nora)

    assert caught.value.code == "used"


def test_an_expert_may_take_the_profile_over_with_a_verified_second_address(proposed, sam):
    services.invite_to_claim(profile=proposed, by=sam)
    nora = make_user("nora.private@example.org")
    EmailAddress.objects.create(user=nora, email="nora@example.org", verified=True)

    services.claim_profile(profile=proposed, user=nora)

    assert ExpertProfile.objects.get(pk=proposed.pk).user == nora


def test_an_account_with_another_address_cannot_take_the_profile_over(proposed, sam, frank):
    services.invite_to_claim(profile=proposed, by=sam)
    intruder = make_user("intruder@example.org")

    with pytest.raises(ValidationError) as caught:
        services.claim_profile(profile=proposed, user=intruder)

    assert caught.value.code == "wrong_email"
    assert "This link was sent to another email address" in caught.value.messages[0]
    assert ExpertProfile.objects.get(pk=proposed.pk).user is None
    assert ExpertProfile.objects.get(pk=proposed.pk).claim_digest


def test_an_account_that_has_a_profile_cannot_take_over_a_second_one(sam, erin, profile):
    proposed = ExpertProfileFactory(email=erin.email)
    services.invite_to_claim(profile=proposed, by=sam)

    with pytest.raises(ValidationError) as caught:
        services.claim_profile(profile=proposed, user=erin)

    assert caught.value.code == "has_profile"


def test_a_new_invitation_makes_the_earlier_link_useless(proposed, sam):
    first = services.invite_to_claim(profile=proposed, by=sam)
    services.invite_to_claim(profile=proposed, by=sam)

    assert services.profile_to_claim(token=first.rstrip("/").rsplit("/", 1)[1]) is None


def test_a_link_older_than_30_days_has_expired(proposed, sam, monkeypatch):
    link = services.invite_to_claim(profile=proposed, by=sam)
    later = time.time() + timedelta(days=31).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with pytest.raises(ValidationError) as caught:
        services.profile_to_claim(token=link.rstrip("/").rsplit("/", 1)[1])

    assert caught.value.code == "expired"
    assert "This link has expired." in caught.value.messages[0]


@pytest.mark.parametrize("token", ["", "made-up", "abc:def:ghi"])
def test_an_unknown_or_forged_token_finds_no_profile(proposed, token):
    assert services.profile_to_claim(token=token) is None


def test_the_stored_digest_is_no_link(proposed, sam):
    services.invite_to_claim(profile=proposed, by=sam)
    proposed.refresh_from_db()

    assert services.profile_to_claim(token=proposed.claim_digest) is None


def test_a_profile_without_an_email_address_cannot_be_invited(sam):
    proposed = ExpertProfileFactory(email="")

    with pytest.raises(ValidationError) as caught:
        services.invite_to_claim(profile=proposed, by=sam)

    assert caught.value.code == "no_email"


def test_a_profile_that_has_an_account_cannot_be_invited(profile, sam):
    with pytest.raises(ValidationError) as caught:
        services.invite_to_claim(profile=profile, by=sam)

    assert caught.value.code == "claimed"


# --- Erasure --------------------------------------------------------------------------------------


def fill(profile):
    complete(profile)
    LanguageFactory(expert=profile, language="es")
    PositionFactory(expert=profile, employer="Stadt Halle")
    certificate = upload(profile, "certificate")
    profile.keywords = "composting, GIS"
    profile.preferred_regions = "West Africa"
    profile.save()
    return [certificate, *profile.documents.filter(kind="cv")]


def test_erasing_an_expert_without_missions_deletes_the_profile_and_its_files(
    profile, django_capture_on_commit_callbacks
):
    documents = fill(profile)
    upload(profile, "certificate")
    pk = profile.pk

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_expert(profile=profile)

    assert not ExpertProfile.objects.filter(pk=pk).exists()
    assert not ExpertProfile.history.filter(id=pk).exists()
    assert not ExpertDocument.objects.filter(expert_id=pk).exists()
    assert not any(stored(d).exists() for d in documents)


def test_erasing_an_expert_with_a_mission_anonymises_the_profile(
    profile, erin, partnership, alice, django_capture_on_commit_callbacks
):
    documents = fill(profile)
    application = shortlist(profile, partnership=partnership, created_by=alice)
    mission = mission_for(profile, partnership=partnership, created_by=alice)

    with django_capture_on_commit_callbacks(execute=True):
        services.erase_expert(profile=profile)

    profile.refresh_from_db()
    assert profile.full_name == f"Anonymised expert #{profile.pk}"
    assert profile.email == ""
    assert [c.code for c in profile.nationalities] == ["DE"]
    assert profile.user is None
    assert profile.anonymised_at is not None
    assert profile.keywords == profile.preferred_regions == ""
    assert not profile.consent_to_be_found
    assert not profile.languages.exists()
    assert not profile.positions.exists()
    assert not profile.documents.exists()
    assert not profile.expertise.exists()
    assert not any(stored(d).exists() for d in documents)
    mission.refresh_from_db()
    assert mission.expert == profile
    application.refresh_from_db()
    assert (application.motivation, application.profile_snapshot) == ("", {})
    assert {h.full_name for h in profile.history.all()} == {profile.full_name}
    assert not profile.history.filter(email="erin@example.org").exists()


def test_files_stay_when_the_erasure_is_rolled_back(profile, django_capture_on_commit_callbacks):
    cv = upload(profile, "cv")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.erase_expert(profile=profile)

    # Nothing committed (the test's transaction is rolled back): the callbacks never run (the
    # files' deletion; others forget what pages keep in the cache).
    assert [callback.__name__ for callback in callbacks].count("delete_files") == 1
    assert stored(cv).exists()


def test_an_expert_erasing_their_account_loses_profile_and_account(
    profile, erin, django_capture_on_commit_callbacks
):
    OutgoingEmail.objects.create(recipient=erin.email, subject="Hello", body="Dear Erin")

    with django_capture_on_commit_callbacks(execute=True):
        portal_services.erase_user(user=erin)

    erin.refresh_from_db()
    assert not ExpertProfile.objects.filter(pk=profile.pk).exists()
    assert erin.email == f"erased-{erin.pk}@invalid"
    assert not erin.is_active
    assert not erin.groups.exists()
    assert not OutgoingEmail.objects.filter(body__contains="Erin").exists()


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_holds_the_profile_its_rows_applications_and_the_account(
    profile, erin, application
):
    fill(profile)

    data = portal_services.export_personal_data(user=erin)

    assert data["account"]["email"] == "erin@example.org"
    expert = data["expert_profile"]
    assert expert["full_name"] == "Erin Eriksen"
    assert expert["nationalities"] == ["DE"]
    assert expert["keywords"] == "composting, GIS"
    assert {lang["language"] for lang in expert["languages"]} == {"fr", "es"}
    assert {p["employer"] for p in expert["positions"]} >= {"Stadt Halle"}
    assert {d["kind"] for d in expert["documents"]} == {"cv", "certificate"}
    assert "file" not in expert["documents"][0]
    assert expert["applications"] == [
        {
            "vacancy": "Waste management adviser in Kpalimé",
            "status": "shortlisted",
            "status_label": "Shortlisted",
            "motivation": application.motivation,
            "profile_when_applying": {},
            "applied_at": application.created_at.isoformat(),
            "updated_at": application.updated_at.isoformat(),
        }
    ]


def test_the_export_of_a_user_without_profile_holds_the_account_only(alice):
    data = portal_services.export_personal_data(user=alice)

    assert data["expert_profile"] is None
    assert data["account"]["email"] == "alice@example.org"
