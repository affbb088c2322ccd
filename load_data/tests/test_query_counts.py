"""Queries per request on the benchmarked pages stay the same as the data grows.

Each page is opened with load data at two sizes (a small area, and one three times its
size) and the queries of one request are counted (not timed). A page that starts querying
in a loop, or gains a query, fails here before it is slow in production. The ceilings are
the counts measured today, per-request costs included (the session, the user, their roles,
the notification count: 4 of them; the session is saved at most once a minute when nothing
in it changed, so not on these requests).
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ehcp.models import Plan
from load_data.generator import generate
from load_data.people import email
from roles.models import User

SIZES = (0.03, 0.09)


def _signed_plan() -> str:
    """A plan with every part its page shows: returned once, then signed, and reviewed.
    (A plan without returns or reviews needs fewer queries: counts compare like with like.)"""
    plan = (
        Plan.objects.filter(status=Plan.Status.SIGNED_OFF, versions__returns__isnull=False)
        .filter(quality_reviews__isnull=False)
        .order_by("pk")
        .first()
    )
    assert plan is not None, "the load data has no plan returned, signed and reviewed"
    return f"/plans/{plan.pk}/"


# page: (who, path, most queries allowed)
PAGES = {
    "admin changelist of plans": ("dmo", lambda: "/bench/admin/ehcp/plan/", 5),
    # The waiting versions' quality findings are known by their text's hash once a process
    # has read it (ehcp.selectors.with_quality_status): one query more the first time only.
    "DMO sign-off queue": ("dmo", lambda: "/sign-off/", 6),
    "DMO home page": ("dmo", lambda: "/", 6),
    "DCO home page": ("dco", lambda: "/", 5),
    "DCO meetings dashboard": ("dco", lambda: "/meetings/dashboard/", 13),
    # 10th: findings acknowledged at sign-off; the reviews are listed by grade, their ratings
    # not read (the checklist's page shows them).
    "plan page": ("dmo", _signed_plan, 10),
    "commissioner report": ("commissioner", lambda: "/intelligence/reports/", 14),
}
#: The report again, its figures reused from the cache (intelligence.report.cached_report):
#: only the per-request queries are left.
CACHED_REPORT_CEILING = 3


class Rollback(Exception):
    pass


def _queries_at(scale: float) -> dict[str, int]:
    counts = {}
    try:
        with transaction.atomic():
            generate(scale, seed=11)
            for page, (who, path, _) in PAGES.items():
                client = Client()
                client.force_login(User.objects.get(email=email(who, 1)))
                url = path()
                client.get(url)  # a session's first request writes more than the rest
                cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                assert response.status_code == 200, (page, response.status_code)
                counts[page] = len(captured)
                if page == "commissioner report":
                    with CaptureQueriesContext(connection) as captured:
                        client.get(url)
                    counts["commissioner report, cached"] = len(captured)
            raise Rollback
    except Rollback:
        pass
    return counts


_measured: dict[float, dict[str, int]] = {}


@pytest.fixture
def counts(db):
    """Measured once for the module (each size's data is rolled back after counting)."""
    for scale in SIZES:
        if scale not in _measured:
            _measured[scale] = _queries_at(scale)
    return _measured


@pytest.mark.urls("load_data.tests.urls_with_bench")
@pytest.mark.parametrize("page", list(PAGES))
def test_queries_do_not_grow_with_the_data(counts, page):
    small, large = (counts[scale][page] for scale in SIZES)
    assert small == large, f"{page}: {small} queries with less data, {large} with more"


@pytest.mark.urls("load_data.tests.urls_with_bench")
@pytest.mark.parametrize("page", list(PAGES))
def test_queries_stay_within_the_page_ceiling(counts, page):
    ceiling = PAGES[page][2]
    assert counts[SIZES[-1]][page] <= ceiling, counts[SIZES[-1]]


@pytest.mark.urls("load_data.tests.urls_with_bench")
def test_the_report_served_again_makes_only_the_per_request_queries(counts):
    for scale in SIZES:
        assert counts[scale]["commissioner report, cached"] <= CACHED_REPORT_CEILING
