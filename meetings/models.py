"""Meeting series and their recurrence, meetings, agendas, attendance, minutes and actions.

A series holds its recurrence as an iCalendar RRULE in local (Europe/London)
wall-clock time; meetings are materialised from it 12 months ahead. Each
meeting keeps the date it was generated for (``occurrence_date``), so moving or
cancelling one meeting never breaks the series, and its calendar UID stays the
same when it moves (calendars update the event rather than duplicate it).
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from roles.models import Role
from send_portal.london_time import long_date


class MeetingKind(models.TextChoices):
    SEND_PANEL = "send-panel", "SEND Panel"
    HEALTH_CAFE = "health-cafe", "SEND Health Café"
    INTELLIGENCE_SHARING = "intelligence-sharing", "Intelligence-sharing meeting"
    OTHER = "other", "Other meeting"


def default_reminder_days() -> list[int]:
    return [7, 1]


class MeetingSeries(models.Model):
    # Unique within its area (Meta): Sunderland's "SEND Health Café" is not South Tyneside's.
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=30, choices=MeetingKind.choices)
    # The local area whose meetings these are: its meetings, agendas, attendance, actions,
    # papers and calendar events belong to it through the series, and only people working
    # in it (or named in person as members) reach them (meetings.selectors, docs/SECURITY.md).
    area = models.ForeignKey(
        "roles.LocalArea",
        on_delete=models.PROTECT,
        related_name="meeting_series",
        verbose_name="local area",
    )
    chair_role = models.ForeignKey(
        Role, on_delete=models.PROTECT, null=True, blank=True, related_name="chaired_series"
    )
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    start_time = models.TimeField(help_text="Local time (Europe/London) the meetings start.")
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    rrule = models.CharField(
        "recurrence rule",
        max_length=200,
        help_text="An iCalendar RRULE, e.g. FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU (every 2 months "
        "on the second Tuesday).",
    )
    starts_on = models.DateField(help_text="The first date the rule counts from.")
    ends_on = models.DateField(null=True, blank=True)
    quorum_minimum = models.PositiveSmallIntegerField(
        default=0, help_text="How many core members must be present."
    )
    required_roles = models.ManyToManyField(
        Role,
        blank=True,
        related_name="required_in_series",
        help_text="Roles at least one present person must hold, e.g. health for the panel.",
    )
    reminder_days = models.JSONField(
        default=default_reminder_days, help_text="Days before each meeting members are reminded."
    )
    agenda_lock_hours = models.PositiveSmallIntegerField(
        default=48, help_text="The agenda closes this long before the meeting (not for the chair)."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "meeting series"
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="series_name_unique_in_its_area")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def how_often(self) -> str:
        """The rule in words ("Every 2 months on the second Tuesday")."""
        from meetings.recurrence import describe

        return describe(self.rrule)


class SeriesMember(models.Model):
    """A core member of a series: a named person, or whoever holds a role at the time."""

    series = models.ForeignKey(MeetingSeries, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, role__isnull=True)
                | Q(user__isnull=True, role__isnull=False),
                name="series_member_is_a_person_or_a_role",
            ),
            models.UniqueConstraint(
                fields=["series", "user"], condition=Q(user__isnull=False), name="one_person_once"
            ),
            models.UniqueConstraint(
                fields=["series", "role"], condition=Q(role__isnull=False), name="one_role_once"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.role)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        IN_PROGRESS = "in-progress", "In progress"
        CLOSED = "closed", "Closed"

    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    occurrence_date = models.DateField(help_text="The date the series' rule gave this meeting.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    moved = models.BooleanField(default=False)
    # Goes up each time the time or place changes: the iCalendar SEQUENCE, and the key of
    # the "meeting moved" notice, so each move is announced once.
    sequence = models.PositiveIntegerField(default=0)
    calendar_uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_at = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approved_minutes_of",
        help_text="The later meeting that approved these minutes.",
    )
    minutes_approved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence_date"], name="one_meeting_per_occurrence"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "starts_at"]),
            # The dashboard's "next meeting" of each series: one index probe per series.
            models.Index(
                fields=["series", "starts_at"],
                condition=Q(status="scheduled"),
                name="meeting_scheduled_by_series",
            ),
            # "Minutes to publish": the few closed meetings still waiting, oldest first.
            models.Index(
                fields=["closed_at"],
                condition=Q(status="closed", minutes_published_at__isnull=True),
                name="meeting_minutes_to_publish",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series.name}, {long_date(self.starts_at)}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def agenda_locks_at(self) -> datetime.datetime:
        return self.starts_at - datetime.timedelta(hours=self.series.agenda_lock_hours)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=150, blank=True)
    minutes_allotted = models.PositiveSmallIntegerField(default=10)
    # Captured during the meeting, saved item by item.
    minutes = models.TextField(blank=True)
    decision = models.TextField(blank=True)
    # SEND Panel: the EHC needs assessment this item is the case of.
    assessment = models.ForeignKey(
        "ehcp.Assessment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    panel_decision = models.CharField(max_length=300, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return self.title


def paper_upload_to(paper: Paper, filename: str) -> str:
    # The stored name is not the uploaded one: file names often carry a child's name.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"meeting-papers/{paper.meeting_id}/{uuid.uuid4().hex}.{extension}"


class Paper(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="papers"
    )
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=paper_upload_to)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        EXPECTED = "expected", "Not recorded yet"
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    guest_name = models.CharField(max_length=150, blank=True)
    guest_organisation = models.CharField(max_length=200, blank=True)
    is_core_member = models.BooleanField(default=False)
    # The roles the person held on the day: what the quorum and the reports count.
    role_codes = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.EXPECTED)
    apologies_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_core_member", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"], condition=Q(user__isnull=False), name="attend_once"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(guest_name=""),
                name="attendance_is_a_member_or_a_named_guest",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user or self.guest_name)

    @property
    def name(self) -> str:
        return self.user.display_name if self.user_id else self.guest_name


class Action(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.description[:60]


class ReminderKind(models.TextChoices):
    """The reminders and notices the meetings app sends (``notifications.Delivery.kind``),
    each named as the DCO's dashboard lists those that did not send."""

    MEETING_SOON = "meetings.meeting-soon", "Meeting reminder"
    PAPERS_DUE = "meetings.papers-due", "Papers due (chair)"
    MEETING_MOVED = "meetings.meeting-moved", "Meeting moved"
    MEETING_CANCELLED = "meetings.meeting-cancelled", "Meeting cancelled"
    ACTION_DUE_SOON = "meetings.action-due-soon", "Action due in 3 days"
    ACTION_OVERDUE = "meetings.action-overdue", "Action overdue"
    PUBLISH_MINUTES = "meetings.publish-minutes", "Minutes not yet published (chair)"
    MINUTES_PUBLISHED = "meetings.minutes-published", "Minutes published"


def new_feed_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private iCalendar feed of their meetings, reached by a secret token.

    Making a new token revokes the old one: the old address stops working at once.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
