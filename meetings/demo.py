"""Demo meeting series for South Tyneside (the Health Café, intelligence sharing and the
panel) and for Sunderland (its Health Café, chaired by Sunderland's DCO: the DCO role of the
series' area chairs it).

The next Health Café is put three days after the day the demo is loaded (its rule
is written for that weekday), so its reminders go out from the running worker and
beat straight away; the DMO has sent apologies. An earlier café is held, with
minutes published and actions, one of them overdue. Idempotent: each series is made
once, by name.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from meetings import services
from meetings.models import Action, AgendaItem, MeetingKind, MeetingSeries, SeriesMember
from roles.demo import PEOPLE, SOUTH_TYNESIDE, SUNDERLAND, demo_area, demo_email
from roles.models import Role, RoleCode, User

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _nth_weekday_rule(day: datetime.date, interval_months: int) -> str:
    nth = (day.day - 1) // 7 + 1
    ordinal = "-1" if nth == 5 else str(nth)
    return f"FREQ=MONTHLY;INTERVAL={interval_months};BYDAY={ordinal}{WEEKDAYS[day.weekday()]}"


def _user(local_part: str) -> User:
    person = next(p for p in PEOPLE if p.local_part == local_part)
    return User.objects.get(email=demo_email(person))


def _series(
    name,
    kind,
    chair,
    rrule,
    starts_on,
    start_time,
    member_roles,
    quorum,
    required=(),
    area=SOUTH_TYNESIDE,
    place="Jarrow Focus, Cambrian Street, Jarrow NE32 3QN",
):
    series = MeetingSeries.objects.create(
        area=demo_area(area),
        name=name,
        kind=kind,
        chair_role=Role.objects.get(code=chair),
        rrule=rrule,
        starts_on=starts_on,
        start_time=start_time,
        duration_minutes=120,
        place=place,
        online_link="https://teams.example.nhs.uk/send-health",
        quorum_minimum=quorum,
    )
    SeriesMember.objects.bulk_create(
        SeriesMember(series=series, role=Role.objects.get(code=code)) for code in member_roles
    )
    if required:
        series.required_roles.set(Role.objects.filter(code__in=required))
    services.materialise(series)
    return series


# What earlier cafés discussed (title, minutes, decision), the most recent first.
PAST_CAFES = [
    (
        "Speech and language therapy waits",
        "The trust reported the longest wait at 31 weeks; two therapists start in April.",
        "Publish the waits at every café until they are under 18 weeks.",
    ),
    (
        "Preparing for adulthood",
        "Parents of 16-year-olds did not know which adult services would take over.",
        "The DCO will map the transition pathways for the next café.",
    ),
    (
        "School nursing and medicines in school",
        "Two schools had no care plans for medicines on trips.",
        "School nurses to write trip care plans on request.",
    ),
    (
        "Health advice for EHC needs assessments",
        "Advice returned on time rose to 82%; some still lacks amounts of therapy.",
        "Advice writers to attend the specify-and-quantify training.",
    ),
    (
        "Support while waiting for an autism assessment",
        "Families asked for help before diagnosis; the forum shared a parent guide.",
        "Ask the ICB about a pre-diagnosis programme.",
    ),
    (
        "Sleep support for young children",
        "Sleep advice waits are long after diagnosis; the forum ran a workshop.",
        "Share the sleep leaflet with every family at diagnosis.",
    ),
    (
        "Communication between services",
        "Families repeat their story to each service; a one-page profile was proposed.",
        "Pilot the one-page profile with two services.",
    ),
]
SHARING_TOPICS = [
    "Concerns from SENDIASS this month",
    "Themes rising in the last quarter",
    "Escalations answered by the ICB",
    "Clinic waiting times and breaches",
    "Feedback from the Parent Carer Forum",
    "Annual reviews overdue",
]


def _hold(meeting, present: list[User], item: tuple[str, str, str], presenter=""):
    """A past meeting as it happened: its item minuted, the people present, closed on the
    day and its minutes published the day after."""
    title, minutes, decision = item
    meeting.agenda_items.create(
        position=1, title=title, presenter=presenter, minutes=minutes, decision=decision
    )
    services.open_meeting(meeting, early_start_confirmed=True)
    meeting.attendance.filter(user__in=present).update(status="present")
    services.close_meeting(meeting)
    # Dated as the day it met (the services stamp "now"): demo data no person changed.
    type(meeting).objects.filter(pk=meeting.pk).update(
        opened_at=meeting.starts_at,
        closed_at=meeting.ends_at,
        minutes_published_at=meeting.ends_at + datetime.timedelta(days=1),
    )


def _past_cafes(cafe: MeetingSeries, next_meeting, dco: User, lead: User) -> None:
    """A café every two months over the last 18 months, before the one held 9 weeks ago."""
    forum = _user("forum")
    for number, item in enumerate(PAST_CAFES, start=2):
        back = datetime.timedelta(weeks=9 * number)
        meeting = cafe.meetings.create(
            occurrence_date=next_meeting.occurrence_date - back,
            starts_at=next_meeting.starts_at - back,
            ends_at=next_meeting.ends_at - back,
            place=cafe.place,
        )
        present = [dco, lead, forum] if number % 3 else [dco, forum]
        _hold(meeting, present, item, presenter="Joanne Whitfield")


def _past_sharing_meetings(series: MeetingSeries, dco: User, lead: User) -> None:
    """Intelligence sharing, monthly over the last 18 months."""
    sendiass = _user("sendiass")
    first = series.meetings.order_by("starts_at").first()
    for months in range(1, 18):
        back = datetime.timedelta(weeks=round(months * 4.35))
        meeting = series.meetings.create(
            occurrence_date=first.occurrence_date - back,
            starts_at=first.starts_at - back,
            ends_at=first.ends_at - back,
            place=series.place,
        )
        topic = SHARING_TOPICS[months % len(SHARING_TOPICS)]
        present = [dco, sendiass] + ([lead] if months % 4 else [])
        _hold(
            meeting,
            present,
            (topic, f"{topic}: discussed with {len(present)} present.", "Noted for the report."),
        )


@transaction.atomic
def seed(stdout=None) -> None:
    if MeetingSeries.objects.filter(name="SEND Health Café").exists():
        return
    today = timezone.localdate()
    next_cafe_day = today + datetime.timedelta(days=3)
    dco, dmo, lead = _user("dco"), _user("dmo"), _user("clinical-lead")

    cafe = _series(
        "SEND Health Café",
        MeetingKind.HEALTH_CAFE,
        RoleCode.DCO,
        _nth_weekday_rule(next_cafe_day, 2),
        next_cafe_day,
        datetime.time(10, 0),
        (
            RoleCode.DCO,
            RoleCode.DMO,
            RoleCode.CLINICAL_LEAD,
            RoleCode.PARENT_CARER_FORUM,
            RoleCode.SENDIASS_OFFICER,
        ),
        quorum=3,
    )
    meeting = cafe.meetings.order_by("starts_at").first()
    for position, (title, presenter, minutes) in enumerate(
        [
            ("Minutes of the last café and actions", "Joanne Whitfield", 10),
            ("Waiting times for speech and language therapy", "Priya Nair", 20),
            ("What parents told SENDIASS this month", "Claire Dunn", 20),
            ("Health advice timeliness: the last quarter", "Joanne Whitfield", 15),
            ("Any other business", "", 5),
        ],
        start=1,
    ):
        AgendaItem.objects.create(
            meeting=meeting,
            position=position,
            title=title,
            presenter=presenter,
            minutes_allotted=minutes,
        )
    services.send_apologies(meeting, dmo)

    # An earlier café, held two months ago, with minutes published and actions.
    held_on = next_cafe_day - datetime.timedelta(weeks=9)
    earlier = cafe.meetings.create(
        occurrence_date=held_on,
        starts_at=meeting.starts_at - datetime.timedelta(weeks=9),
        ends_at=meeting.ends_at - datetime.timedelta(weeks=9),
        place=cafe.place,
    )
    item = earlier.agenda_items.create(
        position=1,
        title="Sleep support for autistic children",
        presenter="Sarah Robson",
        minutes="Families describe long waits for sleep advice after diagnosis.",
        decision="Ask the ICB whether the sleep pathway can be commissioned for under-5s.",
    )
    services.open_meeting(earlier, early_start_confirmed=True)
    Action.objects.create(
        meeting=earlier,
        agenda_item=item,
        owner=dco,
        due_on=today - datetime.timedelta(days=5),
        description="Write to the ICB about the sleep pathway",
    )
    Action.objects.create(
        meeting=earlier,
        agenda_item=item,
        owner=lead,
        due_on=today + datetime.timedelta(days=2),
        description="Share the post-diagnosis sleep leaflet with the Parent Carer Forum",
    )
    earlier.attendance.filter(user__in=[dco, lead]).update(status="present")
    services.close_meeting(earlier)
    earlier.refresh_from_db()
    earlier.minutes_published_at = earlier.closed_at
    earlier.save()

    _past_cafes(cafe, meeting, dco, lead)

    sharing = _series(
        "Intelligence sharing",
        MeetingKind.INTELLIGENCE_SHARING,
        RoleCode.DCO,
        "FREQ=MONTHLY;BYDAY=1WE",
        today,
        datetime.time(13, 30),
        (RoleCode.DCO, RoleCode.CLINICAL_LEAD, RoleCode.SENDIASS_OFFICER),
        quorum=2,
    )
    _past_sharing_meetings(sharing, dco, lead)
    panel = _series(
        "SEND Panel",
        MeetingKind.SEND_PANEL,
        RoleCode.SEND_OFFICER,
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        today,
        datetime.time(9, 30),
        (RoleCode.SEND_OFFICER, RoleCode.DCO, RoleCode.CLINICAL_LEAD),
        quorum=2,
        required=(RoleCode.CLINICAL_LEAD,),
    )
    # The next panel hears two cases still being assessed.
    from ehcp.selectors import open_assessments_visible_to

    next_panel = panel.meetings.order_by("starts_at").first()
    cases = list(open_assessments_visible_to(_user("send-officer"))[:2])
    for position, assessment in enumerate(cases, start=1):
        AgendaItem.objects.create(
            meeting=next_panel,
            position=position,
            title=f"Case {assessment.council_reference}: health advice and next steps",
            presenter="Paul Armstrong",
            minutes_allotted=15,
            assessment=assessment,
        )
    _sunderland_cafe(today)
    if stdout is not None:
        stdout.write(
            "Meetings: the Health Café, intelligence sharing and the SEND Panel (South "
            "Tyneside); the Sunderland Health Café."
        )


def _sunderland_cafe(today: datetime.date) -> MeetingSeries:
    """Sunderland's Health Café: its own series in its own area, chaired by the DCO role,
    so by Sunderland's DCO; the DMO, who covers both areas, is a member of both cafés."""
    day = today + datetime.timedelta(days=10)
    cafe = _series(
        "Sunderland Health Café",
        MeetingKind.HEALTH_CAFE,
        RoleCode.DCO,
        _nth_weekday_rule(day, 2),
        day,
        datetime.time(10, 0),
        (RoleCode.DCO, RoleCode.DMO, RoleCode.PARENT_CARER_FORUM),
        quorum=2,
        area=SUNDERLAND,
        place="Sunderland Bridges, Sunderland SR1 3LE",
    )
    meeting = cafe.meetings.order_by("starts_at").first()
    for position, title in enumerate(
        ["Welcome and introductions", "Speech and language therapy waits in Washington"],
        start=1,
    ):
        AgendaItem.objects.create(
            meeting=meeting, position=position, title=title, presenter="Rachel Purvis"
        )
    return cafe
