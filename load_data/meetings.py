"""Each area's three meeting series over 3 years and 12 months ahead: the bi-monthly SEND
Health Café, the monthly intelligence-sharing meeting and the fortnightly SEND Panel, with
attendance, agendas, minutes, decisions, panel cases and actions.

Members are named in person, and the series have no chair role (the DCO chairs, as
meetings/rules.py allows). A role held anywhere in the region would otherwise make every
area's DCO a member of every area's series: one portal serves one local area, and the
load data keeps each area's meetings to its own people.
"""

from __future__ import annotations

import datetime

from load_data.common import Area, bulk, explicit_timestamps, fields_of
from meetings import recurrence
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingSeries,
    SeriesMember,
)
from roles.models import Role, RoleCode

# (kind, name, rule, start time, members, quorum, agenda titles)
SERIES = [
    (
        MeetingKind.HEALTH_CAFE,
        "{area} SEND Health Café",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU",
        datetime.time(10, 0),
        ("dco", "dmo", "clinical-lead", "forum", "sendiass"),
        3,
        [
            "Minutes of the last café and actions",
            "Waiting times for speech and language therapy",
            "What parents told SENDIASS",
            "Health advice timeliness: the last quarter",
            "Any other business",
        ],
    ),
    (
        MeetingKind.INTELLIGENCE_SHARING,
        "{area} intelligence sharing",
        "FREQ=MONTHLY;BYDAY=1WE",
        datetime.time(13, 30),
        ("dco", "clinical-lead", "sendiass"),
        2,
        [
            "Concerns logged this month",
            "Themes rising since last month",
            "Escalations and answers",
            "Any other business",
        ],
    ),
    (
        MeetingKind.SEND_PANEL,
        "{area} SEND Panel",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        datetime.time(9, 30),
        ("send-officer-1", "dco", "clinical-lead"),
        2,
        [],
    ),
]
MINUTES = (
    "Discussed the figures shared before the meeting. Families describe long waits and "
    "repeating their story to each service; health colleagues explained the current "
    "pathway and what has changed since the last meeting."
)
DECISIONS = [
    "Ask the ICB for the waiting-time figures by service for the next meeting.",
    "Share the post-diagnosis leaflet with the Parent Carer Forum.",
    "No further action: keep on the list for the next meeting.",
    "Write to the provider about the delay and report back.",
]
PANEL_DECISIONS = [
    "Agreed to assess",
    "Agreed to issue a plan",
    "Not agreed: support at SEN support with a review in 6 months",
    "Deferred: further health advice needed",
]
ACTIONS = [
    "Write to the ICB about the sleep pathway",
    "Share the waiting list figures with the Parent Carer Forum",
    "Check the school nursing care plans for residential trips",
    "Bring the CAMHS transition figures to the next meeting",
    "Ask the provider for a date for the missing advice",
]


def make_meetings(area: Area, assessments) -> dict:
    rng = area.rng
    today = area.today
    now = area.past_moment(today)
    people = area.people
    roles = {role.code: role for role in Role.objects.all()}
    with explicit_timestamps(*fields_of(MeetingSeries, "created_at")):
        series_list = bulk(
            MeetingSeries,
            [
                MeetingSeries(
                    area=area.local_area,
                    name=name.format(area=area.name),
                    kind=kind,
                    chair_role=None,
                    place=f"{rng.choice(area.names.towns)} Town Hall",
                    online_link="https://teams.example.nhs.uk/send-health",
                    start_time=start,
                    duration_minutes=120,
                    rrule=rule,
                    starts_on=area.starts_on,
                    quorum_minimum=quorum,
                    created_at=area.moment(area.starts_on),
                )
                for kind, name, rule, start, _, quorum, _ in SERIES
            ],
        )
    bulk(
        SeriesMember,
        [
            SeriesMember(series=series, user=people[key])
            for series, spec in zip(series_list, SERIES, strict=True)
            for key in spec[4]
        ],
    )
    panel = series_list[2]
    panel.required_roles.add(roles[RoleCode.CLINICAL_LEAD])

    meetings, by_series = [], {}
    for series in series_list:
        dates = recurrence.occurrence_dates(
            series.rrule,
            series.starts_on,
            series.start_time,
            until=today + recurrence.HORIZON,
        )
        mine = []
        for day in dates:
            starts_at = recurrence.local_start(day, series.start_time)
            meeting = Meeting(
                series=series,
                occurrence_date=day,
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(minutes=series.duration_minutes),
                place=series.place,
                online_link=series.online_link,
                calendar_uid=area.uuid(),
            )
            if starts_at < now:
                if rng.random() < 0.04:
                    meeting.status = Meeting.Status.CANCELLED
                    meeting.cancelled_reason = "Not quorate: too many apologies"
                else:
                    meeting.status = Meeting.Status.CLOSED
                    meeting.opened_at = starts_at
                    meeting.closed_at = meeting.ends_at
                    meeting.minutes_published_at = min(
                        meeting.ends_at + datetime.timedelta(days=rng.randint(1, 6)), now
                    )
            mine.append(meeting)
        held = [m for m in mine if m.status == Meeting.Status.CLOSED]
        if held and rng.random() < 0.5:
            held[-1].minutes_published_at = None  # the last minutes still to publish
        by_series[series.pk] = mine
        meetings.extend(mine)
    bulk(Meeting, meetings)

    # Minutes approved at the next meeting held.
    approved = []
    for mine in by_series.values():
        held = [m for m in mine if m.status == Meeting.Status.CLOSED]
        for earlier, later in zip(held, held[1:], strict=False):
            if earlier.minutes_published_at is not None:
                earlier.minutes_approved_at = later
                earlier.minutes_approved_on = later.occurrence_date
                approved.append(earlier)
    Meeting.objects.bulk_update(
        approved, ["minutes_approved_at", "minutes_approved_on"], batch_size=2000
    )

    codes = {key: [code.value] for key, code, *_ in _people_roles()}
    attendance, items, actions = [], [], []
    cases = sorted(assessments, key=lambda a: a.requested_on)
    for series, spec in zip(series_list, SERIES, strict=True):
        members = [people[key] for key in spec[4]]
        member_keys = spec[4]
        upcoming = [m for m in by_series[series.pk] if m.status == Meeting.Status.SCHEDULED]
        next_meeting = upcoming[0] if upcoming else None
        for meeting in by_series[series.pk]:
            is_held = meeting.status == Meeting.Status.CLOSED
            if is_held:
                for key, user in zip(member_keys, members, strict=True):
                    status = area.pick(
                        {
                            Attendance.Status.PRESENT: 85,
                            Attendance.Status.APOLOGIES: 10,
                            Attendance.Status.ABSENT: 5,
                        }
                    )
                    attendance.append(
                        Attendance(
                            meeting=meeting,
                            user=user,
                            is_core_member=True,
                            role_codes=codes[key],
                            status=status,
                            apologies_sent_at=meeting.starts_at - datetime.timedelta(days=2)
                            if status == Attendance.Status.APOLOGIES
                            else None,
                        )
                    )
                if rng.random() < 0.25:
                    attendance.append(
                        Attendance(
                            meeting=meeting,
                            guest_name=rng.choice(area.names.staff_names),
                            guest_organisation=area.organisations["council"].name,
                            status=Attendance.Status.PRESENT,
                        )
                    )
            elif meeting is next_meeting and rng.random() < 0.6:
                user = members[1]
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        user=user,
                        is_core_member=True,
                        role_codes=codes[member_keys[1]],
                        status=Attendance.Status.APOLOGIES,
                        apologies_sent_at=now,
                    )
                )
            if not (is_held or meeting is next_meeting):
                continue
            meeting_items = _agenda(area, meeting, spec, cases, is_held)
            items.extend(meeting_items)
            if is_held:
                for _ in range(rng.randint(0, 3)):
                    item = rng.choice(meeting_items)
                    due_on = meeting.occurrence_date + datetime.timedelta(
                        days=rng.choice((14, 21, 28, 42))
                    )
                    action = Action(
                        meeting=meeting,
                        agenda_item=item,
                        description=rng.choice(ACTIONS),
                        owner=rng.choice(members),
                        due_on=due_on,
                        created_at=meeting.ends_at,
                    )
                    if due_on < today - datetime.timedelta(days=14):
                        roll = rng.random()
                        if roll < 0.85:
                            action.status = Action.Status.DONE
                            action.completed_on = due_on - datetime.timedelta(
                                days=rng.randint(-10, 10)
                            )
                        elif roll < 0.9:
                            action.status = Action.Status.DROPPED
                    actions.append(action)
    bulk(Attendance, attendance)
    with explicit_timestamps(*fields_of(AgendaItem, "updated_at")):
        bulk(AgendaItem, items)
    with explicit_timestamps(*fields_of(Action, "created_at")):
        bulk(Action, actions)
    intelligence_meetings = [
        m
        for m in by_series[series_list[1].pk]
        if m.status in (Meeting.Status.CLOSED, Meeting.Status.SCHEDULED)
    ]
    return {
        "intelligence_meetings": intelligence_meetings,
        "meetings": len(meetings),
        "attendance": len(attendance),
        "agenda_items": len(items),
        "actions": len(actions),
    }


def _people_roles():
    from load_data.people import PEOPLE

    return PEOPLE


def _agenda(area: Area, meeting, spec, cases, is_held) -> list[AgendaItem]:
    rng = area.rng
    kind, titles = spec[0], spec[6]
    made = []
    if kind == MeetingKind.SEND_PANEL:
        # The cases requested in the weeks before the panel.
        day = meeting.occurrence_date
        recent = [a for a in cases if day - datetime.timedelta(weeks=8) <= a.requested_on <= day]
        chosen = rng.sample(recent, min(len(recent), rng.randint(2, 5)))
        for position, assessment in enumerate(chosen, start=1):
            made.append(
                AgendaItem(
                    meeting=meeting,
                    position=position,
                    title=f"Case {assessment.council_reference}: health advice and next steps",
                    presenter="SEND case officer",
                    minutes_allotted=15,
                    assessment=assessment,
                    minutes=MINUTES if is_held else "",
                    panel_decision=rng.choice(PANEL_DECISIONS) if is_held else "",
                    updated_at=meeting.ends_at if is_held else meeting.starts_at,
                )
            )
        if made:
            return made
        titles = ["Cases carried over", "Any other business"]
    for position, title in enumerate(titles, start=1):
        made.append(
            AgendaItem(
                meeting=meeting,
                position=position,
                title=title,
                presenter="",
                minutes_allotted=15,
                minutes=MINUTES if is_held else "",
                decision=rng.choice(DECISIONS) if is_held else "",
                updated_at=meeting.ends_at if is_held else meeting.starts_at,
            )
        )
    return made
