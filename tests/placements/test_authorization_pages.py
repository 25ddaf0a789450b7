"""Authorization holes found by trying the portal as each role, in its pages: read-only roles act
nowhere (messages, membership requests, invitations, vacancies), staff without a second factor
reach only its set-up, and programme staff edit vacancies."""

import json
import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from partnerships import services as eoi_services
from partnerships.models import Comment, CommuneMembership, Invitation, MembershipRequest
from placements.models import Case, Vacancy
from portal.middleware import MFA_SETUP_URL_NAMES
from portal.models import OutgoingEmail
from tests.conftest import PASSWORD, make_user
from tests.placements.factories import advance

from .helpers import logged_in

pytestmark = pytest.mark.django_db


# --- 3. Read-only roles cannot act through the portal's pages -----------------------------------


@pytest.fixture
def membership_request(german):
    return eoi_services.request_membership(
        user=make_user("carla@example.org", name="Carla"), commune=german, function="Clerk"
    )


@pytest.mark.parametrize("role", ["coordinator", "finance"])
def test_read_only_roles_cannot_post_a_programme_message(staff, case, role):
    eoi = case.eoi
    browser = logged_in(staff[role])
    page = browser.get(eoi.get_absolute_url()).content.decode()
    assert "Send message" not in page
    emails = OutgoingEmail.objects.count()
    response = browser.post(
        reverse("partnerships:eoi-comment", args=[eoi.pk]), {"body": "From finance"}
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(body="From finance").exists()
    assert OutgoingEmail.objects.count() == emails
    # Nor through the case page in the admin.
    browser.post(reverse("admin:placements_case_message", args=[case.pk]), {"body": "Admin"})
    assert not Comment.objects.filter(body="Admin").exists()


@pytest.mark.parametrize("role", ["coordinator", "finance"])
def test_read_only_roles_cannot_decide_membership_requests(staff, membership_request, role):
    browser = logged_in(staff[role])
    page = browser.get(membership_request.commune.get_absolute_url()).content.decode()
    assert "Carla" in page  # they read the request
    assert (
        reverse("partnerships:membership-request-decide", args=[membership_request.pk, "confirm"])
        not in page
    )
    response = browser.post(
        reverse("partnerships:membership-request-decide", args=[membership_request.pk, "confirm"])
    )
    assert response.status_code == 404
    assert MembershipRequest.objects.get(pk=membership_request.pk).status == "pending"
    assert not CommuneMembership.objects.filter(user=membership_request.user).exists()


@pytest.mark.parametrize("role", ["coordinator", "finance"])
def test_read_only_roles_cannot_invite_into_a_commune(staff, german, role):
    browser = logged_in(staff[role])
    response = browser.post(
        reverse("partnerships:commune-invite", args=[german.pk]),
        {"commune": german.pk, "email": "mallory@example.org", "name": "M", "language": "en"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.filter(email="mallory@example.org").exists()


def test_programme_staff_still_write_decide_and_invite(staff, case, membership_request, german):
    browser = logged_in(staff["skew"])
    browser.post(reverse("partnerships:eoi-comment", args=[case.eoi.pk]), {"body": "Welcome"})
    assert Comment.objects.get(body="Welcome").from_programme
    browser.post(
        reverse("partnerships:membership-request-decide", args=[membership_request.pk, "confirm"])
    )
    assert MembershipRequest.objects.get(pk=membership_request.pk).status == "confirmed"
    browser.post(
        reverse("partnerships:commune-invite", args=[german.pk]),
        {"commune": german.pk, "email": "new@example.org", "name": "N", "language": "en"},
    )
    assert Invitation.objects.filter(email="new@example.org").exists()


# --- 4. Staff without a second factor reach nothing but its set-up -----------------------------

# Sample values for the URL patterns written as regular expressions.
REGEX_SAMPLES = {
    "account_confirm_email": "/accounts/confirm-email/abc:def/",
    "account_reset_password_from_key": "/accounts/password/reset/key/1-set-password/",
    "app_list": "/admin/portal/",
    "view_on_site": "/admin/r/1/1/",
    None: "/admin/no-such-page/",  # the admin's catch-all
}
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def every_url(patterns=None, prefix=""):
    """(path, url name) of every URL pattern of the portal, admin and allauth included."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        text = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from every_url(pattern.url_patterns, prefix + text)
        elif isinstance(pattern, URLPattern):
            if text.startswith("^") or "(?P" in text:
                name = pattern.name
                if (name or "").endswith("_simple_history"):  # one version of an object
                    yield "/" + prefix + "1/history/1/", name
                    continue
                assert name in REGEX_SAMPLES, f"add a sample path for {prefix + text}"
                yield REGEX_SAMPLES[name], name
                continue
            path = CONVERTER.sub(
                lambda m: "1" if m.group(1) in ("int", "path", None) else "x", prefix + text
            )
            yield "/" + path.lstrip("^"), pattern.name


def test_staff_without_a_second_factor_reach_only_its_set_up(gina, case, membership_request):
    browser = Client()
    browser.login(email=gina.email, password=PASSWORD)
    setup = reverse("mfa_activate_totp")
    checked = 0
    for path, name in every_url():
        if name in MFA_SETUP_URL_NAMES:
            continue
        for method in ("get", "post"):
            response = getattr(browser, method)(path)
            assert response.status_code == 302, (method, path, response.status_code)
            assert response["Location"] == setup, (method, path)
        checked += 1
    assert checked > 100  # the walk really covers the admin and the portal
    # The set-up itself opens (after confirming the password, as allauth asks).
    response = browser.get(setup, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    # The data behind those pages is untouched: nothing was decided.
    assert MembershipRequest.objects.get(pk=membership_request.pk).status == "pending"


def test_a_superuser_without_a_second_factor_is_sent_to_set_it_up_too(alice):
    root = make_user("root2@example.org", staff=True, superuser=True)
    response = logged_in(root).get(reverse("partnerships:commune-list"))
    assert response["Location"] == reverse("mfa_activate_totp")


# --- 9. Programme staff edit vacancies ----------------------------------------------------------


@pytest.mark.parametrize("role", ["skew", "giz"])
def test_programme_staff_edit_a_vacancy_before_publishing_it(staff, case, role):
    actor = staff[role]
    case = advance(case, Case.State.VACANCY_DRAFTED, by=staff["skew"])
    vacancy = Vacancy.objects.get(case=case)
    url = reverse("admin:placements_vacancy_change", args=[vacancy.pk])
    browser = logged_in(actor)
    assert browser.get(url).status_code == 200
    data = {"title": "Waste management adviser (m/f/d)", "closing_date": "2027-03-31"}
    form_fields = (
        admin.site._registry[Vacancy].get_form(RequestFactory().get("/"), vacancy).base_fields
    )
    for name in form_fields:
        if name not in data:
            value = getattr(vacancy, name)
            if isinstance(value, list | dict):
                data[name] = json.dumps(value)
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            elif value is not None:
                data[name] = str(value)
    response = browser.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Vacancy.objects.get(pk=vacancy.pk).title == "Waste management adviser (m/f/d)"


@pytest.mark.parametrize("role", ["coordinator", "finance"])
def test_read_only_roles_read_but_do_not_edit_vacancies(staff, case, role):
    case = advance(case, Case.State.VACANCY_DRAFTED, by=staff["skew"])
    vacancy = Vacancy.objects.get(case=case)
    url = reverse("admin:placements_vacancy_change", args=[vacancy.pk])
    browser = logged_in(staff[role])
    assert browser.get(url).status_code == 200
    browser.post(url, {"title": "Changed"})
    assert Vacancy.objects.get(pk=vacancy.pk).title == vacancy.title
