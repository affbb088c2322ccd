"""Celery tasks of the meetings app: reminders and announcements to members.

The tasks say what is due and to whom; ``notifications.delivery.send_once`` sends each
message once: a notification in the portal (so the embedded run, whose email goes to files,
still reaches people) and an email, with the meeting's ``.ics`` invitation where the
reminder is about a meeting's time. It claims each before it is sent, records a failed
email and tries it again on later runs while it is still due (5 attempts in all, spaced by
the beat interval of 15 minutes: about an hour), and never sends again one interrupted
mid-send; ``selectors.failed_reminders`` shows the DCO those that did not go. Every
reminder is ``about`` its meeting ("meeting:12"), so the dashboard can name it.

Beat wakes ``send_meeting_reminders`` every 15 minutes, but nothing depends on it firing
at a given minute, or once: each run works out from the database what should have been
sent by now and has not.

No email or notification names a child: agenda items about an EHC needs assessment read
"Panel case", actions are described by their meeting and due date only, and every message
links into the portal, where access is checked.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from celery import shared_task
from django.utils import timezone

from meetings import calendar, selectors, services
from meetings.models import Action, Attendance, Meeting, ReminderKind
from notifications.delivery import REMINDER_TASK_RETRY, Due, Message, send_once
from roles.models import User
from send_portal.london_time import long_date_with_weekday
from send_portal.notifications import portal_url

Kind = ReminderKind

#: Action owners are reminded this many days before an action is due (the meetings issue).
ACTION_DUE_SOON_DAYS = 3
#: Each run also announces minutes published this recently whose announcement did not go
#: (announce_minutes lost or failed): a backstop, not the usual way.
MINUTES_ANNOUNCED_WITHIN = datetime.timedelta(days=7)


@shared_task(**REMINDER_TASK_RETRY)
def send_meeting_reminders() -> int:
    """Send every meeting and action reminder that should have gone by now and has not;
    return how many went."""
    now = timezone.now()
    today = timezone.localdate(now)
    meetings = selectors.meetings_for_reminders(now, selectors.longest_reminder_notice())
    awaiting = [
        meeting
        for meeting in selectors.meetings_awaiting_minutes(None)
        if meeting.closed_at and services.minutes_reminder_due_on(meeting) <= today
    ]
    published = selectors.published_minutes(since=now - MINUTES_ANNOUNCED_WITHIN)
    people = selectors.people_of_series(
        {m.series_id: m.series for m in [*meetings, *awaiting, *published]}.values(), today
    )
    due = []
    for meeting in meetings:
        due += _meeting_reminders(meeting, *people[meeting.series_id], now)
    for meeting in awaiting:
        due += _publish_minutes_reminders(meeting, people[meeting.series_id][1])
    for meeting in published:
        due += _minutes_announcements(meeting, people[meeting.series_id][0])
    due += _action_reminders(today)
    return send_once(due)


@shared_task(**REMINDER_TASK_RETRY)
def announce_minutes(meeting_id: int) -> int:
    """Tell every member of the meeting (and everyone recorded at it) that its minutes are
    published; return how many were told. Nothing for a meeting deleted or not published."""
    meetings = selectors.published_minutes(meeting_ids=[meeting_id])
    if not meetings:
        return 0
    (meeting,) = meetings
    members, _ = selectors.people_of_series([meeting.series])[meeting.series_id]
    return send_once(_minutes_announcements(meeting, members))


# --- What is due ---------------------------------------------------------------------------


def _meeting_reminders(
    meeting: Meeting, members: list[User], chairs: list[User], now: datetime.datetime
) -> list[Due]:
    """A cancelled meeting gets its cancellation notice and nothing else. A scheduled one:
    the "moved" notice once per move; the members' reminder N days before (the nearest N
    whose time has come: one that was missed is not sent late once a nearer one is due);
    the chair's "papers due" once the agenda locks. Each is keyed by the meeting's sequence,
    so a moved meeting gets fresh reminders."""
    if meeting.is_cancelled:
        return [
            _due(
                Kind.MEETING_CANCELLED,
                f"meeting:{meeting.pk}:cancelled",
                member,
                meeting.pk,
                lambda item: _cancelled_message(meeting, item.recipient),
            )
            for member in members
        ]
    due = []
    seq = meeting.sequence
    if meeting.moved:
        due += [
            _due(
                Kind.MEETING_MOVED,
                f"meeting:{meeting.pk}:moved:seq{seq}",
                member,
                meeting.pk,
                lambda item: _moved_message(meeting, item.recipient),
            )
            for member in members
        ]
    days = _reminder_days_due(meeting, now)
    if days is not None:
        away = {attendance.user_id for attendance in meeting.apologies}
        due += [
            _due(
                Kind.MEETING_SOON,
                f"meeting:{meeting.pk}:{days}d:seq{seq}",
                member,
                meeting.pk,
                lambda item: _soon_message(meeting, item.recipient),
            )
            for member in members
            if member.pk not in away
        ]
    if meeting.agenda_locks_at <= now:
        due += [
            _due(
                Kind.PAPERS_DUE,
                f"meeting:{meeting.pk}:papers:seq{seq}",
                chair,
                meeting.pk,
                lambda item: _papers_due_message(meeting),
            )
            for chair in chairs
        ]
    return due


def reminder_days(meeting: Meeting) -> list[int]:
    """The series' reminder days: whole numbers above 0, nearest first."""
    days = meeting.series.reminder_days or []
    return sorted({d for d in days if isinstance(d, int) and not isinstance(d, bool) and d > 0})


def _reminder_days_due(meeting: Meeting, now: datetime.datetime) -> int | None:
    """The nearest N whose reminder time (N days before the start, on the London wall clock,
    so across a clock change too) has come, or None."""
    starts = timezone.localtime(meeting.starts_at)
    opened = [n for n in reminder_days(meeting) if starts - datetime.timedelta(days=n) <= now]
    return min(opened) if opened else None


def _publish_minutes_reminders(meeting: Meeting, chairs: list[User]) -> list[Due]:
    return [
        _due(
            Kind.PUBLISH_MINUTES,
            f"meeting:{meeting.pk}:publish-minutes",
            chair,
            meeting.pk,
            lambda item: _publish_minutes_message(meeting),
        )
        for chair in chairs
    ]


def _minutes_announcements(meeting: Meeting, members: list[User]) -> list[Due]:
    """To every member today and everyone recorded at the meeting with an account."""
    recipients = {member.pk: member for member in members}
    for attendance in meeting.attendance.all():
        if attendance.user_id and attendance.user.is_active:
            recipients.setdefault(attendance.user_id, attendance.user)
    return [
        _due(
            Kind.MINUTES_PUBLISHED,
            f"meeting:{meeting.pk}:minutes",
            recipient,
            meeting.pk,
            lambda item: _minutes_published_message(meeting),
        )
        for recipient in sorted(recipients.values(), key=lambda user: (user.full_name, user.pk))
    ]


def _action_reminders(today: datetime.date) -> list[Due]:
    """Open actions: "due soon" from 3 days before the due date until it, "overdue" from the
    day after; to the owner. Keyed by the due date, so a new due date gets new reminders."""
    actions = selectors.open_actions(None).filter(
        due_on__lte=today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS), owner__is_active=True
    )
    due = []
    for action in actions:
        overdue = action.due_on < today
        due.append(
            _due(
                Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE_SOON,
                f"action:{action.pk}:{action.due_on.isoformat()}",
                action.owner,
                action.meeting_id,
                lambda item, action=action, overdue=overdue: _action_message(
                    action, overdue, today
                ),
            )
        )
    return due


def _due(
    kind: str, subject: str, recipient: User, meeting_id: int, message: Callable[[Due], Message]
) -> Due:
    """A reminder to ``recipient`` about the meeting ``meeting_id`` (an action's too)."""
    return Due(
        kind, subject, message, recipient=recipient, about=selectors.reminder_about(meeting_id)
    )


# --- The messages ------------------------------------------------------------------------------


def _clock(moment: datetime.datetime) -> str:
    """10am, 2:30pm, midday (the NHS style for times)."""
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def when(meeting: Meeting) -> str:
    """e.g. "Tuesday 13 January 2026 at 10am", in London time."""
    starts = timezone.localtime(meeting.starts_at)
    return f"{long_date_with_weekday(starts.date())} at {_clock(starts)}"


def _meeting_context(meeting: Meeting) -> dict:
    path = calendar.meeting_path(meeting)
    return {
        "meeting_name": meeting.series.name,
        "when": when(meeting),
        "ends": _clock(timezone.localtime(meeting.ends_at)),
        "place": meeting.place,
        "online_link": meeting.online_link,
        "link": portal_url(path),
    }


def _where(meeting: Meeting) -> str:
    return calendar.location(meeting) or "Place to be confirmed"


def _soon_message(meeting: Meeting, person: User) -> Message:
    return Message(
        title=f"{meeting.series.name}: {when(meeting)}",
        body=f"{_where(meeting)}. If you cannot come, send your apologies from the meeting page.",
        link=calendar.meeting_path(meeting),
        email_subject=f"Reminder: {meeting.series.name} on {when(meeting)}",
        template="meetings/email/meeting_soon.txt",
        context={**_meeting_context(meeting), "agenda": calendar.agenda_titles(meeting)},
        attachments=(calendar.invitation_attachment(meeting, person),),
    )


def _moved_message(meeting: Meeting, person: User) -> Message:
    return Message(
        title=f"{meeting.series.name} moved: now {when(meeting)}",
        body=f"{_where(meeting)}. Your calendar invitation has been updated.",
        link=calendar.meeting_path(meeting),
        email_subject=f"Meeting moved: {meeting.series.name} is now on {when(meeting)}",
        template="meetings/email/meeting_moved.txt",
        context=_meeting_context(meeting),
        attachments=(calendar.invitation_attachment(meeting, person),),
    )


def _cancelled_message(meeting: Meeting, person: User) -> Message:
    return Message(
        title=f"{meeting.series.name} on {when(meeting)} is cancelled",
        body=meeting.cancelled_reason,
        link=calendar.meeting_path(meeting),
        email_subject=f"Meeting cancelled: {meeting.series.name} on {when(meeting)}",
        template="meetings/email/meeting_cancelled.txt",
        context={**_meeting_context(meeting), "reason": meeting.cancelled_reason},
        attachments=(calendar.invitation_attachment(meeting, person),),
    )


def _papers_due_message(meeting: Meeting) -> Message:
    return Message(
        title=f"Agenda closed: {meeting.series.name}, {when(meeting)}",
        body="Members can no longer add to the agenda. Check that the papers are attached.",
        link=calendar.meeting_path(meeting),
        email_subject=f"Papers due: the agenda for {meeting.series.name} on "
        f"{when(meeting)} has closed",
        template="meetings/email/papers_due.txt",
        context={**_meeting_context(meeting), "agenda": calendar.agenda_titles(meeting)},
    )


def _publish_minutes_message(meeting: Meeting) -> Message:
    held_on = long_date_with_weekday(meeting.starts_at)
    return Message(
        title=f"Minutes not yet published: {meeting.series.name}, {held_on}",
        body="Publish the minutes so that members receive them.",
        link=calendar.meeting_path(meeting),
        email_subject=f"Publish the minutes of the {meeting.series.name} of {held_on}",
        template="meetings/email/publish_minutes.txt",
        context={
            **_meeting_context(meeting),
            "held_on": held_on,
            "working_days": services.MINUTES_DUE_WORKING_DAYS,
        },
    )


def _minutes_published_message(meeting: Meeting) -> Message:
    held_on = long_date_with_weekday(meeting.starts_at)
    attendance = list(meeting.attendance.all())
    by_status = {
        status: [a.name for a in attendance if a.user_id and a.status == status]
        for status in (
            Attendance.Status.PRESENT,
            Attendance.Status.APOLOGIES,
            Attendance.Status.ABSENT,
        )
    }
    guests = [
        f"{a.guest_name} ({a.guest_organisation})" if a.guest_organisation else a.guest_name
        for a in attendance
        if not a.user_id and a.status == Attendance.Status.PRESENT
    ]
    return Message(
        title=f"Minutes published: {meeting.series.name}, {held_on}",
        body="Read the minutes, decisions and actions on the meeting page.",
        link=calendar.meeting_path(meeting),
        email_subject=f"Minutes published: {meeting.series.name} of {held_on}",
        template="meetings/email/minutes_published.txt",
        context={
            **_meeting_context(meeting),
            "held_on": held_on,
            "present": by_status[Attendance.Status.PRESENT],
            "apologies": by_status[Attendance.Status.APOLOGIES],
            "absent": by_status[Attendance.Status.ABSENT],
            "guests": guests,
        },
    )


def _action_message(action: Action, overdue: bool, today: datetime.date) -> Message:
    meeting = action.meeting
    held_on = long_date_with_weekday(meeting.starts_at)
    due = long_date_with_weekday(action.due_on)
    return Message(
        title=(f"Action overdue: it was due on {due}" if overdue else f"Action due on {due}"),
        body=f"An action for you from the {meeting.series.name} of {held_on}.",
        link=calendar.meeting_path(meeting),
        email_subject=(
            f"Action overdue: it was due on {due}" if overdue else f"Action due on {due}"
        ),
        template=(
            "meetings/email/action_overdue.txt" if overdue else "meetings/email/action_due_soon.txt"
        ),
        context={
            **_meeting_context(meeting),
            "held_on": held_on,
            "due": due,
            "days_late": (today - action.due_on).days,
            "reference": action.pk,
        },
    )


# Safe to run again, as a reminder run is: the same policy, retrying database errors only.
@shared_task(**REMINDER_TASK_RETRY)
def plan_meetings_ahead() -> int:
    """Keep every active series materialised 12 months ahead; returns how many were made.

    Runs daily; making a meeting is keyed by the date the rule gives it, so a repeated
    run makes nothing twice.
    """
    from meetings.models import MeetingSeries

    return sum(
        services.materialise(series) for series in MeetingSeries.objects.filter(is_active=True)
    )
