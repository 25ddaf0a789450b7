"""The admin of expert profiles: staff create profiles with languages, positions and documents,
invite the experts to take them over, and read the log of who opened which document."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from experts.models import DocumentAccess, ExpertProfile
from tests.conftest import make_user

from .factories import ExpertProfileFactory, LanguageFactory, PositionFactory, upload

CHANGELIST = reverse("admin:experts_expertprofile_changelist")


@pytest.fixture
def ada(db):
    """Superuser with two-factor authentication."""
    return make_user("ada@example.org", staff=True, superuser=True, mfa=True, name="Ada Arendt")


@pytest.fixture
def proposed(db):
    """Profiles staff created for experts proposed by CIM and by a commune."""
    return [
        ExpertProfileFactory(full_name="Nora Neumann", email="nora@example.org", proposed_by="cim"),
        ExpertProfileFactory(
            full_name="Otto Ortiz", email="otto@example.org", proposed_by="commune"
        ),
    ]


def test_staff_invite_the_selected_experts_to_take_over_their_profiles(
    client, sam, proposed, profile, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(sam)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {
                "action": "invite_to_claim",
                "_selected_action": [str(p.pk) for p in [*proposed, profile]],
            },
        )

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mailoutbox) == ["nora@example.org", "otto@example.org"]
    assert all("/experts/claim/" in m.body for m in mailoutbox)
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert "2 invitations have been sent." in notes
    assert "Erin Eriksen already has an account linked to the profile." in notes
    assert all(ExpertProfile.objects.get(pk=p.pk).claim_digest for p in proposed)


def test_staff_open_a_profile_with_its_languages_positions_and_document_links(client, sam, profile):
    LanguageFactory(expert=profile, language="fr")
    PositionFactory(expert=profile, employer="Stadt Leipzig")
    cv = upload(profile, "cv")
    client.force_login(sam)

    response = client.get(reverse("admin:experts_expertprofile_change", args=[profile.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stadt Leipzig" in page
    assert 'name="languages-0-language"' in page
    assert f'href="{cv.get_absolute_url()}"' in page
    assert not DocumentAccess.objects.exists()


def test_staff_create_a_profile_for_a_proposed_expert(client, sam):
    client.force_login(sam)
    data = {
        "full_name": "Paula Pereira",
        "email": "paula@example.org",
        "proposed_by": "giz",
        "country_of_residence": "",
        "keywords": "",
        "regions_worked_in": "",
        "preferred_regions": "",
        "languages-TOTAL_FORMS": "1",
        "languages-INITIAL_FORMS": "0",
        "languages-0-language": "pt",
        "languages-0-level": "C2",
        "positions-TOTAL_FORMS": "0",
        "positions-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:experts_expertprofile_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    paula = ExpertProfile.objects.get(email="paula@example.org")
    assert (paula.proposed_by, paula.user) == ("giz", None)
    assert [lang.language for lang in paula.languages.all()] == ["pt"]


def test_the_autocomplete_of_cases_finds_experts_by_name(client, sam, profile):
    client.force_login(sam)

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Eriksen",
            "app_label": "placements",
            "model_name": "case",
            "field_name": "selected_expert",
        },
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Erin Eriksen"]


def test_the_document_log_is_read_only(client, ada, profile, erin):
    cv = upload(profile, "cv")
    DocumentAccess.objects.create(expert=profile, document=cv, user=erin)
    client.force_login(ada)

    listing = client.get(reverse("admin:experts_documentaccess_changelist"))
    access = DocumentAccess.objects.get()

    assert listing.status_code == 200
    assert "Erin Eriksen" in listing.content.decode()
    assert client.get(reverse("admin:experts_documentaccess_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:experts_documentaccess_delete", args=[access.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_applications_are_listed_with_a_status_filter_and_search(client, ada, application):
    client.force_login(ada)
    url = reverse("admin:placements_application_changelist")

    shortlisted = client.get(url, {"status__exact": "shortlisted", "q": "Eriksen"})
    declined = client.get(url, {"status__exact": "declined"})

    assert "Erin Eriksen" in shortlisted.content.decode()
    assert "Erin Eriksen" not in declined.content.decode()


def test_the_status_of_an_application_is_not_changed_in_the_admin(client, ada, application):
    client.force_login(ada)

    page = client.get(
        reverse("admin:placements_application_change", args=[application.pk])
    ).content.decode()

    assert 'name="status"' not in page
    assert 'name="shared_with_commune"' not in page


def test_deleting_a_profile_in_the_admin_erases_it_with_its_files(
    client, ada, profile, django_capture_on_commit_callbacks
):
    cv = upload(profile, "cv")
    client.force_login(ada)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:experts_expertprofile_delete", args=[profile.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not ExpertProfile.objects.filter(pk=profile.pk).exists()
    assert not ExpertProfile.history.filter(id=profile.pk).exists()
    assert not cv.file.storage.exists(cv.file.name)


def test_staff_cannot_link_a_profile_to_an_account_by_hand(client, sam, proposed, bob):
    client.force_login(sam)
    nora = proposed[0]

    page = client.get(reverse("admin:experts_expertprofile_change", args=[nora.pk]))

    assert 'name="user"' not in page.content.decode()
