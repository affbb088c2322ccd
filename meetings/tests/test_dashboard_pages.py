"""The dashboard in pages of series, the soonest next meeting first: a region with hundreds
of series costs the same per page as an area with three."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import MeetingKind
from meetings.tests.factories import make_series
from meetings.views.dashboard import SERIES_PER_PAGE

pytestmark = pytest.mark.django_db


def _series(count, first_day, prefix="Series"):
    """``count`` four-weekly series, the n-th starting n days after ``first_day``."""
    return [
        make_series(
            name=f"{prefix} {n:02d}",
            kind=MeetingKind.OTHER,
            rrule="FREQ=WEEKLY;INTERVAL=4",
            starts_on=first_day + datetime.timedelta(days=n),
        )
        for n in range(count)
    ]


def test_the_dashboard_shows_a_page_of_series_the_soonest_meeting_first(client, dco):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _series(SERIES_PER_PAGE + 3, tomorrow)
    client.force_login(dco)

    first = client.get(reverse("meetings:dashboard"))
    second = client.get(reverse("meetings:dashboard"), {"page": 2})

    names = [s.name for s in first.context["series_list"]]
    assert names == [f"Series {n:02d}" for n in range(SERIES_PER_PAGE)]
    assert [s.name for s in second.context["series_list"]] == [
        f"Series {n:02d}" for n in range(SERIES_PER_PAGE, SERIES_PER_PAGE + 3)
    ]
    assert "Page 2 of 2" in first.content.decode()
    # A page past the end goes back to the first.
    assert client.get(reverse("meetings:dashboard"), {"page": 9}).status_code == 302


def test_a_page_of_series_costs_the_same_queries_however_many_series(client, dco):
    client.force_login(dco)

    def queries():
        client.get(reverse("meetings:dashboard"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("meetings:dashboard"))
        return len(captured)

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    _series(2, tomorrow)
    few = queries()
    _series(2 * SERIES_PER_PAGE, tomorrow + datetime.timedelta(days=3), prefix="Later")
    assert queries() == few
