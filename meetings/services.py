"""Everything that changes meetings, and the rules that guard each change.

Each function raises ``RefusedChange`` with a message fit to show the person,
and changes nothing when it refuses.
"""

from __future__ import annotations

import datetime
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from meetings import recurrence, selectors
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingKind,
    MeetingSeries,
    Paper,
    SeriesMember,
)
from roles.models import User
from roles.selectors import current_role_codes
from send_portal.london_time import time_on_date
from send_portal.refusals import RefusedChange


class StaleEdit(RefusedChange):
    pass


class SeriesRefused(RefusedChange):
    """A series that cannot work; ``field`` names the answer the refusal is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- Series and their meetings ---------------------------------------------------------


def check_series(series: MeetingSeries, member_count: int | None = None) -> None:
    """Refuse a series whose rule the portal does not support (more often than weekly, or
    more meetings than ``recurrence.MAX_MEETINGS_A_YEAR``), whose rule gives no dates, that
    ends before it starts, or whose quorum cannot be met. The series form and
    ``materialise`` both ask here. A series whose rule is not chosen yet (a form with the
    pattern half answered) is checked for the rest."""
    try:
        if series.rrule or series.pk:
            recurrence.check_rule(series.rrule, series.starts_on, series.start_time)
    except recurrence.RecurrenceError as error:
        raise SeriesRefused(str(error), "frequency") from None
    if series.ends_on and series.ends_on < series.starts_on:
        raise SeriesRefused("The series cannot end before it starts.", "ends_on")
    if member_count is not None and series.quorum_minimum > member_count:
        raise SeriesRefused(
            f"The quorum ({series.quorum_minimum}) is larger than the {member_count} core "
            "members today: the meetings could never be quorate.",
            "quorum_minimum",
        )


@transaction.atomic
def materialise(series: MeetingSeries, today: datetime.date | None = None) -> int:
    """Create the series' meetings for the next 12 months that do not exist yet.

    Meetings already made (moved, cancelled or held) are left as they are: each is
    keyed by the date the rule gave it. Returns how many were created.
    """
    today = today or timezone.localdate()
    # A rule saved before the portal bounded rules (or written straight to the database) is
    # refused here too, before it is expanded: no series makes more than its share.
    check_series(series)
    dates = recurrence.occurrence_dates(
        series.rrule,
        series.starts_on,
        series.start_time,
        until=today + recurrence.HORIZON,
        ends_on=series.ends_on,
    )
    dates = [d for d in dates if d >= today]
    existing = set(
        Meeting.objects.filter(series=series, occurrence_date__in=dates).values_list(
            "occurrence_date", flat=True
        )
    )
    duration = datetime.timedelta(minutes=series.duration_minutes)
    new = []
    for day in dates:
        if day in existing:
            continue
        starts_at = recurrence.local_start(day, series.start_time)
        new.append(
            Meeting(
                series=series,
                occurrence_date=day,
                starts_at=starts_at,
                ends_at=starts_at + duration,
                place=series.place,
                online_link=series.online_link,
            )
        )
    Meeting.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def set_members(series: MeetingSeries, roles, users) -> None:
    """The series' core members become exactly these roles and named people."""
    series.members.all().delete()
    SeriesMember.objects.bulk_create(
        [SeriesMember(series=series, role=role) for role in roles]
        + [SeriesMember(series=series, user=user) for user in users]
    )


def check_series_name(series: MeetingSeries) -> None:
    """Refuse a name another series of the same area has: the dashboard, reminders and
    calendars tell series apart by name. Another area may use it (each area has its own
    SEND Health Café). The database refuses it too (MeetingSeries.Meta)."""
    others = MeetingSeries.objects.filter(area_id=series.area_id, name=series.name)
    if series.pk:
        others = others.exclude(pk=series.pk)
    if series.area_id and others.exists():
        raise SeriesRefused(
            f"There is already a series called {series.name} in this local area. "
            "Give this one another name.",
            "name",
        )


@transaction.atomic
def create_series(series: MeetingSeries, *, member_roles, member_users, required_roles) -> int:
    """Save a new series with its core members and the roles its quorum needs, and plan its
    meetings for the next 12 months; returns how many were planned. All or nothing."""
    check_series_name(series)
    series.save()
    series.required_roles.set(required_roles)
    set_members(series, member_roles, member_users)
    return materialise(series)


@transaction.atomic
def change_series(
    series: MeetingSeries, *, member_roles, member_users, required_roles
) -> Replanned:
    """Save a changed series and its members; its upcoming meetings follow the change
    (``replan_series``: members are told of each meeting moved or cancelled)."""
    check_series_name(series)
    series.save()
    series.required_roles.set(required_roles)
    set_members(series, member_roles, member_users)
    return replan_series(series)


@dataclass(frozen=True)
class Replanned:
    created: int
    changed: int
    cancelled: int


@transaction.atomic
def replan_series(series: MeetingSeries, today: datetime.date | None = None) -> Replanned:
    """After a series is changed, its upcoming meetings follow it.

    Scheduled meetings the new pattern no longer gives are cancelled (members are told,
    with the new pattern as the reason); those it still gives take the new time, length
    and place, and members are told as of a move. A meeting once moved (by hand, or by an
    earlier change of the series) keeps its time: the chair moves it by hand if need be.
    The dates the pattern newly gives are planned. Held, closed and cancelled meetings
    are the record and are left alone. A series has at most a year of meetings, all
    written in three statements, not one per meeting.
    """
    today = today or timezone.localdate()
    check_series(series)
    wanted = {
        day
        for day in recurrence.occurrence_dates(
            series.rrule,
            series.starts_on,
            series.start_time,
            until=today + recurrence.HORIZON,
            ends_on=series.ends_on,
        )
        if day >= today
    }
    upcoming = list(
        Meeting.objects.select_for_update().filter(
            series=series, status=Meeting.Status.SCHEDULED, starts_at__gte=timezone.now()
        )
    )
    gone = [m.pk for m in upcoming if m.occurrence_date not in wanted]
    Meeting.objects.filter(pk__in=gone).update(
        status=Meeting.Status.CANCELLED,
        cancelled_reason=f"The series now meets {series.how_often[:1].lower()}"
        f"{series.how_often[1:]}.",
        sequence=F("sequence") + 1,
    )
    duration = datetime.timedelta(minutes=series.duration_minutes)
    changed = []
    for meeting in upcoming:
        if meeting.pk in gone or meeting.moved:
            continue
        starts_at = recurrence.local_start(meeting.occurrence_date, series.start_time)
        fresh = (starts_at, starts_at + duration, series.place, series.online_link)
        if fresh != (meeting.starts_at, meeting.ends_at, meeting.place, meeting.online_link):
            meeting.starts_at, meeting.ends_at, meeting.place, meeting.online_link = fresh
            meeting.moved = True
            meeting.sequence += 1
            changed.append(meeting)
    Meeting.objects.bulk_update(
        changed, ["starts_at", "ends_at", "place", "online_link", "moved", "sequence"]
    )
    if gone or changed:
        _notify_changed(changed[0] if changed else upcoming[0])
    changed, cancelled = len(changed), len(gone)
    return Replanned(materialise(series, today), changed, cancelled)


def _notify_changed(meeting: Meeting) -> None:
    from outbox.services import enqueue

    # By name: tasks call services, so services never import tasks.
    enqueue("meetings.tasks.send_meeting_reminders")


# --- What a meeting's state allows: one rule each, asked by the services below before
# they change anything and by the meeting's page before it offers the action.


def can_be_chaired(meeting: Meeting) -> bool:
    """A meeting is chaired (opened, minuted, attendance taken) until it is closed or
    cancelled."""
    return meeting.status in (Meeting.Status.SCHEDULED, Meeting.Status.IN_PROGRESS)


def can_be_rearranged(meeting: Meeting) -> bool:
    """Only a meeting still to happen (scheduled) can be moved or cancelled."""
    return meeting.status == Meeting.Status.SCHEDULED


def minutes_may_be_published(meeting: Meeting) -> bool:
    """Minutes are published once, after the meeting is closed (and once its time has come:
    ``has_started``, which ``publish_minutes`` asks too)."""
    return meeting.status == Meeting.Status.CLOSED and not meeting.minutes_published_at


def takes_apologies(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Apologies are sent and withdrawn before a scheduled meeting starts; afterwards
    attendance is the chair's record."""
    return meeting.status == Meeting.Status.SCHEDULED and meeting.starts_at > (
        now or timezone.now()
    )


@transaction.atomic
def move_meeting(meeting: Meeting, starts_at: datetime.datetime, place: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_be_rearranged(meeting):
        raise RefusedChange("Only a scheduled meeting can be moved.")
    if starts_at <= timezone.now():
        raise RefusedChange("The new time must be in the future.")
    duration = meeting.ends_at - meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = starts_at + duration
    meeting.place = place
    meeting.moved = True
    meeting.sequence += 1
    meeting.save()
    _notify_changed(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, reason: str) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can_be_rearranged(meeting):
        raise RefusedChange("Only a scheduled meeting can be cancelled.")
    if not reason.strip():
        raise RefusedChange("Say why the meeting is cancelled: members will be told.")
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.sequence += 1
    meeting.save()
    _notify_changed(meeting)
    return meeting


# --- Attendance and quorum -----------------------------------------------------------


@transaction.atomic
def ensure_attendance(meeting: Meeting) -> list[Attendance]:
    """An attendance row for every current core member (kept once made), with their roles."""
    members = selectors.core_members(meeting.series)
    existing = set(
        Attendance.objects.filter(meeting=meeting, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                user=member,
                is_core_member=True,
                role_codes=sorted(current_role_codes(member)),
            )
            for member in members
            if member.pk not in existing
        ],
        ignore_conflicts=True,
    )
    return list(meeting.attendance.select_related("user"))


@transaction.atomic
def send_apologies(meeting: Meeting, user: User) -> Attendance:
    if not takes_apologies(meeting):
        raise RefusedChange("Apologies can be sent only before a scheduled meeting starts.")
    if not selectors.is_core_member(user, meeting.series):
        raise RefusedChange("Only members of this meeting send apologies here.")
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting,
        user=user,
        defaults={"is_core_member": True, "role_codes": sorted(current_role_codes(user))},
    )
    attendance.status = Attendance.Status.APOLOGIES
    attendance.apologies_sent_at = timezone.now()
    attendance.save()
    return attendance


@transaction.atomic
def withdraw_apologies(meeting: Meeting, user: User) -> None:
    """Only before a scheduled meeting starts: afterwards attendance is the chair's record."""
    if not takes_apologies(meeting):
        raise RefusedChange("Apologies can be withdrawn only before a scheduled meeting starts.")
    Attendance.objects.filter(
        meeting=meeting, user=user, status=Attendance.Status.APOLOGIES
    ).update(status=Attendance.Status.EXPECTED, apologies_sent_at=None)


@dataclass(frozen=True)
class Quorum:
    is_quorate: bool
    core_present: int
    minimum: int
    missing_roles: list[str]

    @property
    def summary(self) -> str:
        if self.is_quorate:
            return "Quorate"
        parts = []
        if self.core_present < self.minimum:
            parts.append(f"{self.core_present} of {self.minimum} core members")
        if self.missing_roles:
            parts.append("no " + ", no ".join(self.missing_roles))
        return "Not quorate: " + "; ".join(parts)


def quorum(meeting: Meeting, attendance: list[Attendance], *, forecast: bool = False) -> Quorum:
    """Is the meeting quorate? The series' rule: at least ``quorum_minimum`` core members
    present, and someone present holding each required role.

    With ``forecast`` (before the meeting), everyone who has not sent apologies counts as
    coming.
    """
    counted = (
        {Attendance.Status.PRESENT, Attendance.Status.EXPECTED}
        if forecast
        else {Attendance.Status.PRESENT}
    )
    there = [a for a in attendance if a.status in counted]
    core_present = sum(1 for a in there if a.is_core_member)
    roles_present = {code for a in there for code in a.role_codes}
    required = list(meeting.series.required_roles.all())
    missing = [role.name for role in required if role.code not in roles_present]
    minimum = meeting.series.quorum_minimum
    return Quorum(core_present >= minimum and not missing, core_present, minimum, missing)


# --- During the meeting -------------------------------------------------------------------


def _check_chair_can_change(meeting: Meeting) -> None:
    # Read the status afresh: the caller's object may predate a close in another request.
    meeting.status = Meeting.objects.filter(pk=meeting.pk).values_list("status", flat=True).get()
    if meeting.status == Meeting.Status.CANCELLED:
        raise RefusedChange("This meeting was cancelled.")
    if meeting.status == Meeting.Status.CLOSED:
        raise RefusedChange("This meeting is closed: its record can no longer change.")


#: A chair may open the meeting this long before its start without being asked to confirm:
#: the room is set up and early arrivals are marked present (local practice). Earlier than
#: this, the chair is most likely on the wrong meeting, so starting it asks to confirm.
EARLY_START_ALLOWANCE = datetime.timedelta(minutes=30)


class EarlyStart(RefusedChange):
    """Starting a meeting well before its time: refused until the chair confirms it."""


def starts_well_before(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Is it "well before" the meeting's time, more than ``EARLY_START_ALLOWANCE`` before it?

    The one home of the rule: the chair's start page asks for confirmation when this is
    true, and ``open_meeting`` refuses an unconfirmed start.
    """
    now = now or timezone.now()
    return now < meeting.starts_at - EARLY_START_ALLOWANCE


def has_started(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """Has the meeting's time come? Minutes are published only of a meeting that has."""
    now = now or timezone.now()
    return meeting.starts_at <= now


@transaction.atomic
def open_meeting(
    meeting: Meeting,
    *,
    early_start_confirmed: bool = False,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Start the meeting (or go back into one in progress). Starting it well before its
    time (see ``starts_well_before``) needs ``early_start_confirmed``: a meeting months
    away is not started by a slip."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_chair_can_change(meeting)
    if (
        meeting.status == Meeting.Status.SCHEDULED
        and starts_well_before(meeting, now)
        and not early_start_confirmed
    ):
        raise EarlyStart(
            f"This meeting is not due to start until {time_on_date(meeting.starts_at)}. "
            "Confirm that you want to start it now."
        )
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.IN_PROGRESS
        meeting.opened_at = timezone.now()
        meeting.save()
    ensure_attendance(meeting)
    return meeting


@transaction.atomic
def record_attendance(meeting: Meeting, statuses: dict[int, str]) -> None:
    _check_chair_can_change(meeting)
    rows = {a.pk: a for a in meeting.attendance.all()}
    for pk, status in statuses.items():
        if pk in rows and status in Attendance.Status.values:
            rows[pk].status = status
    Attendance.objects.bulk_update(rows.values(), ["status"])


@transaction.atomic
def add_guest(meeting: Meeting, name: str, organisation: str = "") -> Attendance:
    _check_chair_can_change(meeting)
    if not name.strip():
        raise RefusedChange("Enter the guest's name.")
    return Attendance.objects.create(
        meeting=meeting,
        guest_name=name.strip(),
        guest_organisation=organisation.strip(),
        status=Attendance.Status.PRESENT,
    )


@transaction.atomic
def save_item_record(
    item: AgendaItem, minutes: str, decision: str, based_on_edit_count: int
) -> AgendaItem:
    """Save one agenda item's minutes and decision on its own, so nothing else is lost."""
    _check_chair_can_change(item.meeting)
    claimed = AgendaItem.objects.filter(pk=item.pk, edit_count=based_on_edit_count).update(
        edit_count=based_on_edit_count + 1,
        minutes=minutes,
        decision=decision,
        updated_at=timezone.now(),
    )
    if claimed != 1:
        raise StaleEdit(
            "Someone else saved this item's minutes after you opened it. Your text is kept "
            "below: compare it with theirs, then save again."
        )
    item.refresh_from_db()
    return item


@transaction.atomic
def add_action(
    meeting: Meeting,
    description: str,
    owner: User | None,
    due_on: datetime.date | None,
    agenda_item: AgendaItem | None = None,
) -> Action:
    _check_chair_can_change(meeting)
    if not description.strip():
        raise RefusedChange("Describe the action.")
    if owner is None:
        raise RefusedChange("Choose who owns the action.")
    if due_on is None:
        raise RefusedChange("Enter the date the action is due.")
    if due_on < timezone.localtime(meeting.starts_at).date():
        raise RefusedChange("An action cannot be due before the meeting that agreed it.")
    return Action.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        description=description.strip(),
        owner=owner,
        due_on=due_on,
    )


@transaction.atomic
def complete_action(action: Action) -> Action:
    if action.status != Action.Status.OPEN:
        raise RefusedChange("This action is already closed.")
    action.status = Action.Status.DONE
    action.completed_on = timezone.localdate()
    action.save()
    return action


@transaction.atomic
def close_meeting(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise RefusedChange("Only a meeting in progress can be closed.")
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def publish_minutes(meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.CLOSED:
        raise RefusedChange("Close the meeting before publishing its minutes.")
    if not minutes_may_be_published(meeting):
        raise RefusedChange("The minutes have been published already.")
    if not has_started(meeting):
        # Minutes go to every member by email: never for a meeting still in the future,
        # even one started early and closed by mistake.
        raise RefusedChange(
            "The minutes of a meeting that has not yet started cannot be published: this "
            f"meeting starts at {time_on_date(meeting.starts_at)}."
        )
    meeting.minutes_published_at = timezone.now()
    meeting.save()
    from outbox.services import enqueue

    enqueue("meetings.tasks.announce_minutes", meeting.pk)
    return meeting


@transaction.atomic
def approve_minutes(previous: Meeting, at_meeting: Meeting) -> Meeting:
    """Record that ``at_meeting`` approved the draft minutes of ``previous``."""
    previous = Meeting.objects.select_for_update().get(pk=previous.pk)
    at_meeting = Meeting.objects.get(pk=at_meeting.pk)
    if previous.series_id != at_meeting.series_id or previous.starts_at >= at_meeting.starts_at:
        raise RefusedChange("Minutes are approved at a later meeting of the same series.")
    if previous.minutes_approved_at_id:
        raise RefusedChange("These minutes have been approved already.")
    if at_meeting.status not in (Meeting.Status.IN_PROGRESS, Meeting.Status.CLOSED):
        raise RefusedChange("Minutes are approved during the meeting that approves them.")
    previous.minutes_approved_at = at_meeting
    previous.minutes_approved_on = timezone.localdate()
    previous.save()
    return previous


def agenda_is_open_to(meeting: Meeting, user: User, now: datetime.datetime | None = None) -> bool:
    """Members add to the agenda until it locks (2 days before, by default); the chair and the
    DCO until the meeting closes."""
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.CLOSED):
        return False
    if user.has_perm("meetings.chair_meeting", meeting):
        return True
    now = now or timezone.now()
    return now < meeting.agenda_locks_at


# --- The agenda, papers and apologies, from the meeting's page -----------------------------


def _lock_period(hours: int) -> str:
    if hours and hours % 24 == 0:
        days = hours // 24
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{hours} hour{'s' if hours != 1 else ''}"


def check_agenda_open(
    meeting: Meeting, user: User, now: datetime.datetime | None = None, what: str = "agenda"
) -> None:
    """Refuse a change to the agenda (or papers) once it has locked, naming when it locked."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise RefusedChange(f"This meeting was cancelled: its {what} cannot change.")
    if meeting.status == Meeting.Status.CLOSED:
        raise RefusedChange(f"This meeting is closed: its {what} can no longer change.")
    if not agenda_is_open_to(meeting, user, now):
        raise RefusedChange(
            f"The agenda closed at {time_on_date(meeting.agenda_locks_at)} (UK time), "
            f"{_lock_period(meeting.series.agenda_lock_hours)} before the meeting. "
            "Only the chair can change it now: ask them."
        )


def _check_item_fields(
    meeting: Meeting, title: str, minutes_allotted: int, assessment, item: AgendaItem | None
) -> str:
    title = (title or "").strip()
    if not title:
        raise RefusedChange("Enter the title of the item.")
    if not 1 <= minutes_allotted <= 480:
        raise RefusedChange("The time for the item must be between 1 and 480 minutes.")
    if assessment is not None:
        if meeting.series.kind != MeetingKind.SEND_PANEL:
            raise RefusedChange("Only a SEND Panel agenda lists assessment cases.")
        others = meeting.agenda_items.filter(assessment=assessment)
        if item is not None:
            others = others.exclude(pk=item.pk)
        if others.exists():
            raise RefusedChange("This case is already on the agenda of this meeting.")
    return title


@transaction.atomic
def add_agenda_item(
    meeting: Meeting,
    user: User,
    *,
    title: str,
    presenter: str = "",
    minutes_allotted: int = 10,
    assessment=None,
    now: datetime.datetime | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda. Members may until the agenda locks (the
    series' ``agenda_lock_hours`` before the meeting); the chair and the DCO until it closes.
    """
    meeting = Meeting.objects.select_for_update().select_related("series").get(pk=meeting.pk)
    check_agenda_open(meeting, user, now)
    title = _check_item_fields(meeting, title, minutes_allotted, assessment, None)
    last = meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(
        meeting=meeting,
        position=last + 1,
        title=title,
        presenter=(presenter or "").strip(),
        minutes_allotted=minutes_allotted,
        assessment=assessment,
    )


@transaction.atomic
def edit_agenda_item(
    item: AgendaItem,
    user: User,
    *,
    title: str,
    presenter: str = "",
    minutes_allotted: int = 10,
    assessment=None,
    now: datetime.datetime | None = None,
) -> AgendaItem:
    """Change an item's title, presenter, time or case; it keeps its place on the agenda.

    Only those fields are written, so minutes being typed for the item are never
    overwritten by an edit of its title.
    """
    item = AgendaItem.objects.select_related("meeting__series").get(pk=item.pk)
    check_agenda_open(item.meeting, user, now)
    item.title = _check_item_fields(item.meeting, title, minutes_allotted, assessment, item)
    item.presenter = (presenter or "").strip()
    item.minutes_allotted = minutes_allotted
    item.assessment = assessment
    item.save(update_fields=["title", "presenter", "minutes_allotted", "assessment", "updated_at"])
    return item


@dataclass(frozen=True)
class PaperType:
    extension: str
    content_type: str
    label: str


#: What may be uploaded as a meeting paper, by file name extension. The file's first bytes
#: must match too: a name or a browser's content type is easy to get wrong (or to fake).
PAPER_TYPES: dict[str, PaperType] = {
    t.extension: t
    for t in (
        PaperType("pdf", "application/pdf", "PDF"),
        PaperType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word document (.docx)",
        ),
        PaperType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel spreadsheet (.xlsx)",
        ),
        PaperType(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint presentation (.pptx)",
        ),
        PaperType("txt", "text/plain; charset=utf-8", "text file"),
        PaperType("csv", "text/csv; charset=utf-8", "CSV file"),
        PaperType("png", "image/png", "PNG image"),
        PaperType("jpg", "image/jpeg", "JPEG image"),
        PaperType("jpeg", "image/jpeg", "JPEG image"),
    )
}

#: The folder inside the zip that each Office format keeps its content in.
_OFFICE_FOLDERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def paper_size_limit_text() -> str:
    limit = settings.PAPER_MAX_BYTES
    mb = 1024 * 1024
    if limit % mb == 0:
        return f"{limit // mb} MB"
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(limit)


def _contents_match(upload, extension: str) -> bool:
    upload.seek(0)
    try:
        if extension == "pdf":
            return upload.read(5) == b"%PDF-"
        if extension == "png":
            return upload.read(8) == b"\x89PNG\r\n\x1a\n"
        if extension in ("jpg", "jpeg"):
            return upload.read(3) == b"\xff\xd8\xff"
        if extension in _OFFICE_FOLDERS:
            if upload.read(4) != b"PK\x03\x04":
                return False
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = archive.namelist()
            except (zipfile.BadZipFile, OSError, ValueError):
                return False
            folder = _OFFICE_FOLDERS[extension]
            return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
        if extension in ("txt", "csv"):
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                return False
            return "\x00" not in text
        return False
    finally:
        upload.seek(0)


def check_paper_file(upload) -> PaperType:
    """The type of an uploaded paper, or ``RefusedChange`` saying why it cannot be taken:
    empty, larger than ``settings.PAPER_MAX_BYTES``, not one of ``PAPER_TYPES`` by name, or
    its contents are not what its name says (checked by the file's leading bytes; Office
    files must be zip packages of their own kind; text must be UTF-8)."""
    name = getattr(upload, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not upload.size:
        raise RefusedChange("The selected file is empty.")
    if upload.size > settings.PAPER_MAX_BYTES:
        raise RefusedChange(f"The selected file must be smaller than {paper_size_limit_text()}.")
    paper_type = PAPER_TYPES.get(extension)
    if paper_type is None:
        raise RefusedChange(
            "The selected file must be a PDF, Word document (.docx), Excel spreadsheet "
            "(.xlsx), PowerPoint presentation (.pptx), text file, CSV file, PNG or JPEG image."
        )
    if not _contents_match(upload, extension):
        raise RefusedChange(
            f"The selected file is not a {paper_type.label}, although its name ends in "
            f".{extension}. Save it again as a {paper_type.label} and upload that."
        )
    return paper_type


def upload_paper(
    meeting: Meeting,
    user: User,
    *,
    title: str,
    upload,
    agenda_item: AgendaItem | None = None,
    now: datetime.datetime | None = None,
) -> Paper:
    """Attach a paper to the meeting (and optionally to one of its items).

    Papers follow the agenda: members until it locks, the chair until the meeting closes.
    The file is stored under a random name (the uploaded name is never kept: it often
    names a child); if the record cannot be saved the stored file is removed again.
    """
    meeting = Meeting.objects.select_related("series").get(pk=meeting.pk)
    check_agenda_open(meeting, user, now, what="papers")
    title = (title or "").strip()
    if not title:
        raise RefusedChange("Enter the title of the paper.")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise RefusedChange("Choose an item of this meeting's agenda.")
    paper_type = check_paper_file(upload)
    paper = Paper(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        content_type=paper_type.content_type,
        size=upload.size,
        uploaded_by=user,
    )
    upload.seek(0)
    paper.file.save(f"paper.{paper_type.extension}", upload, save=False)
    try:
        with transaction.atomic():
            paper.save()
    except Exception:
        paper.file.delete(save=False)
        raise
    return paper


# --- SEND Panel ----------------------------------------------------------------------------


@transaction.atomic
def record_panel_decision(item: AgendaItem, decision: str, user: User) -> AgendaItem:
    """The chair records the SEND Panel's decision on one case, while the meeting is in
    progress. Only the decision is written, so the item's minutes (saved on their own)
    are untouched."""
    item = AgendaItem.objects.select_related("meeting__series__chair_role").get(pk=item.pk)
    meeting = item.meeting
    if not user.has_perm("meetings.chair_meeting", meeting):
        raise RefusedChange("Only the chair records the panel's decisions.")
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise RefusedChange("The panel's decision is recorded while the meeting is in progress.")
    if item.assessment_id is None:
        raise RefusedChange("This item is not a panel case: it has no assessment.")
    decision = (decision or "").strip()
    if not decision:
        raise RefusedChange("Enter the panel's decision.")
    limit = AgendaItem._meta.get_field("panel_decision").max_length
    if len(decision) > limit:
        raise RefusedChange(f"The panel's decision must be {limit} characters or fewer.")
    AgendaItem.objects.filter(pk=item.pk).update(panel_decision=decision, updated_at=timezone.now())
    item.panel_decision = decision
    return item


# --- Calendar feeds ------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_for(user: User):
    """``user``'s private calendar feed (its secret address), made the first time it is asked
    for."""
    from meetings.models import CalendarFeed

    feed, _ = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def new_calendar_address(user: User):
    """Give ``user``'s feed a new secret token: the old address stops working at once."""
    from meetings.models import CalendarFeed, new_feed_token

    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save()
    return feed


# --- When the chair is reminded to publish the minutes -------------------------------------

#: The chair is reminded to publish the minutes if they are not out within this many working
#: days of the meeting closing (local practice, from the meetings issue).
MINUTES_DUE_WORKING_DAYS = 5


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The date ``count`` working days (Monday to Friday) after ``day``.

    Bank holidays are counted as working days: ignoring them can only bring a reminder a
    day early, which does no harm, and keeps the portal free of a holiday calendar to
    maintain.
    """
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def minutes_reminder_due_on(meeting: Meeting) -> datetime.date | None:
    """The day the chair is reminded that the minutes are not published: 5 working days
    after the (London) day the meeting closed, e.g. closed on a Thursday, reminded the next
    Thursday. A meeting started early and closed before its own day counts from its day:
    its minutes cannot be published before then (``publish_minutes``). None for a meeting
    not closed."""
    if meeting.closed_at is None:
        return None
    closed_on = max(
        timezone.localtime(meeting.closed_at).date(), timezone.localtime(meeting.starts_at).date()
    )
    return add_working_days(closed_on, MINUTES_DUE_WORKING_DAYS)
