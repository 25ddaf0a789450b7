"""Who may open which page of the partnerships app. Logged out: the login page. Someone who has no
business with an object: 404, never 403 (which would confirm that it exists), never its content.
Programme staff read everything; the communes of an EOI read and work on it."""

import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from partnerships import services
from partnerships.models import Attachment, ExpressionOfInterest, Invitation, MembershipRequest
from partnerships.urls import urlpatterns
from placements import workflow
from tests.conftest import asks_first, make_user

from .factories import EOIFactory, invitation_path, pdf_file

LOGIN = "login"
USERS = ("anonymous", "alice", "pierre", "bob", "erin", "sam")
SECRET_TITLE = "Waste management in Kpalimé"


@pytest.fixture
def world(alice, pierre, bob, erin, sam, german, partner, partnership, other):
    """Leipzig and Kpalimé's EOI, sent back for more information after its first submission (so
    that it is editable and has a version to compare), with an attachment, and a request to
    join Leipzig; bob's communes have an EOI with an attachment of their own."""
    eoi = EOIFactory(partnership=partnership, created_by=alice, title=SECRET_TITLE)
    services.confirm(eoi=eoi, user=alice, commune=german)
    services.confirm(eoi=eoi, user=pierre, commune=partner)
    workflow.transition(
        case=eoi.case, name="request_information", by=sam, reason="How is the site financed?"
    )
    attachment = services.add_attachment(eoi=eoi, user=alice, file=pdf_file("budget.pdf"))
    carla = make_user("carla@example.org", name="Carla Conrad")
    membership_request = services.request_membership(
        user=carla, commune=german, function="Climate officer"
    )
    bobs_eoi = EOIFactory(partnership=other, created_by=bob, title="Bonn's own project")
    bobs_attachment = services.add_attachment(eoi=bobs_eoi, user=bob, file=pdf_file("bob.pdf"))
    return SimpleNamespace(
        alice=alice,
        pierre=pierre,
        bob=bob,
        erin=erin,
        sam=sam,
        german=german,
        partner=partner,
        partnership=partnership,
        eoi=ExpressionOfInterest.objects.get(pk=eoi.pk),
        attachment=attachment,
        membership_request=membership_request,
        bobs_eoi=bobs_eoi,
        bobs_attachment=bobs_attachment,
    )


def own_commune(world, who):
    """The commune a user acts for: their own if they are on one side of the EOI, else alice's."""
    return world.partner if who == "pierre" else world.german


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


# name: (method, URL and data for the user, expected for each of USERS)
PAGES = {
    "commune-list": (
        "get",
        lambda w, who: (url("commune-list"), {}),
        (LOGIN, 200, 200, 200, 200, 200),
    ),
    "commune-detail": (
        "get",
        lambda w, who: (url("commune-detail", w.german.pk), {}),
        (LOGIN, 200, 200, 404, 404, 200),
    ),
    "commune-invite": (
        "post",
        lambda w, who: (
            url("commune-invite", w.german.pk),
            {
                "commune": w.german.pk,
                "name": "Nora",
                "email": "nora@example.org",
                "language": "de",
            },
        ),
        (LOGIN, 302, 302, 404, 404, 302),
    ),
    "membership-request-decide": (
        "post",
        lambda w, who: (
            url("membership-request-decide", w.membership_request.pk, "confirm"),
            {},
        ),
        (LOGIN, 302, 404, 404, 404, 302),
    ),
    "partnership-list": (
        "get",
        lambda w, who: (url("partnership-list"), {}),
        (LOGIN, 200, 200, 200, 200, 200),
    ),
    "partnership-detail": (
        "get",
        lambda w, who: (url("partnership-detail", w.partnership.pk), {}),
        (LOGIN, 200, 200, 404, 404, 200),
    ),
    "eoi-list": (
        "get",
        lambda w, who: (url("eoi-list"), {}),
        (LOGIN, 200, 200, 200, 200, 200),
    ),
    "eoi-start": (
        "post",
        lambda w, who: (url("eoi-start"), {"commune": own_commune(w, who).pk}),
        # Another commune's id is a bad choice like any unknown id: 400, "choose one of yours".
        (LOGIN, 302, 302, 400, 400, 400),
    ),
    "eoi-detail": (
        "get",
        lambda w, who: (url("eoi-detail", w.eoi.pk), {}),
        (LOGIN, 200, 200, 404, 404, 200),
    ),
    # Staff read an EOI but do not edit it: the form sends them to the detail page.
    "eoi-step": (
        "get",
        lambda w, who: (url("eoi-step", w.eoi.pk, "project"), {}),
        (LOGIN, 200, 200, 404, 404, 302),
    ),
    "eoi-review": (
        "get",
        lambda w, who: (url("eoi-review", w.eoi.pk), {}),
        (LOGIN, 200, 200, 404, 404, 200),
    ),
    "eoi-confirm": (
        "post",
        lambda w, who: (
            url("eoi-confirm", w.eoi.pk),
            {"commune": own_commune(w, who).pk, "final": "on"},
        ),
        (LOGIN, 302, 302, 404, 404, 404),
    ),
    "eoi-comment": (
        "post",
        lambda w, who: (url("eoi-comment", w.eoi.pk), {"body": "A question."}),
        (LOGIN, 302, 302, 404, 404, 302),
    ),
    "eoi-withdraw": (
        "get",
        lambda w, who: (url("eoi-withdraw", w.eoi.pk), {}),
        (LOGIN, 200, 200, 404, 404, 404),
    ),
    "eoi-compare": (
        "get",
        lambda w, who: (url("eoi-compare", w.eoi.pk), {}),
        (LOGIN, 200, 200, 404, 404, 200),
    ),
    "attachment-upload": (
        "post",
        lambda w, who: (url("attachment-upload", w.eoi.pk), {"file": pdf_file("annex.pdf")}),
        (LOGIN, 302, 302, 404, 404, 404),
    ),
    "attachment-download": (
        "get",
        lambda w, who: (url("attachment-download", w.eoi.pk, w.attachment.pk), {}),
        (LOGIN, 200, 200, 404, 404, 200),
    ),
    "attachment-delete": (
        "post",
        lambda w, who: (url("attachment-delete", w.eoi.pk, w.attachment.pk), {}),
        (LOGIN, 302, 302, 404, 404, 404),
    ),
}

CASES = [
    pytest.param(name, who, expected[index], id=f"{name}-{who}")
    for name, (_method, _route, expected) in PAGES.items()
    for index, who in enumerate(USERS)
]


def browser_of(world, who, client_of):
    return Client() if who == "anonymous" else client_of(getattr(world, who))


def test_the_matrix_covers_every_page_of_the_app():
    names = {pattern.name for pattern in urlpatterns}

    # The invitation link is checked on its own below: its token is the key.
    assert names == set(PAGES) | {"invitation-accept"}


@pytest.mark.parametrize(("name", "who", "expected"), CASES)
def test_who_may_open_which_page(world, client_of, name, who, expected):
    method, route, _expected = PAGES[name]
    path, data = route(world, who)

    response = getattr(browser_of(world, who, client_of), method)(path, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected
    if expected in (LOGIN, 404) and not getattr(response, "streaming", False):
        assert SECRET_TITLE not in response.content.decode()


@pytest.mark.parametrize("who", ["bob", "erin"])
@pytest.mark.parametrize(
    ("name", "secret"),
    [("eoi-list", SECRET_TITLE), ("partnership-list", "Leipzig – Kpalimé")],
)
def test_lists_show_nothing_of_other_communes(world, client_of, who, name, secret):
    response = browser_of(world, who, client_of).get(url(name))

    assert response.status_code == 200
    assert secret not in response.content.decode()


@pytest.mark.parametrize("who", ["alice", "pierre", "sam"])
@pytest.mark.parametrize(
    ("name", "secret"),
    [("eoi-list", SECRET_TITLE), ("partnership-list", "Leipzig – Kpalimé")],
)
def test_lists_show_the_communes_own_work_and_everything_to_staff(
    world, client_of, who, name, secret
):
    response = browser_of(world, who, client_of).get(url(name))

    assert secret in response.content.decode()


def test_a_link_to_another_communes_attachment_is_not_found(world, client_of):
    alice = client_of(world.alice)
    bobs = world.bobs_attachment

    assert alice.get(url("attachment-download", world.bobs_eoi.pk, bobs.pk)).status_code == 404
    # Nor through alice's own EOI with the other attachment's number.
    assert alice.get(url("attachment-download", world.eoi.pk, bobs.pk)).status_code == 404
    assert alice.post(url("attachment-delete", world.eoi.pk, bobs.pk)).status_code == 404
    assert alice.post(url("attachment-delete", world.bobs_eoi.pk, bobs.pk)).status_code == 404
    assert Attachment.objects.filter(pk=bobs.pk).exists()


def test_the_communes_of_an_eoi_cannot_confirm_a_membership_request_of_their_partner(
    world, client_of
):
    response = client_of(world.pierre).post(
        url("membership-request-decide", world.membership_request.pk, "confirm")
    )

    assert response.status_code == 404
    world.membership_request.refresh_from_db()
    assert world.membership_request.status == MembershipRequest.Status.PENDING


def test_refusing_a_membership_request_asks_first_and_one_click_refuses_nothing(world, client_of):
    refuse = url("membership-request-decide", world.membership_request.pk, "refuse")
    alice = client_of(world.alice)

    asks_first(alice, refuse, "This cannot be undone.")
    world.membership_request.refresh_from_db()
    assert world.membership_request.status == MembershipRequest.Status.PENDING

    assert alice.post(refuse, {"confirm": "yes"}).status_code == 302
    world.membership_request.refresh_from_db()
    assert world.membership_request.status == MembershipRequest.Status.REFUSED


def test_only_those_who_decide_see_the_page_that_asks_before_refusing(world, client_of):
    refuse = url("membership-request-decide", world.membership_request.pk, "refuse")

    assert client_of(world.pierre).get(refuse).status_code == 404
    assert (
        client_of(world.alice)
        .get(url("membership-request-decide", world.membership_request.pk, "confirm"))
        .status_code
        == 405
    )


def test_an_unknown_decision_on_a_membership_request_is_not_found(world, client_of):
    response = client_of(world.alice).post(
        url("membership-request-decide", world.membership_request.pk, "approve")
    )

    assert response.status_code == 404


# The invitation link


@pytest.fixture
def invitation(world):
    return services.invite(
        commune=world.partner, email="paul@example.org", name="Paul", language="fr", by=world.alice
    )


def test_an_invitation_link_asks_to_log_in_first(invitation):
    response = Client().get(invitation_path(invitation))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_an_unknown_invitation_link_is_not_found(world, client_of):
    response = client_of(world.bob).get(url("invitation-accept", "not-a-token"))

    assert response.status_code == 404


def test_a_tampered_invitation_link_is_not_found(invitation, client_of):
    paul = make_user("paul@example.org", name="Paul Mensah", language="fr")
    path = invitation_path(invitation)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = ("A" if token[0] != "A" else "B") + token[1:]

    assert client_of(paul).get(url("invitation-accept", tampered)).status_code == 404
    assert client_of(paul).post(url("invitation-accept", tampered)).status_code == 404
    assert not services.is_member(paul, invitation.commune)


def test_the_stored_digest_is_not_a_link(invitation, client_of):
    paul = make_user("paul@example.org", name="Paul Mensah", language="fr")
    invitation.refresh_from_db()

    response = client_of(paul).get(url("invitation-accept", invitation.token_digest))

    assert response.status_code == 404


def test_the_invited_person_accepts_through_the_link(invitation, world, client_of):
    paul = make_user("paul@example.org", name="Paul Mensah", language="fr")
    browser = client_of(paul)
    path = invitation_path(invitation)

    assert browser.get(path).status_code == 200
    response = browser.post(path)

    assert response.status_code == 302
    assert response["Location"] == world.partner.get_absolute_url()
    assert services.is_member(paul, world.partner)


def test_a_used_invitation_link_is_refused(invitation, world, client_of):
    paul = make_user("paul@example.org", name="Paul Mensah", language="en")
    path = invitation_path(invitation)
    client_of(paul).post(path)

    page = client_of(paul).get(path).content.decode()
    response = client_of(paul).post(path)

    assert "This invitation has expired or has already been used." in page
    assert "Accept the invitation" not in page
    assert response.status_code == 400


def test_an_expired_invitation_link_is_refused_and_says_so(invitation, client_of, monkeypatch):
    paul = make_user("paul@example.org", name="Paul Mensah", language="en")
    path = invitation_path(invitation)
    later = time.time() + timedelta(days=15).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: later)

    response = client_of(paul).post(path)

    assert response.status_code == 410
    assert "This link has expired." in response.content.decode()
    assert not services.is_member(paul, invitation.commune)


def test_a_resent_invitation_makes_the_old_link_not_found(invitation, world, client_of):
    paul = make_user("paul@example.org", name="Paul Mensah", language="fr")
    old = invitation_path(invitation)

    services.resend_invitation(invitation=invitation, by=world.alice)

    assert client_of(paul).get(old).status_code == 404
    assert client_of(paul).get(invitation_path(invitation)).status_code == 200


def test_someone_else_with_the_link_cannot_join_with_it(invitation, world, client_of):
    invitation.refresh_from_db()
    before = Invitation.objects.values().get(pk=invitation.pk)
    browser = client_of(world.bob)
    path = invitation_path(invitation)

    page = browser.get(path).content.decode()
    response = browser.post(path)

    assert "This link was sent to another email address" in page
    assert "Accept the invitation" not in page
    assert response.status_code == 400
    assert "This link was sent to another email address" in response.content.decode()
    assert not services.is_member(world.bob, world.partner)
    assert Invitation.objects.values().get(pk=invitation.pk) == before
