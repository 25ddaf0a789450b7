"""The session store reads a logged-in request's session and its cached user in one round trip
to the cache (portal.sessions), and hands that user to nobody else."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from portal import roles
from portal.auth_backends import ModelBackend, user_cache_key
from portal.sessions import read_with_session

pytestmark = pytest.mark.django_db

PAGE = "/account/settings/"


@pytest.fixture
def cache_reads(monkeypatch):
    """The keys of each read of the cache, one list per round trip."""
    reads = []
    get, get_many = cache.get, cache.get_many
    inside_many = []

    def one(key, *args, **kwargs):
        # The local-memory cache's get_many calls get for each key: one read all the same.
        if not inside_many:
            reads.append([key])
        return get(key, *args, **kwargs)

    def many(keys, *args, **kwargs):
        reads.append(list(keys))
        inside_many.append(True)
        try:
            return get_many(keys, *args, **kwargs)
        finally:
            inside_many.pop()

    monkeypatch.setattr(cache, "get", one)
    monkeypatch.setattr(cache, "get_many", many)
    return reads


def test_a_logged_in_request_reads_its_session_and_user_in_one_round_trip(alice, cache_reads):
    browser = Client()
    browser.force_login(alice)
    assert browser.get(PAGE).status_code == 200

    cache_reads.clear()
    assert browser.get(PAGE).status_code == 200

    user_key = user_cache_key(alice.pk)
    together = [keys for keys in cache_reads if user_key in keys]
    assert len(together) == 1 and len(together[0]) == 2
    assert together[0][0].endswith(browser.session.session_key)


def test_a_role_taken_away_counts_at_the_next_request(alice):
    alice.groups.add(Group.objects.get(name=roles.APPLICANT))
    browser = Client()
    browser.force_login(alice)
    assert browser.get("/dashboard/").context["is_applicant"]
    assert browser.get("/dashboard/").context["is_applicant"]

    alice.groups.remove(Group.objects.get(name=roles.APPLICANT))

    assert not browser.get("/dashboard/").context["is_applicant"]


def test_the_user_read_with_a_session_is_given_only_for_its_own_key(alice, bob):
    browser = Client()
    browser.force_login(alice)
    browser.get(PAGE)
    alice_as_cached = cache.get(user_cache_key(alice.pk))
    assert alice_as_cached is not None

    read_with_session.set(alice_as_cached)
    assert ModelBackend().get_user(bob.pk) == bob
    # Taken once, whoever asked.
    assert read_with_session.get() is None


def test_a_deactivated_user_is_logged_out_at_the_next_request(alice):
    browser = Client()
    browser.force_login(alice)
    assert browser.get(PAGE).status_code == 200
    assert browser.get(PAGE).status_code == 200

    alice.is_active = False
    alice.save()

    assert browser.get(PAGE).status_code == 302
