"""Every refused form, the portal's, allauth's and the admin's, answers a browser's navigation
with a page it can go back to (portal.middleware.RefusedFormMiddleware)."""

import pytest
from django.test import Client

from tests.conftest import make_user

NAVIGATION = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


@pytest.mark.django_db
def test_a_refused_login_is_shown_again_at_an_address_the_browser_can_return_to():
    browser = Client()

    response = browser.post(
        "/accounts/login/",
        {"login": "nobody@example.org", "password": "wrong-password-123"},
        headers=NAVIGATION,
    )

    assert response.status_code == 303
    assert response["Location"].startswith("/accounts/login/?refused=")
    page = browser.get(response["Location"])
    assert page.status_code == 200
    assert "nobody@example.org" in page.content.decode()
    assert "no-store" in page["Cache-Control"]


@pytest.mark.django_db
def test_a_script_posting_a_refused_form_gets_the_page_itself():
    response = Client().post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "wrong-password-123"}
    )

    assert response.status_code == 200
    assert "nobody@example.org" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_or_foreign_token_shows_the_page_as_it_is():
    alice = make_user("alice@example.org", role="applicant")
    mine = Client()
    mine.force_login(alice)
    refused = mine.post(
        "/account/settings/",
        {"full_name": "Alice Typed", "language": "en", "time_zone": "Not/AZone"},
        headers=NAVIGATION,
    )
    assert refused.status_code == 303
    assert "Alice Typed" in mine.get(refused["Location"]).content.decode()

    theirs = Client()
    theirs.force_login(make_user("bob@example.org", role="applicant"))
    page = theirs.get(refused["Location"])

    assert page.status_code == 200
    assert "Alice Typed" not in page.content.decode()
    assert mine.get("/account/settings/?refused=forged").status_code == 200


def test_a_refused_admin_form_comes_back_at_an_address_the_browser_can_return_to(sam):
    browser = Client()
    browser.force_login(sam)

    response = browser.post(
        "/admin/partnerships/commune/add/",
        {"name": "", "region": "Typed region", "country": "DE"},
        headers=NAVIGATION,
    )

    assert response.status_code == 303
    page = browser.get(response["Location"])
    assert "Typed region" in page.content.decode()
    assert "errornote" in page.content.decode()
