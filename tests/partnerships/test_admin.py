"""The admin of communes, partnerships and expressions of interest: every page opens for staff
with two-factor authentication, nobody else gets in, lists cost the same number of queries
however long they are, and membership requests are decided through the services."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships import services
from partnerships.models import (
    Attachment,
    Comment,
    CommuneMembership,
    Confirmation,
    ContactPerson,
    EOIEvent,
    MembershipRequest,
    Partnership,
    RequiredLanguage,
    SubmittedVersion,
)
from portal import roles
from tests.conftest import make_user

from .factories import EOIFactory, PartnershipFactory, invitation_path, pdf_file

ADMIN_MODELS = sorted(
    [
        (model._meta.app_label, model._meta.model_name)
        for model in admin.site._registry
        if model._meta.app_label in ("partnerships", "catalogue")
    ]
)


def changelist(app_label, model_name):
    return reverse(f"admin:{app_label}_{model_name}_changelist")


@pytest.fixture
def ada(db):
    """Superuser with two-factor authentication."""
    return make_user("ada@example.org", staff=True, superuser=True, mfa=True, name="Ada Arendt")


@pytest.fixture
def one_of_each(alice, bob, german, partnership, complete_eoi):
    """At least one row of every model in the admin."""
    ContactPerson.objects.create(commune=german, name="Dana Dorn", email="dana@example.org")
    MembershipRequest.objects.create(commune=german, user=bob, function="Mayor's office")
    services.invite(commune=german, email="new@example.org", name="", language="de", by=alice)
    RequiredLanguage.objects.create(eoi=complete_eoi, language="fr", level="B2")
    Attachment.objects.create(
        eoi=complete_eoi,
        file=pdf_file(),
        original_name="budget plan.pdf",
        content_type="application/pdf",
        size=100,
        uploaded_by=alice,
    )
    Confirmation.objects.create(eoi=complete_eoi, commune=german, revision=1, user=alice)
    Comment.objects.create(eoi=complete_eoi, author=alice, commune=german, body="Hello Kpalimé")
    EOIEvent.objects.create(eoi=complete_eoi, kind=EOIEvent.Kind.CREATED, actor=alice)
    SubmittedVersion.objects.create(eoi=complete_eoi, number=1, content={"title": "Waste"})
    return complete_eoi


def test_every_admin_model_is_covered():
    assert ("partnerships", "partnership") in ADMIN_MODELS
    assert ("partnerships", "expressionofinterest") in ADMIN_MODELS
    assert ("catalogue", "deploymenttype") in ADMIN_MODELS
    assert len(ADMIN_MODELS) == 12


@pytest.mark.parametrize(("app_label", "model_name"), ADMIN_MODELS)
def test_every_list_and_object_page_opens_for_a_superuser(
    client, ada, one_of_each, app_label, model_name
):
    client.force_login(ada)

    response = client.get(changelist(app_label, model_name))

    assert response.status_code == 200
    model = apps.get_model(app_label, model_name)
    first = model._default_manager.order_by("pk").first()
    response = client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[first.pk]))
    assert response.status_code == 200


def test_the_invitation_admin_shows_neither_the_link_nor_its_digest(client, ada, alice, german):
    invitation = services.invite(
        commune=german, email="new@example.org", name="New", language="de", by=alice
    )
    invitation.refresh_from_db()
    client.force_login(ada)

    page = client.get(
        reverse("admin:partnerships_invitation_change", args=[invitation.pk])
    ).content.decode()

    assert "new@example.org" in page
    assert invitation_path(invitation) not in page
    assert "/invitations/" not in page
    assert invitation.token_digest not in page


@pytest.mark.parametrize(("app_label", "model_name"), ADMIN_MODELS)
def test_applicants_do_not_get_into_the_admin(client, alice, app_label, model_name):
    client.force_login(alice)

    response = client.get(changelist(app_label, model_name))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("admin:login"))
        assert client.get(response["Location"]).status_code in (302, 403)


def test_staff_without_two_factor_authentication_are_sent_to_set_it_up(client, gina):
    client.force_login(gina)

    response = client.get(changelist("partnerships", "partnership"))

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_programme_staff_import_and_coordinators_only_look(client, sam):
    cora = make_user("cora@example.org", role=roles.COORDINATOR, staff=True, mfa=True)
    import_page = reverse("admin:partnerships_partnership_import")

    client.force_login(sam)
    assert client.get(changelist("partnerships", "partnership")).status_code == 200
    assert client.get(import_page).status_code == 200

    client.force_login(cora)
    assert client.get(changelist("partnerships", "partnership")).status_code == 200
    assert client.get(changelist("catalogue", "deploymenttype")).status_code == 200
    assert client.get(import_page).status_code == 403


def list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_partnership_list_costs_the_same_queries_for_3_and_30_partnerships(client, ada):
    client.force_login(ada)
    url = changelist("partnerships", "partnership")
    PartnershipFactory.create_batch(3)
    client.get(url)  # Warm up: sessions and content types.

    with_3 = list_queries(client, url)
    PartnershipFactory.create_batch(27)
    with_30 = list_queries(client, url)

    assert with_3 == with_30


def test_the_expression_of_interest_list_costs_the_same_queries_for_3_and_30(client, ada):
    client.force_login(ada)
    url = changelist("partnerships", "expressionofinterest")
    EOIFactory.create_batch(3)
    client.get(url)

    with_3 = list_queries(client, url)
    EOIFactory.create_batch(27)
    with_30 = list_queries(client, url)

    assert with_3 == with_30


def test_an_expression_of_interest_is_read_only_in_the_admin(client, ada, one_of_each):
    client.force_login(ada)
    url = reverse("admin:partnerships_expressionofinterest_change", args=[one_of_each.pk])

    page = client.get(url).content.decode()

    attachment = one_of_each.attachments.get()
    assert f'href="{attachment.get_absolute_url()}"' in page
    assert 'name="_save"' not in page
    assert client.post(url, {"title": "Changed"}).status_code == 403


def decide(client, action, *membership_requests):
    return client.post(
        changelist("partnerships", "membershiprequest"),
        {"action": action, "_selected_action": [r.pk for r in membership_requests]},
        follow=True,
    )


def test_staff_confirm_membership_requests_with_the_admin_action(client, sam, bob, german):
    membership_request = MembershipRequest.objects.create(
        commune=german, user=bob, function="Mayor's office"
    )
    client.force_login(sam)

    response = decide(client, "confirm_requests", membership_request)

    membership_request.refresh_from_db()
    assert membership_request.status == MembershipRequest.Status.CONFIRMED
    assert membership_request.decided_by == sam
    assert CommuneMembership.objects.filter(commune=german, user=bob).exists()
    assert "1 request confirmed." in [str(m) for m in get_messages(response.wsgi_request)]


def test_staff_refuse_membership_requests_and_decided_ones_stay_as_they_are(
    client, sam, bob, erin, german
):
    pending = MembershipRequest.objects.create(commune=german, user=bob, function="Clerk")
    decided = MembershipRequest.objects.create(
        commune=german, user=erin, function="Clerk", status=MembershipRequest.Status.CONFIRMED
    )
    client.force_login(sam)

    response = decide(client, "refuse_requests", pending, decided)

    pending.refresh_from_db()
    decided.refresh_from_db()
    assert pending.status == MembershipRequest.Status.REFUSED
    assert decided.status == MembershipRequest.Status.CONFIRMED
    assert not CommuneMembership.objects.filter(user=bob).exists()
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert "1 request refused." in shown
    assert any("was not changed. This request has already been decided." in m for m in shown)


def test_a_partnership_can_be_edited_in_the_admin(client, sam, partnership):
    client.force_login(sam)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    data = {
        "name": "Leipzig – Kpalimé",
        "german_commune": partnership.german_commune.pk,
        "partner_communes": [c.pk for c in partnership.partner_communes.all()],
        "since_year": "2005",
        "status": Partnership.Status.ESTABLISHED,
        "previous_activities": "Youth exchange",
    }

    response = client.post(url, data)

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.since_year == 2005
    assert partnership.history.first().history_user == sam
