"""What the DCO's meetings dashboard shows, shaped for its template.

The dashboard reads through ``meetings.selectors`` and judges quorum with
``meetings.services.quorum``; this module puts the answers together so the view only
asks for the page and renders it, and the template reads plain attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Page

from meetings import selectors, services
from meetings.models import Action, Attendance, Meeting, MeetingSeries
from send_portal.paging import page_with_total

#: Series on one page of the dashboard: a region can have hundreds.
SERIES_PER_PAGE = 10
#: The dashboard names this many meetings whose minutes are still to publish.
AWAITING_SHOWN = 10
#: The dashboard lists this many open actions, the earliest due first.
OPEN_ACTIONS_SHOWN = 10


@dataclass(frozen=True)
class NextMeeting:
    """A series' next meeting as its card shows it: who is expected, who sent apologies,
    and whether it will be quorate if everyone else comes."""

    meeting: Meeting
    expected: list[Attendance]
    forecast: services.Quorum

    @property
    def apologies_from(self) -> list[Attendance]:
        return [person for person in self.expected if person.status == Attendance.Status.APOLOGIES]


@dataclass(frozen=True)
class SeriesCard:
    series: MeetingSeries
    next: NextMeeting | None


@dataclass(frozen=True)
class MeetingsDashboard:
    series_cards: list[SeriesCard]
    series_page: Page
    actions: list[Action]
    open_action_count: int
    awaiting_minutes: list[Meeting]
    awaiting_minutes_count: int
    failed_reminders: list = field(default_factory=list)


def series_cards(page_number: int, areas) -> tuple[list[SeriesCard], Page]:
    """One page of the active series, the soonest next meeting first, each with its next
    meeting's forecast: the series' count comes with their rows, so no separate count."""
    series = selectors.series_with_next_meeting(
        areas, offset=(page_number - 1) * SERIES_PER_PAGE, limit=SERIES_PER_PAGE
    )
    page = page_with_total(
        series, page_number, SERIES_PER_PAGE, total=series[0].series_count if series else 0
    )
    forecast = selectors.attendance_forecast([s.next_meeting for s in series if s.next_meeting])
    cards = []
    for item in series:
        meeting = item.next_meeting
        upcoming = None
        if meeting is not None:
            expected = forecast[meeting.pk]
            upcoming = NextMeeting(
                meeting, expected, services.quorum(meeting, expected, forecast=True)
            )
        cards.append(SeriesCard(item, upcoming))
    return cards, page


def meetings_dashboard(page_number: int, areas) -> MeetingsDashboard | None:
    """The dashboard of the areas ``areas`` (ids) with page ``page_number`` of their series;
    None for a page past the last
    (a link made before series ended), read no further."""
    cards, page = series_cards(page_number, areas)
    if not cards and page_number > 1:
        return None
    actions, open_count = selectors.first_open_actions(OPEN_ACTIONS_SHOWN, areas)
    awaiting, waiting = selectors.longest_awaiting_minutes(AWAITING_SHOWN, areas)
    return MeetingsDashboard(
        series_cards=cards,
        series_page=page,
        actions=actions,
        open_action_count=open_count,
        awaiting_minutes=awaiting,
        awaiting_minutes_count=waiting,
        failed_reminders=selectors.failed_reminders(areas, limit=10),
    )
