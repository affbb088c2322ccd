"""The report's cached figures: shared through Redis, and never in the way when it is down."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.cache import caches

from intelligence import report
from intelligence.models import ConcernSource, Theme
from intelligence.services import log_concern
from tests import redis_server
from tests.factories import the_test_area

D = datetime.date
PERIOD = report.Period(D(2025, 4, 1), D(2025, 6, 30))
TODAY = D(2025, 8, 1)

#: Nothing listens on port 1 of the loopback: every cache call fails at once.
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/1",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def log_one(user):
    theme, _ = Theme.objects.get_or_create(name="Waiting times")
    return log_concern(
        area=the_test_area(),
        raised_on=D(2025, 5, 1),
        source=ConcernSource.SENDIASS,
        summary="Parents waited a long time.",
        themes=[theme],
        logged_by=user,
    )


@pytest.mark.django_db
def test_with_the_cache_down_concerns_are_still_logged_and_the_report_still_shown(
    settings, sendiass_officer, commissioner, client, caplog
):
    settings.CACHES = UNREACHABLE_REDIS
    log_one(sendiass_officer)  # saving one marks the figures as changed: a cache call
    assert report.cached_report(PERIOD, TODAY, areas=None)["concerns"]["total"] == 1
    log_one(sendiass_officer)
    assert report.cached_report(PERIOD, TODAY, areas=None)["concerns"]["total"] == 2
    client.force_login(commissioner)
    response = client.get("/intelligence/reports/", {"start": "2025-04-01", "end": "2025-06-30"})
    assert response.status_code == 200
    assert response.context["concerns"]["total"] == 2
    assert "report cache out of reach" in caplog.text


REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.mark.django_db
@pytest.mark.skipif(
    not redis_server.reachable(REDIS_URL), reason="needs a Redis server at REDIS_URL (CI has one)"
)
def test_a_change_saved_by_one_worker_is_seen_by_the_others_at_once(settings, sendiass_officer):
    from urllib.parse import urlsplit, urlunsplit

    # A database of this test process's own, as the settings choose one apart from Celery's.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    db = 2 + int(worker.removeprefix("gw") or 0) % 10
    location = urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{db}"))
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}
    }
    caches["default"].clear()
    first = report.cached_report(PERIOD, TODAY, areas=None)["concerns"]["total"]

    # Another worker: a client of its own to the same Redis, as another process has.
    other_worker = caches.create_connection("default")
    assert other_worker is not caches["default"]
    generation = other_worker.get(report._GENERATION_KEY)

    log_one(sendiass_officer)  # saved in "this" worker

    assert other_worker.get(report._GENERATION_KEY) > generation
    assert report.cached_report(PERIOD, TODAY, areas=None)["concerns"]["total"] == first + 1
    caches["default"].clear()
