"""Joining a commune as a person meets it: the sign-up asks for the name and the commune, the
commune list is searchable, names its communes with region and country and sorts them for the
reader's language, help names the programme team's address, and the person who confirms a
request sees who asks and what, and then what was decided for whom."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from partnerships import services
from partnerships.models import MembershipRequest
from portal.models import User
from tests.conftest import PASSWORD, make_user

from .factories import CommuneFactory
from .helpers import recipients

CONTACT = "team@programme.example"
SIGNUP = "/accounts/signup/"


@pytest.fixture(autouse=True)
def contact_address(settings):
    settings.PROGRAMME_CONTACT_EMAIL = CONTACT


@pytest.fixture
def carla(db):
    return make_user("carla@example.org", name="Carla Conrad")


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select)


# Sign-up


def sign_up(client, **extra):
    data = {
        "full_name": "Nina Neumann",
        "email": "nina@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post(SIGNUP, data)


def test_the_sign_up_asks_for_the_name_and_keeps_it(client, db):
    page = client.get(SIGNUP).content.decode()
    assert 'name="full_name"' in page and 'autocomplete="name"' in page

    response = sign_up(client)

    assert response.status_code == 302
    assert User.objects.get(email="nina@example.org").full_name == "Nina Neumann"


def test_the_sign_up_refuses_an_empty_name_and_keeps_what_was_typed(client, db):
    response = sign_up(client, full_name="", email="nina@example.org")

    assert response.status_code == 200
    assert 'value="nina@example.org"' in response.content.decode()
    assert not User.objects.filter(email="nina@example.org").exists()


def test_commune_staff_ask_to_join_at_sign_up_and_members_hear_once_the_address_is_confirmed(
    client, german, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, commune=german.pk, function="Referentin")

    nina = User.objects.get(email="nina@example.org")
    request = MembershipRequest.objects.get(user=nina)
    assert (request.commune, request.function, request.status) == (german, "Referentin", "pending")
    assert recipients(mailoutbox) == ["nina@example.org"]  # only the verification link

    address = EmailAddress.objects.get(user=nina)
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S*)", mailoutbox[0].body)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link.group(1))

    address.refresh_from_db()
    assert address.verified
    assert [m.to for m in mailoutbox[1:]] == [["alice@example.org"]]
    assert "Nina Neumann (nina@example.org) asks to join Leipzig" in mailoutbox[1].body
    assert "Referentin" in mailoutbox[1].body


def test_a_commune_at_sign_up_needs_the_function(client, german):
    response = sign_up(client, commune=german.pk, function="")

    assert response.status_code == 200
    assert "Please tell us your function in the commune." in response.content.decode()
    assert not User.objects.filter(email="nina@example.org").exists()


def test_experts_sign_up_without_a_commune(client, german):
    sign_up(client)

    assert not MembershipRequest.objects.exists()


# The commune list


def test_the_commune_picker_names_region_and_country_and_sorts_for_the_reader(client_of, carla):
    for name, country, region in [
        ("Zinder", "NE", "Zinder"),
        ("Ocotal", "NI", "Nueva Segovia"),
        ("Ñemby", "PY", "Central"),
        ("Nueva Guinea", "NI", "Costa Caribe Sur"),
        ("Ébolowa", "CM", "Sud"),
        ("Kairouan", "TN", "Kairouan"),
    ]:
        CommuneFactory(name=name, country=country, region=region)
    carla.language = "es"
    carla.save()

    page = client_of(carla).get(reverse("partnerships:commune-list")).content.decode()

    assert options(page, "commune") == [
        "Ébolowa — Sud, Camerún",
        "Kairouan — Kairouan, Túnez",
        "Nueva Guinea — Costa Caribe Sur, Nicaragua",
        "Ñemby — Central, Paraguay",
        "Ocotal — Nueva Segovia, Nicaragua",
        "Zinder — Zinder, Níger",
    ]
    assert 'data-searchable="single"' in page


def test_the_commune_list_tells_where_to_write_when_a_commune_is_missing(client_of, carla):
    page = client_of(carla).get(reverse("partnerships:commune-list")).content.decode()

    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in page
    assert f"Write to the programme team at {CONTACT}" in page


def test_every_page_names_the_programme_team_address_in_its_footer(client, db):
    page = client.get(reverse("home")).content.decode()

    footer = page[page.index("<footer") :]
    assert f'href="mailto:{CONTACT}"' in footer


def test_the_refusal_email_gives_the_programme_team_address(
    carla, german, alice, mailoutbox, django_capture_on_commit_callbacks
):
    request = services.request_membership(user=carla, commune=german, function="Clerk")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_membership_request(membership_request=request, by=alice)

    assert CONTACT in mailoutbox[-1].body


# Deciding a request


@pytest.fixture
def waiting(carla, german):
    return services.request_membership(
        user=carla,
        commune=german,
        function="Head of the climate office",
        message="I took over from Mr Weber in May.",
    )


def test_the_member_who_decides_sees_the_name_email_function_and_message(alice_client, waiting):
    page = alice_client.get(waiting.commune.get_absolute_url()).content.decode()

    assert "Carla Conrad" in page
    assert 'href="mailto:carla@example.org"' in page
    assert "Head of the climate office" in page
    assert "I took over from Mr Weber in May." in page
    assert "Confirm Carla Conrad" in page and "Refuse Carla Conrad" in page


def test_the_request_email_carries_the_message(
    carla, german, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_membership(
            user=carla, commune=german, function="Clerk", message="Mr Weber sent me."
        )

    assert "Mr Weber sent me." in mailoutbox[0].body
    assert "Clerk" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("decision", "said"),
    [
        ("confirm", "Carla Conrad (carla@example.org) is now a member of Leipzig"),
        ("refuse", "You refused the request of Carla Conrad (carla@example.org) to join Leipzig"),
    ],
)
def test_after_deciding_the_member_reads_what_was_decided_for_whom(
    alice_client, waiting, decision, said
):
    url = reverse("partnerships:membership-request-decide", args=[waiting.pk, decision])

    # Refusing asks first: the post carries the confirmation page's answer.
    page = alice_client.post(url, {"confirm": "yes"}, follow=True).content.decode()

    assert said in page
    assert "The request has been decided." not in page


def test_someone_of_another_commune_cannot_see_or_decide_the_request(
    client_of, bob, other, waiting
):
    browser = client_of(bob)

    assert browser.get(waiting.commune.get_absolute_url()).status_code == 404
    url = reverse("partnerships:membership-request-decide", args=[waiting.pk, "confirm"])
    assert browser.post(url).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == MembershipRequest.Status.PENDING
