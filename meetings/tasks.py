"""Celery tasks of the meetings app: reminders and announcements to members.

Each reminder goes through ``notifications.services.notify``: a notification in the portal
(so the embedded run, whose email goes to files, still reaches people) and an email, with
the meeting's ``.ics`` invitation where the reminder is about a meeting's time.

Nothing is sent twice. Beat wakes ``send_meeting_reminders`` every 15 minutes, but nothing
depends on it firing at a given minute, or once: each run works out from the database what
should have been sent by now and has not. Each reminder is claimed before it is sent:

1. a first attempt inserts its ``MeetingReminder`` row (unique per kind, subject and
   recipient) with outcome "sending", in a savepoint. A run that finds the row taken
   (another run, a second beat, a retried task) skips that reminder;
2. the notification is made and the email sent; the row becomes "sent", or "failed" with
   the error if the email could not go (the notification stays);
3. a later run tries a "failed" row again, if it is still due and has attempts left
   (5 in all), by a conditional update that claims it only if nobody else has:
   ``filter(pk=…, outcome=FAILED, attempts=n).update(outcome=SENDING, attempts=n + 1)``;
   only the run whose update counts 1 sends, and only the email (the notification exists);
4. a worker killed mid-send leaves its row "sending": it is never sent again (it may have
   gone), and after an hour ``selectors.failed_reminders`` shows it to the DCO with the
   reminders that ran out of attempts.

Retries are spaced by the beat interval (15 minutes), so 5 attempts span about an hour.

No email or notification names a child: agenda items about an EHC needs assessment read
"Panel case", actions are described by their meeting and due date only, and every message
links into the portal, where access is checked.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from celery import shared_task
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from meetings import calendar, selectors, services
from meetings.models import Action, Attendance, Meeting, MeetingReminder
from notifications.services import notify, send_notification_email
from roles.models import User
from send_portal.london_time import long_date_with_weekday
from send_portal.notifications import portal_url

logger = logging.getLogger(__name__)

Kind = MeetingReminder.Kind
Outcome = MeetingReminder.Outcome

#: Action owners are reminded this many days before an action is due (the meetings issue).
ACTION_DUE_SOON_DAYS = 3
#: Each run also announces minutes published this recently whose announcement did not go
#: (announce_minutes lost or failed): a backstop, not the usual way.
MINUTES_ANNOUNCED_WITHIN = datetime.timedelta(days=7)

TASK_RETRY = {
    # A database error (e.g. SQLite busy) retries the whole run: safe, as it is idempotent.
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 3,
}


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str  # a portal path
    email_subject: str
    template: str
    context: dict = field(default_factory=dict)
    attachments: tuple = ()


@dataclass(frozen=True)
class DueReminder:
    kind: str
    subject: str
    recipient: User
    meeting: Meeting | None
    # Builds the message for the recipient, only when it is sent.
    message: Callable[[User], Message]


@shared_task(**TASK_RETRY)
def send_meeting_reminders() -> int:
    """Send every meeting and action reminder that should have gone by now and has not;
    return how many went."""
    now = timezone.now()
    today = timezone.localdate(now)
    meetings = selectors.meetings_for_reminders(now, selectors.longest_reminder_notice())
    awaiting = [
        meeting
        for meeting in selectors.meetings_awaiting_minutes()
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
    return _send(due)


@shared_task(**TASK_RETRY)
def announce_minutes(meeting_id: int) -> int:
    """Tell every member of the meeting (and everyone recorded at it) that its minutes are
    published; return how many were told. Nothing for a meeting deleted or not published."""
    meetings = selectors.published_minutes(meeting_ids=[meeting_id])
    if not meetings:
        return 0
    (meeting,) = meetings
    members, _ = selectors.people_of_series([meeting.series])[meeting.series_id]
    return _send(_minutes_announcements(meeting, members))


# --- What is due ---------------------------------------------------------------------------


def _meeting_reminders(
    meeting: Meeting, members: list[User], chairs: list[User], now: datetime.datetime
) -> list[DueReminder]:
    """A cancelled meeting gets its cancellation notice and nothing else. A scheduled one:
    the "moved" notice once per move; the members' reminder N days before (the nearest N
    whose time has come: one that was missed is not sent late once a nearer one is due);
    the chair's "papers due" once the agenda locks. Each is keyed by the meeting's sequence,
    so a moved meeting gets fresh reminders."""
    if meeting.is_cancelled:
        return [
            DueReminder(
                Kind.MEETING_CANCELLED,
                f"meeting:{meeting.pk}:cancelled",
                member,
                meeting,
                lambda person: _cancelled_message(meeting, person),
            )
            for member in members
        ]
    due = []
    seq = meeting.sequence
    if meeting.moved:
        due += [
            DueReminder(
                Kind.MEETING_MOVED,
                f"meeting:{meeting.pk}:moved:seq{seq}",
                member,
                meeting,
                lambda person: _moved_message(meeting, person),
            )
            for member in members
        ]
    days = _reminder_days_due(meeting, now)
    if days is not None:
        away = {attendance.user_id for attendance in meeting.apologies}
        due += [
            DueReminder(
                Kind.MEETING_SOON,
                f"meeting:{meeting.pk}:{days}d:seq{seq}",
                member,
                meeting,
                lambda person: _soon_message(meeting, person),
            )
            for member in members
            if member.pk not in away
        ]
    if meeting.agenda_locks_at <= now:
        due += [
            DueReminder(
                Kind.PAPERS_DUE,
                f"meeting:{meeting.pk}:papers:seq{seq}",
                chair,
                meeting,
                lambda person: _papers_due_message(meeting),
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


def _publish_minutes_reminders(meeting: Meeting, chairs: list[User]) -> list[DueReminder]:
    return [
        DueReminder(
            Kind.PUBLISH_MINUTES,
            f"meeting:{meeting.pk}:publish-minutes",
            chair,
            meeting,
            lambda person: _publish_minutes_message(meeting),
        )
        for chair in chairs
    ]


def _minutes_announcements(meeting: Meeting, members: list[User]) -> list[DueReminder]:
    """To every member today and everyone recorded at the meeting with an account."""
    recipients = {member.pk: member for member in members}
    for attendance in meeting.attendance.all():
        if attendance.user_id and attendance.user.is_active:
            recipients.setdefault(attendance.user_id, attendance.user)
    return [
        DueReminder(
            Kind.MINUTES_PUBLISHED,
            f"meeting:{meeting.pk}:minutes",
            recipient,
            meeting,
            lambda person: _minutes_published_message(meeting),
        )
        for recipient in sorted(recipients.values(), key=lambda user: (user.full_name, user.pk))
    ]


def _action_reminders(today: datetime.date) -> list[DueReminder]:
    """Open actions: "due soon" from 3 days before the due date until it, "overdue" from the
    day after; to the owner. Keyed by the due date, so a new due date gets new reminders."""
    actions = selectors.open_actions().filter(
        due_on__lte=today + datetime.timedelta(days=ACTION_DUE_SOON_DAYS), owner__is_active=True
    )
    due = []
    for action in actions:
        overdue = action.due_on < today
        due.append(
            DueReminder(
                Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE_SOON,
                f"action:{action.pk}:{action.due_on.isoformat()}",
                action.owner,
                action.meeting,
                lambda person, action=action, overdue=overdue: _action_message(
                    action, overdue, today
                ),
            )
        )
    return due


# --- Sending, once ---------------------------------------------------------------------------


def _send(due: list[DueReminder]) -> int:
    if not due:
        return 0
    claims = selectors.reminder_claims({reminder.subject for reminder in due})
    sent = 0
    for reminder in due:
        claim = claims.get((reminder.kind, reminder.subject, reminder.recipient.pk))
        if claim is None:
            row = _claim(reminder)
            if row is not None:
                sent += _deliver(row, reminder, first_attempt=True)
        elif _retryable(claim) and _claim_retry(claim):
            sent += _deliver(claim, reminder, first_attempt=False)
    return sent


def _claim(reminder: DueReminder) -> MeetingReminder | None:
    """Insert the reminder's row, or None if another run has it already."""
    try:
        with transaction.atomic():
            return MeetingReminder.objects.create(
                kind=reminder.kind,
                subject=reminder.subject,
                recipient=reminder.recipient,
                meeting=reminder.meeting,
                outcome=Outcome.SENDING,
                attempts=1,
            )
    except IntegrityError:
        return None


def _retryable(claim: MeetingReminder) -> bool:
    return claim.outcome == Outcome.FAILED and claim.attempts < selectors.REMINDER_MAX_ATTEMPTS


def _claim_retry(claim: MeetingReminder) -> bool:
    """Take a failed reminder for one more attempt, unless another run just did."""
    taken = MeetingReminder.objects.filter(
        pk=claim.pk, outcome=Outcome.FAILED, attempts=claim.attempts
    ).update(outcome=Outcome.SENDING, attempts=claim.attempts + 1)
    return taken == 1


def _deliver(row: MeetingReminder, reminder: DueReminder, *, first_attempt: bool) -> int:
    message = reminder.message(reminder.recipient)
    try:
        if first_attempt:
            notify(
                reminder.recipient,
                message.title,
                message.body,
                message.link,
                email_subject=message.email_subject,
                email_template=message.template,
                email_context=message.context,
                attachments=message.attachments,
            )
        else:
            send_notification_email(
                reminder.recipient,
                message.email_subject,
                message.template,
                message.context,
                message.attachments,
            )
    except OSError as error:  # smtplib.SMTPException is an OSError
        text = f"{error.__class__.__name__}: {error}"[:300]
        MeetingReminder.objects.filter(pk=row.pk).update(outcome=Outcome.FAILED, error=text)
        logger.warning("Meeting reminder %s (%s) failed to send: %s", row.pk, row.kind, text)
        return 0
    MeetingReminder.objects.filter(pk=row.pk).update(
        outcome=Outcome.SENT, sent_at=timezone.now(), error=""
    )
    return 1


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


@shared_task(**TASK_RETRY)
def plan_meetings_ahead() -> int:
    """Keep every active series materialised 12 months ahead; returns how many were made.

    Runs daily; making a meeting is keyed by the date the rule gives it, so a repeated
    run makes nothing twice.
    """
    from meetings.models import MeetingSeries

    return sum(
        services.materialise(series) for series in MeetingSeries.objects.filter(is_active=True)
    )
