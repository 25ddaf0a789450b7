"""/healthz: what a load balancer or an uptime monitor asks the portal."""

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from portal.celery import app

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def real_broker(monkeypatch):
    """Celery sends tasks to a broker instead of running them in-process (as in production)."""
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    return lambda url: monkeypatch.setitem(app.conf, "broker_url", url)


def test_healthz_answers_200_with_the_state_of_each_part_when_all_is_well(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "eager"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_checks_a_real_broker_when_tasks_are_not_run_in_process(client, db, real_broker):
    real_broker("memory://")

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    down = OperationalError("could not connect to server")

    with mock.patch.object(connections["default"], "cursor", side_effect=down):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"] == "error"
    assert response.json()["checks"]["cache"] == "ok"


def test_healthz_answers_503_when_the_cache_is_down(client, db):
    dead_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }

    with override_settings(CACHES=dead_cache):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error"
    assert response.json()["checks"]["database"] == "ok"


def test_healthz_answers_503_when_the_broker_is_down(client, db, real_broker):
    real_broker(DEAD_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "error"
    assert response.json()["checks"]["database"] == "ok"
