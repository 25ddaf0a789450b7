"""A commune member's communes are kept with the cached user (portal.registries.user_facts): a
membership given or taken, or a commune renamed, shows on the next page, and the EOI pages kept
per communes are never shown to somebody who is no longer a member."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from partnerships.models import CommuneMembership
from portal.auth_backends import user_cache_key

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def browser_of(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_a_member_taken_off_a_commune_loses_its_pages_at_once(complete_eoi, alice, german):
    browser = browser_of(alice)
    eoi_page = complete_eoi.get_absolute_url()
    # Each page once, so that the user and each page are kept.
    assert browser.get(eoi_page).status_code == 200
    assert complete_eoi.title in browser.get(reverse("partnerships:eoi-list")).content.decode()
    assert "Leipzig" in browser.get(reverse("dashboard")).content.decode()
    assert cache.get(user_cache_key(alice.pk)) is not None

    CommuneMembership.objects.get(user=alice, commune=german).delete()

    assert browser.get(eoi_page).status_code == 404
    assert complete_eoi.title not in browser.get(reverse("partnerships:eoi-list")).content.decode()
    dashboard = browser.get(reverse("dashboard")).content.decode()
    assert complete_eoi.title not in dashboard and "Leipzig" not in dashboard


def test_a_member_given_a_commune_sees_its_pages_at_once(complete_eoi, bob, other, german):
    browser = browser_of(bob)
    eoi_page = complete_eoi.get_absolute_url()
    assert browser.get(eoi_page).status_code == 404
    assert complete_eoi.title not in browser.get(reverse("partnerships:eoi-list")).content.decode()

    MembershipFactory(commune=german, user=bob)

    page = browser.get(eoi_page)
    assert page.status_code == 200
    # Bob, a member of both sides now (Leipzig and Bonn), is asked to confirm for Leipzig.
    assert "Waiting for your confirmation" in page.content.decode()
    assert complete_eoi.title in browser.get(reverse("partnerships:eoi-list")).content.decode()
    assert "Leipzig" in browser.get(reverse("dashboard")).content.decode()


def test_a_commune_renamed_shows_at_once_on_its_members_dashboard(alice, german):
    browser = browser_of(alice)
    assert "Leipzig" in browser.get(reverse("dashboard")).content.decode()

    german.name = "Leipzig-Mitte"
    german.save()

    assert "Leipzig-Mitte" in browser.get(reverse("dashboard")).content.decode()


def test_members_of_other_communes_are_not_shown_a_kept_page(complete_eoi, alice, bob, other):
    # Alice's page of the EOI is kept; Bob, a member of Bonn, asks for it after her.
    assert browser_of(alice).get(complete_eoi.get_absolute_url()).status_code == 200
    assert browser_of(bob).get(complete_eoi.get_absolute_url()).status_code == 404
