"""The portal's own pages: in every language, per role, with a bounded number of queries, and the
account pages where people see, download and erase their data."""

import json
import re
import subprocess
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal import roles
from portal.models import User
from tests.conftest import PASSWORD

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What the language switch in the header is called, as people of each language read it.
LANGUAGE_LABEL = {"en": "Language", "de": "Sprache", "fr": "Langue", "es": "Idioma"}
PUBLIC_PAGES = [
    "/",
    "/imprint/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]
PERSONAL_PAGES = [
    "/dashboard/",
    "/account/settings/",
    "/account/erase/",
    "/accounts/2fa/",
    "/accounts/sessions/",
]


def html_lang(response) -> str:
    return re.search(r'<html lang="([\w-]+)"', response.content.decode()).group(1)


def language_label(response) -> str:
    return re.search(r'for="language-select">([^<]+)</label>', response.content.decode()).group(1)


def in_language(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


# Languages


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_open_in_each_language(db, path, language):
    response = in_language(language).get(path)

    assert response.status_code == 200
    assert html_lang(response) == language
    assert language_label(response) == LANGUAGE_LABEL[language]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PERSONAL_PAGES)
def test_pages_of_a_logged_in_user_open_in_each_language(alice, path, language):
    client = in_language(language)
    client.force_login(alice)

    response = client.get(path)

    assert response.status_code == 200
    assert html_lang(response) == language
    assert language_label(response) == LANGUAGE_LABEL[language]


@pytest.mark.parametrize("language", ["fr", "de"])
def test_the_french_and_german_translations_are_complete(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"

    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_a_logged_in_user_without_a_language_cookie_sees_pages_in_their_preferred_language(
    client, alice
):
    alice.language = "de"
    alice.save(update_fields=["language"])
    client.force_login(alice)

    assert html_lang(client.get("/dashboard/")) == "de"


def test_switching_the_language_is_remembered_on_the_account(client, alice):
    client.force_login(alice)

    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/dashboard/"})

    assert response["Location"] == "/dashboard/"
    alice.refresh_from_db()
    assert alice.language == "fr"
    assert html_lang(client.get("/dashboard/")) == "fr"


def test_switching_the_language_when_logged_out_changes_the_pages(client, db):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})

    assert html_lang(client.get("/")) == "es"


# The dashboard per role


def test_staff_see_the_programme_overview_on_their_dashboard(client, sam, alice, erin):
    client.force_login(sam)

    page = client.get("/dashboard/").content.decode()

    assert "Programme overview" in page
    assert 'aria-labelledby="applicant-title"' not in page
    assert 'aria-labelledby="expert-title"' not in page


def test_applicants_see_their_commune_card_and_no_staff_section(client, alice):
    client.force_login(alice)

    page = client.get("/dashboard/").content.decode()

    assert 'aria-labelledby="applicant-title"' in page
    assert 'aria-labelledby="expert-title"' not in page
    assert "Programme overview" not in page
    assert "/admin/" not in page


def test_experts_see_their_profile_card_and_no_staff_section(client, erin):
    client.force_login(erin)

    page = client.get("/dashboard/").content.decode()

    assert 'aria-labelledby="expert-title"' in page
    assert 'aria-labelledby="applicant-title"' not in page
    assert "Programme overview" not in page
    assert "/admin/" not in page


def test_the_staff_dashboard_counts_users_per_role(client, sam, alice, bob, erin):
    client.force_login(sam)

    page = client.get("/dashboard/").content.decode()

    assert re.search(r"<td>Applicant \(commune staff\)</td><td[^>]*>2</td>", page)
    assert re.search(r"<td>Expert</td><td[^>]*>1</td>", page)


def add_users(count: int, role: str) -> None:
    """Create users with a role in two queries, however many."""
    first = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"user{first + i}@example.org", password="!") for i in range(count)
    )
    group = Group.objects.get(name=role)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )


@pytest.mark.parametrize("person", ["sam", "alice", "erin"])
def test_the_dashboard_needs_as_many_queries_for_30_users_as_for_3(
    client, person, request, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(person))
    client.get("/dashboard/")
    add_users(3, roles.APPLICANT)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/dashboard/").status_code == 200

    add_users(15, roles.APPLICANT)
    add_users(12, roles.EXPERT)

    with django_assert_max_num_queries(len(few)):
        assert client.get("/dashboard/").status_code == 200


# Account data


def test_the_data_export_holds_the_users_account_and_roles_and_nobody_elses(client, alice, bob):
    client.force_login(alice)

    response = client.get("/account/export/")

    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert data["account"]["email"] == "alice@example.org"
    assert data["account"]["roles"] == [roles.APPLICANT]
    assert [a["email"] for a in data["email_addresses"]] == ["alice@example.org"]
    assert "bob@example.org" not in response.content.decode()
    assert "Bob" not in response.content.decode()


def test_erasing_the_account_with_a_wrong_password_keeps_it(client, alice):
    client.force_login(alice)

    response = client.post("/account/erase/", {"password": "not-my-password", "confirm": "on"})

    assert response.status_code == 400
    assert "This password is not correct." in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active
    assert alice.email == "alice@example.org"
    assert client.get("/dashboard/").status_code == 200


def test_erasing_the_account_needs_the_confirmation_box(client, alice):
    client.force_login(alice)

    response = client.post("/account/erase/", {"password": PASSWORD})

    assert response.status_code == 400
    alice.refresh_from_db()
    assert alice.is_active


def test_erasing_the_account_with_the_password_anonymises_it_and_logs_out(client, alice):
    client.force_login(alice)

    response = client.post("/account/erase/", {"password": PASSWORD, "confirm": "on"})

    assert response["Location"] == "/"
    alice.refresh_from_db()
    assert alice.email == f"erased-{alice.pk}@invalid"
    assert alice.full_name == ""
    assert not alice.is_active
    assert not alice.has_usable_password()
    assert not alice.groups.exists()
    assert not EmailAddress.objects.filter(user=alice).exists()
    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    login = Client().post("/accounts/login/", {"login": "alice@example.org", "password": PASSWORD})
    assert login.status_code == 200


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/account/settings/", "/account/export/", "/account/erase/"]
)
def test_logged_out_visitors_are_sent_to_the_login_page(client, db, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_users_change_their_name_language_and_time_zone_in_settings(client, alice):
    client.force_login(alice)

    response = client.post(
        "/account/settings/",
        {"full_name": "Alice A. Albrecht", "language": "fr", "time_zone": "Africa/Dakar"},
    )

    assert response["Location"] == "/account/settings/"
    alice.refresh_from_db()
    assert (alice.full_name, alice.language, alice.time_zone) == (
        "Alice A. Albrecht",
        "fr",
        "Africa/Dakar",
    )
    assert html_lang(client.get("/dashboard/")) == "fr"


# The favicon


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/imprint/"])
def test_every_page_links_a_favicon_that_answers(client, db, path):
    page = client.get(path).content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', page)

    assert icons == ["/favicon.ico", f"{settings.STATIC_URL}favicon.svg"]
    ico, svg = (client.get(icon) for icon in icons)
    assert ico.status_code == 200
    assert ico["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(ico.streaming_content).startswith(b"\x00\x00\x01\x00")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
