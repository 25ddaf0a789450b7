"""Security headers on every page, no caching of personal pages, and error pages that help the
person without telling an attacker anything."""

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import include, path

from portal import views


def boom(request):
    raise RuntimeError("secret-internal-detail")


# A URLconf for one test: the portal's own, plus a page that fails.
urlpatterns = [path("boom/", boom), path("", include("portal.urls"))]
handler403 = "portal.views.error_403"
handler404 = "portal.views.error_404"
handler500 = "portal.views.error_500"


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *sources = directive.split()
        policy[name] = sources
    return policy


def assert_secure_headers(response):
    policy = csp(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive], directive
        assert "'unsafe-eval'" not in policy[directive], directive
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def assert_not_stored(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in cache_control
    assert "private" in cache_control


@pytest.mark.parametrize(
    ("path", "status"),
    [("/", 200), ("/accounts/login/", 200), ("/imprint/", 200), ("/no-such-page/", 404)],
)
def test_public_pages_carry_the_security_headers(client, db, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert_secure_headers(response)


@pytest.mark.parametrize(
    "path", ["/dashboard/", "/account/settings/", "/accounts/sessions/", "/no-such-page/"]
)
def test_pages_of_a_logged_in_user_carry_the_security_headers_and_are_never_stored(
    client, alice, path
):
    client.force_login(alice)

    response = client.get(path)

    assert_secure_headers(response)
    assert_not_stored(response)


def test_the_data_export_is_never_stored_by_a_browser_or_proxy(client, alice):
    client.force_login(alice)

    assert_not_stored(client.get("/account/export/"))


def test_the_login_page_is_never_stored(client, db):
    assert_not_stored(client.get("/accounts/login/"))


def test_a_missing_page_shows_the_friendly_404_without_internals(client, db):
    response = client.get("/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page
    assert "Back to the home page" in page
    for leak in ("Traceback", "URLconf", "urlpatterns", "DEBUG", "Django"):
        assert leak not in page


def test_a_refused_page_shows_the_friendly_403(client, alice):
    client.force_login(alice)

    response = client.get("/admin/login/")

    assert response.status_code == 403
    assert "Access denied" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_form_sent_without_its_csrf_token_shows_the_expired_form_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert "CSRF" not in response.content.decode()


def test_the_500_handler_renders_the_friendly_page(db):
    request = RequestFactory().get("/somewhere/")

    response = views.error_500(request)

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_an_error_in_a_view_shows_the_friendly_500_without_internals(db):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page
    assert "secret-internal-detail" not in page
    assert "Traceback" not in page
    assert_secure_headers(response)
