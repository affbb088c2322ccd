"""SEND Tribunal appeals against a child's EHC decision: health's evidence, witnesses, the
Tribunal's health recommendations and health's response to each.

Appeals name a child and say something clinical: they keep their history
(django-simple-history), so change them through tribunal/services.py, never with
``QuerySet.update``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from tribunal import statutory


class DecisionAppealed(models.TextChoices):
    REFUSAL_TO_ASSESS = "refusal-to-assess", "Refusal to carry out an EHC needs assessment"
    REFUSAL_TO_ISSUE = "refusal-to-issue", "Refusal to issue an EHC plan"
    CONTENTS = "contents", "The contents of the EHC plan"
    AMENDMENT = "amendment", "The amended EHC plan after a review"
    CEASE = "cease", "A decision to cease the EHC plan"


class Appeal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the hearing"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    child = models.ForeignKey("ehcp.Child", on_delete=models.PROTECT, related_name="+")
    decision_appealed = models.CharField(max_length=30, choices=DecisionAppealed.choices)
    registered_on = models.DateField("date registered")
    tribunal_reference = models.CharField("Tribunal's reference", max_length=30)
    hearing_on = models.DateField("hearing date", null=True, blank=True)
    health_issues = models.TextField("health issues the appeal raises")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    decided_on = models.DateField("date of the Tribunal's decision", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-registered_on", "-pk"]
        indexes = [models.Index(fields=["status", "hearing_on"])]

    def __str__(self) -> str:
        # No child's name: the admin and logs show the Tribunal's reference only.
        return f"Appeal {self.pk} registered {self.registered_on:%d %b %Y}"


class EvidenceRequest(models.Model):
    """The Tribunal asks health for information or evidence, of one provider, by a date."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="evidence_requests")
    provider = models.ForeignKey("roles.Organisation", on_delete=models.PROTECT, related_name="+")
    asked = models.TextField("what the Tribunal asks for")
    due_on = models.DateField("due by")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    evidence = models.TextField(blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField("sent to the Tribunal", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["sent_on", "due_on"])]

    def __str__(self) -> str:
        return f"Evidence request {self.pk} due {self.due_on:%d %b %Y}"

    @property
    def area_id(self) -> int:
        """The local area the record belongs to: its child's (roles.rules)."""
        return self.appeal.child.area_id

    @property
    def is_open(self) -> bool:
        return self.sent_on is None

    def status(self, today=None) -> statutory.DeadlineStatus:
        return statutory.deadline_status(self.due_on, self.sent_on, today)


class Witness(models.Model):
    """Who attends the hearing for health."""

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="witnesses")
    name = models.CharField(max_length=200)
    role = models.CharField("role and organisation", max_length=200)
    confirmed_on = models.DateField("date attendance was confirmed", null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "witnesses"

    def __str__(self) -> str:
        return f"Witness {self.pk}"

    @property
    def area_id(self) -> int:
        """The local area the record belongs to: its child's (roles.rules)."""
        return self.appeal.child.area_id


class Recommendation(models.Model):
    """A health recommendation of the Tribunal and health's response to it (reg 6)."""

    class Response(models.TextChoices):
        FOLLOW = "follow", "Follow the recommendation"
        FOLLOW_IN_PART = "follow-in-part", "Follow the recommendation in part"
        NOT_FOLLOW = "not-follow", "Not follow the recommendation"

    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="recommendations")
    made_on = models.DateField("date of the recommendation")
    recommendation = models.TextField()
    # Stored so lists, reminders and the report sort and count in the database.
    response_due = models.DateField(editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    response_text = models.TextField("what health will do", blank=True)
    reasons = models.TextField("reasons for not following it in full", blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    drafted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_on = models.DateField("date the response was sent", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["made_on", "pk"]
        indexes = [
            models.Index(fields=["sent_on", "response_due"]),
            models.Index(fields=["made_on"]),
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.pk} made {self.made_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.response_due = statutory.response_due(self.made_on)
        super().save(*args, **kwargs)

    @property
    def area_id(self) -> int:
        """The local area the record belongs to: its child's (roles.rules)."""
        return self.appeal.child.area_id

    @property
    def stage(self) -> str:
        if self.sent_on:
            return "sent"
        if self.approved_at:
            return "approved"
        if self.drafted_at:
            return "drafted"
        return "waiting"

    def status(self, today=None) -> statutory.DeadlineStatus:
        return statutory.deadline_status(self.response_due, self.sent_on, today)


class ReminderKind(models.TextChoices):
    """The reminders the tribunal app sends (``notifications.Delivery.kind``)."""

    EVIDENCE_DUE_SOON = "tribunal.evidence-due-soon", "Tribunal evidence due in 7 days"
    EVIDENCE_OVERDUE = "tribunal.evidence-overdue", "Tribunal evidence overdue"
    RESPONSE_DUE_SOON = "tribunal.response-due-soon", "Response to a recommendation due in 7 days"
    RESPONSE_OVERDUE = "tribunal.response-overdue", "Response to a recommendation overdue"
    RESPONSE_TO_APPROVE = "tribunal.response-to-approve", "Response waiting for approval"
