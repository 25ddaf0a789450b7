"""Every page's header and footer are kept in each process per language and menu (base.html's
`{% cache %}` parts): each person still gets their own menu and their own form tokens, whoever
came before."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def page(user, url="/") -> str:
    browser = Client()
    if user is not None:
        browser.force_login(user)
    response = browser.get(url)
    assert response.status_code == 200
    return response.content.decode()


def tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_each_person_gets_their_own_menu_whoever_came_before(alice, erin, sam):
    for_visitor = page(None)
    for_alice = page(alice)
    # No role yet: as an expert but for the expert's entries.
    for_nora = page(make_user("nora@example.org", name="Nora Newman"))
    for_erin = page(erin)
    for_sam = page(sam)

    assert "Log in" in for_visitor and "Log out" not in for_visitor
    assert "Log out" in for_alice and "Log in" not in for_alice
    assert "My communes" in for_alice and "My expert profile" not in for_alice
    assert "My expert profile" in for_erin and "My communes" not in for_erin
    assert "My expert profile" not in for_nora
    assert "Administration" in for_sam and "Administration" not in for_alice + for_erin


def test_the_menu_marks_the_page_shown_and_speaks_the_persons_language(alice):
    vacancies = reverse("placements:vacancy-list")
    missions = page(alice, reverse("placements:mission-list"))
    listing = page(alice, vacancies)
    pierre = make_user("pierre@example.org", name="Pierre Agbeko", language="fr")
    in_french = page(pierre)

    current = f'href="{vacancies}" aria-current="page"'
    assert current in listing and current not in missions
    assert "Se déconnecter" in in_french
    assert 'lang="fr"' in in_french and "Log out" not in in_french


def test_the_form_tokens_and_the_way_back_are_each_requests_own(alice, erin):
    for_alice = page(alice)
    for_erin = page(erin, reverse("placements:vacancy-list") + "?page=1")

    # The language form and the logout form, each with a token of the person's session.
    assert len(tokens(for_alice)) == 2 and len(tokens(for_erin)) == 2
    assert not set(tokens(for_alice)) & set(tokens(for_erin))
    assert 'name="next" type="hidden" value="/vacancies/?page=1"' in for_erin
