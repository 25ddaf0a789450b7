"""Every refused form, the portal's, allauth's and the admin's, answers a browser's navigation
with a page it can go back to (portal.middleware.RefusedFormMiddleware)."""

import pytest
from django.test import Client

from tests.conftest import make_user

NAVIGATION = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}


def refused_in_a_browser(browser, url, data):
    """POST a form that is refused, as a browser navigating does: the answer sends it (303) to
    an address of the same page; return that address and what it shows."""
    response = browser.post(url, data, headers=NAVIGATION)
    assert response.status_code == 303
    assert response["Location"].startswith(f"{url}?refused=")
    return response["Location"], browser.get(response["Location"])


@pytest.mark.django_db
def test_a_refused_login_is_shown_again_at_an_address_the_browser_can_return_to():
    _address, page = refused_in_a_browser(
        Client(), "/accounts/login/", {"login": "nobody@example.org", "password": "wrong-pw-123"}
    )

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
    address, kept = refused_in_a_browser(
        mine,
        "/account/settings/",
        {"full_name": "Alice Typed", "language": "en", "time_zone": "Not/AZone"},
    )
    assert "Alice Typed" in kept.content.decode()

    theirs = Client()
    theirs.force_login(make_user("bob@example.org", role="applicant"))
    page = theirs.get(address)

    assert page.status_code == 200
    assert "Alice Typed" not in page.content.decode()
    assert mine.get("/account/settings/?refused=forged").status_code == 200


def test_a_refused_admin_form_comes_back_at_an_address_the_browser_can_return_to(sam):
    browser = Client()
    browser.force_login(sam)

    _address, page = refused_in_a_browser(
        browser,
        "/admin/partnerships/commune/add/",
        {"name": "", "region": "Typed region", "country": "DE"},
    )

    assert "Typed region" in page.content.decode()
    assert "errornote" in page.content.decode()
