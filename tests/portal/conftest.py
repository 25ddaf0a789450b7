import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.utils import translation


@pytest.fixture(autouse=True)
def fresh_cache():
    """Start every test with an empty cache, so that one test's failed logins do not rate-limit
    the next one."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # Not cache.clear(): that empties the whole Redis database, and with it the Celery queue
        # of a worker test running in parallel. Only this run's keys go.
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def default_language():
    """Leave no language active after a test: a request in French would otherwise stay French
    for the next test that renders without a request (RequestFactory, emails)."""
    yield
    translation.deactivate()
