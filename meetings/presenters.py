"""What the meetings pages show, shaped for their templates: the DCO's dashboard, a
meeting's page (and its minutes PDF) and a person's "My meetings".

The pages read through ``meetings.selectors`` and judge quorum with
``meetings.services.quorum``; this module puts the answers together so the views only
ask for the page and render it, and the templates read plain attributes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import prefetch_related_objects
from django.utils import timezone

from ehcp import selectors as ehcp_selectors
from meetings import selectors, services
from meetings.models import Action, AgendaItem, Attendance, Meeting, MeetingSeries, Paper
from roles.models import RoleCode
from send_portal.london_time import LONDON, long_date
from send_portal.paging import page_with_total

ROLE_NAMES = dict(RoleCode.choices)

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


# --- A meeting's page and its minutes PDF ------------------------------------------------

#: Tag colours of the meeting's status (NHS.UK tag modifiers).
STATUS_COLOURS = {
    Meeting.Status.SCHEDULED: "blue",
    Meeting.Status.CANCELLED: "red",
    Meeting.Status.IN_PROGRESS: "green",
    Meeting.Status.CLOSED: "grey",
}
ATTENDANCE_COLOURS = {
    Attendance.Status.EXPECTED: "grey",
    Attendance.Status.PRESENT: "green",
    Attendance.Status.APOLOGIES: "yellow",
    Attendance.Status.ABSENT: "red",
}


def meeting_tags(meeting: Meeting) -> list[tuple[str, str]]:
    """(label, colour) of the NHS.UK tags that describe a meeting's state."""
    tags = [(meeting.get_status_display(), STATUS_COLOURS[meeting.status])]
    if meeting.moved and not meeting.is_cancelled:
        tags.append(("Moved", "orange"))
    return tags


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    organisation: str
    roles: str
    status: str
    status_label: str
    colour: str
    is_guest: bool
    is_you: bool

    @classmethod
    def of(cls, attendance: Attendance, user) -> AttendanceRow:
        return cls(
            name=attendance.name,
            organisation=attendance.guest_organisation,
            roles=", ".join(ROLE_NAMES.get(code, code) for code in attendance.role_codes),
            status=attendance.status,
            status_label=attendance.get_status_display(),
            colour=ATTENDANCE_COLOURS.get(attendance.status, "grey"),
            is_guest=not attendance.user_id,
            is_you=attendance.user_id == user.pk,
        )


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    planned_start: datetime.datetime
    case: ehcp_selectors.PanelCaseSummary | None
    shows_child: bool
    papers: list

    @property
    def case_label(self) -> str:
        if self.case is None:
            return ""
        return self.case.child_name if self.shows_child else f"Case {self.case.reference}"


@dataclass
class MeetingRecord:
    """What a meeting's page and its minutes PDF show, and what the viewer may do there."""

    meeting: Meeting
    starts: datetime.datetime
    ends: datetime.datetime
    tags: list[tuple[str, str]]
    agenda: list[AgendaRow]
    papers: list[Paper]
    attendance: list[AttendanceRow]
    quorum: services.Quorum | None
    quorum_is_forecast: bool
    minutes_visible: bool
    own_attendance: Attendance | None
    may: dict[str, bool] = field(default_factory=dict)

    @property
    def minutes_state(self) -> str:
        meeting = self.meeting
        if meeting.minutes_approved_at_id:
            on = meeting.minutes_approved_on
            approved_on = f" on {long_date(on)}" if on else ""
            return f"Approved at the meeting {meeting.minutes_approved_at}{approved_on}"
        if meeting.minutes_published_at:
            published = long_date(meeting.minutes_published_at)
            return f"Published on {published}: draft until approved at the next meeting"
        if meeting.status == Meeting.Status.CLOSED:
            return "Draft: not yet published to members"
        if meeting.status == Meeting.Status.IN_PROGRESS:
            return "Draft: being taken during the meeting"
        return "Not taken yet"

    @property
    def minutes_label(self) -> str:
        """Short form for the PDF's running footer."""
        if self.meeting.minutes_approved_at_id:
            return f"Approved at {self.meeting.minutes_approved_at}"
        if self.meeting.minutes_published_at:
            return "Published draft"
        return "Draft"

    @property
    def has_record(self) -> bool:
        return self.meeting.status in (Meeting.Status.IN_PROGRESS, Meeting.Status.CLOSED)

    def attendance_with(self, *statuses: str, guests: bool | None = None) -> list[AttendanceRow]:
        return [
            row
            for row in self.attendance
            if row.status in statuses and (guests is None or row.is_guest == guests)
        ]

    @property
    def present(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.PRESENT, guests=False)

    @property
    def guests(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.PRESENT, guests=True)

    @property
    def apologies(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.APOLOGIES)

    @property
    def absent(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.ABSENT)

    @property
    def not_recorded(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.EXPECTED)

    @property
    def panel_items(self) -> list[AgendaRow]:
        return [row for row in self.agenda if row.case is not None]

    @property
    def actions(self):
        return self.meeting.actions.all()


#: What a meeting's page offers, each the permission (meetings/rules.py) that says whether
#: the viewer may do it to this meeting now.
PAGE_OFFERS = {
    "chair": "meetings.chair_meeting_now",
    # Moving and cancelling are the chair's (meetings/views/series.py asks the same).
    "manage": "meetings.rearrange_meeting",
    "publish": "meetings.publish_minutes",
    "edit_agenda": "meetings.edit_agenda_now",
    "send_apologies": "meetings.send_apologies_now",
}


def meeting_record(meeting: Meeting, user, now: datetime.datetime | None = None) -> MeetingRecord:
    """The page's view of ``meeting`` (from selectors.meeting_for_page) for ``user``.

    A fixed number of queries however long the agenda and the attendance list: the
    quorum's required roles, the forecast (before the meeting), who uploaded the papers,
    the panel cases and which of their children the viewer may see.
    """
    now = now or timezone.now()
    items = list(meeting.agenda_items.all())
    papers = list(meeting.papers.all())
    prefetch_related_objects(papers, "uploaded_by")
    papers.sort(key=lambda p: (p.uploaded_at, p.pk))

    cases = ehcp_selectors.panel_case_summaries(i.assessment_id for i in items)
    visible_children = ehcp_selectors.visible_child_ids(user, (c.child_id for c in cases.values()))
    papers_by_item: dict[int, list[Paper]] = {}
    for paper in papers:
        papers_by_item.setdefault(paper.agenda_item_id, []).append(paper)
    agenda, start = [], timezone.localtime(meeting.starts_at, LONDON)
    for item in items:
        case = cases.get(item.assessment_id)
        agenda.append(
            AgendaRow(
                item=item,
                planned_start=start,
                case=case,
                shows_child=case is not None and case.child_id in visible_children,
                papers=papers_by_item.get(item.pk, []),
            )
        )
        start += datetime.timedelta(minutes=item.minutes_allotted)

    quorum, forecast = None, False
    if meeting.status == Meeting.Status.SCHEDULED:
        attendance = selectors.attendance_forecast([meeting])[meeting.pk]
        quorum, forecast = services.quorum(meeting, attendance, forecast=True), True
    else:
        attendance = list(meeting.attendance.all())
        if meeting.status != Meeting.Status.CANCELLED:
            quorum = services.quorum(meeting, attendance)
    own = next((a for a in attendance if a.user_id == user.pk and a.pk), None)

    can_chair = user.has_perm("meetings.chair_meeting", meeting)
    may = {offer: user.has_perm(permission, meeting) for offer, permission in PAGE_OFFERS.items()}
    # Minutes go out only once the meeting's time has come (services.publish_minutes).
    may["publish_now"] = services.has_started(meeting, now)
    may["view_actions"] = user.has_perm("meetings.view_actions")
    may["manage_series"] = user.has_perm("meetings.manage_series")
    return MeetingRecord(
        meeting=meeting,
        starts=timezone.localtime(meeting.starts_at, LONDON),
        ends=timezone.localtime(meeting.ends_at, LONDON),
        tags=meeting_tags(meeting),
        agenda=agenda,
        papers=papers,
        attendance=[AttendanceRow.of(a, user) for a in attendance],
        quorum=quorum,
        quorum_is_forecast=forecast,
        minutes_visible=bool(meeting.minutes_published_at) or can_chair,
        own_attendance=own,
        may=may,
    )


# --- My meetings ------------------------------------------------------------------------


@dataclass(frozen=True)
class MyMeetingRow:
    meeting: Meeting
    starts: datetime.datetime
    ends: datetime.datetime
    tags: list[tuple[str, str]]
    sent_apologies: bool
    may_change_apologies: bool


def my_meeting_rows(meetings: list[Meeting], user, now: datetime.datetime) -> list[MyMeetingRow]:
    """A row of "My meetings" for each of ``meetings`` (one page): when, its tags, and
    whether ``user`` sent apologies and may still change them. One query for the page."""
    own = selectors.own_attendance(user, [meeting.pk for meeting in meetings])
    return [
        MyMeetingRow(
            meeting=meeting,
            starts=timezone.localtime(meeting.starts_at, LONDON),
            ends=timezone.localtime(meeting.ends_at, LONDON),
            tags=meeting_tags(meeting),
            sent_apologies=meeting.pk in own
            and own[meeting.pk].status == Attendance.Status.APOLOGIES,
            may_change_apologies=services.takes_apologies(meeting, now),
        )
        for meeting in meetings
    ]
