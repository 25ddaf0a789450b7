"""Authorization holes found by trying the portal as each role, in the accounts and the admin
actions: rights and passwords are the superuser's, every admin action declares its permission,
and an action refused to a role changes nothing."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse

from experts.models import DocumentAccess
from partnerships import services as eoi_services
from partnerships.models import ContactPerson, Invitation
from placements.models import Case, EventRegistration, MissionObjective, SalaryAccess
from portal import roles
from portal.models import OutgoingEmail, User
from tests.conftest import make_user
from tests.partnerships.factories import invitation_path
from tests.placements.factories import ExpertProfileFactory, SupportEventFactory, advance

from .helpers import logged_in

pytestmark = pytest.mark.django_db


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
    MissionObjective.objects.create(mission=case.mission, title="Water for all")
    SalaryAccess.objects.create(user=sam, case=case, action=SalaryAccess.Action.VIEW)
    EventRegistration.objects.create(event=SupportEventFactory(), user=alice)
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


# Actions that only read: the PDFs coordinators report with.
READING_ACTIONS = {"Case.case_summaries_pdf", "Case.portfolio_pdf", "Mission.portfolio_pdf"}


def test_read_only_roles_have_no_admin_action_but_the_pdfs(world):
    for role in ("coordinator", "finance"):
        request = RequestFactory().get("/admin/")
        request.user = world[role]
        offered = {
            f"{model_admin.model.__name__}.{name}"
            for model_admin in admin.site._registry.values()
            for name in model_admin.get_actions(request)
        }
        assert offered == READING_ACTIONS, role


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
