"""The dashboard in pages of series, the soonest next meeting first: a region with hundreds
of series costs the same per page as an area with three."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meetings.models import MeetingKind
from meetings.presenters import SERIES_PER_PAGE
from meetings.tests.factories import make_series

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

    names = [card.series.name for card in first.context["dashboard"].series_cards]
    assert names == [f"Series {n:02d}" for n in range(SERIES_PER_PAGE)]
    assert [card.series.name for card in second.context["dashboard"].series_cards] == [
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


def test_minutes_to_publish_name_the_longest_waiting_and_how_many_wait_in_all(client, dco):
    from meetings.models import Meeting
    from meetings.presenters import AWAITING_SHOWN

    series = make_series(name="Weekly", kind=MeetingKind.OTHER, rrule="FREQ=WEEKLY")
    # Closed (the status is what counts here, not the date), the first closed first.
    closed = list(series.meetings.order_by("starts_at"))[: AWAITING_SHOWN + 2]
    for n, meeting in enumerate(closed):
        Meeting.objects.filter(pk=meeting.pk).update(
            status=Meeting.Status.CLOSED, closed_at=meeting.starts_at + datetime.timedelta(hours=n)
        )
    client.force_login(dco)

    response = client.get(reverse("meetings:dashboard"))

    shown = response.context["dashboard"].awaiting_minutes
    assert [m.pk for m in shown] == [m.pk for m in closed[:AWAITING_SHOWN]]
    assert response.context["dashboard"].awaiting_minutes_count == AWAITING_SHOWN + 2
    assert (
        f"The {AWAITING_SHOWN} waiting longest of {AWAITING_SHOWN + 2} closed meetings"
        in response.content.decode()
    )
