"""The cache starts empty in every test (the autouse ``fresh_cache`` fixture of this folder)."""

import time

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from portal.ratelimit import allow, ratelimit


@ratelimit("test-form", limit=2, period=60)
def tiny_view(request):
    return HttpResponse("ok")


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, whatever language an earlier test left active."""
    with translation.override("en"):
        yield


def test_allow_counts_up_to_the_limit():
    assert [allow("rl:test:a", limit=3, period=60) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_allow_counts_each_key_separately():
    assert allow("rl:test:a", limit=1, period=60)
    assert not allow("rl:test:a", limit=1, period=60)

    assert allow("rl:test:b", limit=1, period=60)


def test_allow_starts_again_when_the_window_is_over():
    assert allow("rl:test:a", limit=1, period=60)
    assert not allow("rl:test:a", limit=1, period=60)

    # The window is the key's lifetime in the cache; the cache drops it when the window ends.
    cache.delete("rl:test:a")

    assert allow("rl:test:a", limit=1, period=60)


def test_the_window_opened_by_the_first_hit_lasts_the_period():
    allow("rl:test:ttl", limit=5, period=60)
    allow("rl:test:ttl", limit=5, period=60)  # a later hit does not stretch the window
    backend = caches["default"]
    key = backend.make_and_validate_key("rl:test:ttl")
    if isinstance(backend, RedisCache):
        remaining = backend._cache.get_client().ttl(key)
    else:
        remaining = backend._expire_info[key] - time.time()
    assert 0 < remaining <= 60


@pytest.mark.django_db
def test_a_user_posting_too_often_gets_the_friendly_429_page(alice):
    factory = RequestFactory()

    def post():
        request = factory.post("/form/")
        request.user = alice
        return tiny_view(request)

    assert [post().status_code for _ in range(3)] == [200, 200, 429]
    response = post()
    assert response.status_code == 429
    assert b"Too many requests" in response.content
    assert b"You have sent this form too often in a short time." in response.content
    assert response["Retry-After"] == "60"


@pytest.mark.django_db
def test_the_limit_is_per_user(alice, bob):
    factory = RequestFactory()
    for _ in range(2):
        request = factory.post("/form/")
        request.user = alice
        tiny_view(request)

    request = factory.post("/form/")
    request.user = bob
    assert tiny_view(request).status_code == 200


def test_logged_out_visitors_are_counted_by_ip_address():
    factory = RequestFactory()
    responses = [
        tiny_view(factory.post("/form/", REMOTE_ADDR="192.0.2.1")).status_code for _ in range(3)
    ]

    assert responses == [200, 200, 429]
    assert tiny_view(factory.post("/form/", REMOTE_ADDR="192.0.2.2")).status_code == 200


def test_get_requests_are_not_limited():
    factory = RequestFactory()

    assert {tiny_view(factory.get("/form/")).status_code for _ in range(5)} == {200}
