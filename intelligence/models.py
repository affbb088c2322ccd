"""What families and practitioners raise, the themes it falls under, escalations to
commissioners and their answers ("you said, we did").

These records are shared widely (commissioners, governance boards, the Parent Carer
Forum), so they hold no names, NHS numbers or dates of birth: free text is checked on
save (intelligence/anonymity.py).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ehcp.models import ProviderService
from roles.models import Organisation


class Theme(models.Model):
    """A managed theme. Merging keeps the merged theme (pointing at the one it joined),
    so history and old reports stay readable."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_themes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ConcernSource(models.TextChoices):
    SENDIASS = "sendiass", "SENDIASS (monthly intelligence sharing)"
    APPOINTMENT = "appointment", "Individual appointment"
    HEALTH_CAFE = "health-cafe", "SEND Health Café"
    PANEL = "panel", "SEND Panel"
    PARENT_CARER_FORUM = "parent-carer-forum", "Parent Carer Forum"
    PRACTITIONER = "practitioner", "Practitioner"
    OTHER = "other", "Other"


SERVICE_CHOICES = [
    *ProviderService.choices,
    ("council-send", "Council SEND team"),
    ("education", "School or setting"),
]


class Concern(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        DISCUSSED = "discussed", "Discussed at a meeting"
        ESCALATED = "escalated", "Escalated to commissioners"
        RESPONDED = "responded", "Response given"
        CLOSED = "closed", "Closed"

    # The local area the concern was raised in: only people working in it reach it, and the
    # report counts it for that area. Themes stay shared across the ICB (one vocabulary).
    area = models.ForeignKey(
        "roles.LocalArea", on_delete=models.PROTECT, related_name="+", verbose_name="local area"
    )
    raised_on = models.DateField()
    source = models.CharField(max_length=30, choices=ConcernSource.choices)
    service = models.CharField(max_length=30, choices=SERVICE_CHOICES, blank=True)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="concerns"
    )
    themes = models.ManyToManyField(Theme, related_name="concerns")
    summary = models.TextField()
    families = models.PositiveIntegerField(
        "families it represents", default=1, help_text="How many families raised this."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_logged"
    )
    logged_at = models.DateTimeField(auto_now_add=True)
    # Discussed at the intelligence-sharing meeting (meetings app) and what it decided.
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    meeting_outcome = models.TextField(blank=True)
    # Passed on from a clinic or individual appointment (clinics app); the concern holds
    # nothing identifying, only this link for those who may open the appointment.
    source_appointment = models.ForeignKey(
        "clinics.Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [
            # Periods of the report, and the concerns list newest first a page at a time.
            models.Index(fields=["raised_on", "id"], name="concern_raised_on"),
            models.Index(fields=["status"]),
            # One area's concerns newest first, and its report's periods.
            models.Index(fields=["area", "raised_on", "id"], name="concern_area_raised_on"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(families__gte=1), name="concern_has_a_family")
        ]

    def __str__(self) -> str:
        return self.summary[:60]


class Escalation(models.Model):
    """A question put to the commissioners about a concern or a whole theme, and their answer."""

    concern = models.ForeignKey(
        Concern, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations"
    )
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="escalations"
    )
    # The concern's area, or for a theme put to the commissioners the area of the person
    # who put it (a theme is shared, the question is one area's): set by the service.
    area = models.ForeignKey(
        "roles.LocalArea", on_delete=models.PROTECT, related_name="+", verbose_name="local area"
    )
    question = models.TextField()
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="escalations_made"
    )
    escalated_at = models.DateTimeField(auto_now_add=True)
    response = models.TextField(blank=True)
    action = models.TextField("what will be done", blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalations_answered",
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-escalated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concern__isnull=False) | Q(theme__isnull=False),
                name="escalation_is_about_a_concern_or_a_theme",
            )
        ]
        indexes = [
            # The escalations list: those waiting for an answer, the longest waiting first.
            models.Index(
                fields=["escalated_at", "id"],
                condition=Q(responded_at__isnull=True),
                name="escalation_waiting",
            ),
            # ... and the answered ones, the latest first ("you said, we did" too).
            models.Index(fields=["-responded_at"], name="escalation_responded_at"),
        ]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_answered(self) -> bool:
        return self.responded_at is not None


class ReportPack(models.Model):
    """A governance pack PDF someone asked for: its period, how far its build has got, and
    the file once built. Only the person who asked may see or download it (rules.py).

    The build runs in a Celery worker (tasks.build_report_pack); the row is its job state,
    moved on by conditional updates only (services.py), so a second delivery of the same
    task finds the pack no longer queued and builds nothing. The figures are anonymous, but
    a pack is a snapshot: it is deleted a day after it was asked for (PACK_KEEP).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be built"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_packs"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    #: One local area's pack; none: every area the asker works in (an ICB's pack). Either
    #: way the figures are of areas the asker works in when it is built.
    area = models.ForeignKey(
        "roles.LocalArea", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    #: When a worker claimed the build: a build still "being built" past the task's hard
    #: time limit was killed with its worker, and the next delivery may claim it again.
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="report-packs/", max_length=200, blank=True)
    #: The kind of error only (never a message, which could quote data): for the admin.
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="report_pack_period_in_order"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_pack_progress"),
        ]

    def __str__(self) -> str:
        return f"Governance pack {self.starts_on:%Y-%m-%d} to {self.ends_on:%Y-%m-%d}"

    @property
    def is_waiting(self) -> bool:
        """Still to be built: the status page checks again."""
        return self.status in (self.Status.QUEUED, self.Status.BUILDING)
