"""The expert's account pages: erasing the profile and the account, and taking over a profile that
programme staff created through the emailed link."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse

from experts import services
from experts.models import ExpertProfile
from portal import roles
from tests.conftest import PASSWORD, make_user

from .factories import ExpertProfileFactory, mission_for, upload
from .helpers import PROFILE

# --- Erasure --------------------------------------------------------------------------------------

ERASE = reverse("experts:erase")


def test_erasing_needs_the_password(client, profile, erin):
    client.force_login(erin)

    response = client.post(ERASE, {"password": "wrong", "confirm": "on"})

    assert response.status_code == 400
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
