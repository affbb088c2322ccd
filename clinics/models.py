"""Social Communication Clinic referrals, the waiting list, appointments (clinic and
individual appointments with families), outcomes and post-diagnosis support.

Clinical records keep their history (django-simple-history): change them by saving the
model through clinics/services.py, never with ``QuerySet.update``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from clinics import statutory


class ReferralSource(models.TextChoices):
    HEALTH_VISITOR = "health-visitor", "Health visitor"
    GP = "gp", "GP"
    NURSERY = "nursery", "Nursery or early years setting"
    SALT = "salt", "Speech and language therapy"
    PARENT = "parent", "Parent or carer"


class Outcome(models.TextChoices):
    AUTISM_DIAGNOSED = "autism-diagnosed", "Autism diagnosed"
    NOT_AUTISTIC = "not-autistic", "Not autistic"
    FURTHER_ASSESSMENT = "further-assessment", "Further assessment"
    REFERRED_ON = "referred-on", "Referred on"


class Referral(models.Model):
    class Status(models.TextChoices):
        AWAITING_TRIAGE = "awaiting-triage", "Awaiting triage"
        MORE_INFORMATION = "more-information", "More information asked for"
        WAITING = "waiting", "On the waiting list"
        SIGNPOSTED = "signposted", "Signposted elsewhere"
        IN_ASSESSMENT = "in-assessment", "Assessment started"
        COMPLETE = "complete", "Outcome recorded"

    child = models.ForeignKey("ehcp.Child", on_delete=models.PROTECT, related_name="+")
    # The child's local area, copied from the child when the referral is saved: the lists,
    # the waiting figures and the report filter on it with an index, without joining the
    # children (docs/ARCHITECTURE.md, "Local areas").
    area = models.ForeignKey(
        "roles.LocalArea", on_delete=models.PROTECT, related_name="+", verbose_name="local area"
    )
    received_on = models.DateField("date received")
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    referrer_name = models.CharField("referrer", max_length=200)
    reason = models.TextField()
    consent_recorded = models.BooleanField(default=False)
    family_email = models.EmailField(
        "family contact email", blank=True, help_text="For appointment reminders. Optional."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.AWAITING_TRIAGE)
    # Stored so the waiting list and the reports sort and count in the database.
    assessment_due_by = models.DateField(editable=False)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    triaged_on = models.DateField(null=True, blank=True)
    triage_note = models.TextField(blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    assessment_started_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(fields=["status", "received_on"]),
            models.Index(fields=["received_on"]),
            # An area's waiting list and figures: led by the area (docs/PERFORMANCE.md).
            models.Index(fields=["area", "status", "received_on"], name="referral_area_status"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} received {self.received_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        self.assessment_due_by = statutory.assessment_due_by(self.received_on)
        self.area_id = self.child.area_id
        super().save(*args, **kwargs)

    def nice_status(self, on) -> str:
        return statutory.nice_target_status(self.received_on, self.assessment_started_on, on)

    def weeks_waited(self, on) -> int:
        return statutory.weeks_waited(self.received_on, self.assessment_started_on or on)


class Appointment(models.Model):
    """A clinic appointment (for a referral) or an individual appointment with a family."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", "Social Communication Clinic"
        INDIVIDUAL = "individual", "Individual appointment with a family"

    class Status(models.TextChoices):
        BOOKED = "booked", "Booked"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did-not-attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments"
    )
    child = models.ForeignKey("ehcp.Child", on_delete=models.PROTECT, related_name="+")
    # The child's local area, copied from the child on save, as on the referral.
    area = models.ForeignKey(
        "roles.LocalArea", on_delete=models.PROTECT, related_name="+", verbose_name="local area"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    clinicians = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.BOOKED)
    status_recorded_on = models.DateField(null=True, blank=True)
    family_email = models.EmailField("family contact email", blank=True)
    clinical_notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[clinicians])

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["starts_at"]),
            models.Index(fields=["area", "starts_at"], name="appointment_area_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="appointment_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.starts_at:%d %b %Y %H:%M}"

    def save(self, *args, **kwargs):
        self.area_id = self.child.area_id
        super().save(*args, **kwargs)

    @property
    def contact_email(self) -> str:
        if self.family_email:
            return self.family_email
        return self.referral.family_email if self.referral_id else ""


class SupportOffer(models.Model):
    """One offer in a child's post-diagnosis support plan, and whether it was taken up."""

    class Kind(models.TextChoices):
        PARENT_PROGRAMME = "parent-programme", "Parent programme"
        INFORMATION_PACK = "information-pack", "Information pack"
        PARENT_CARER_FORUM = "parent-carer-forum", "Signposting to the Parent Carer Forum"
        SENDIASS = "sendiass", "Signposting to SENDIASS"
        FOLLOW_UP_REVIEW = "follow-up-review", "Follow-up review"

    class TakenUp(models.TextChoices):
        NOT_YET_KNOWN = "", "Not yet known"
        YES = "yes", "Taken up"
        NO = "no", "Not taken up"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="support_offers")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    offered_on = models.DateField()
    due_on = models.DateField("date of the session or review", null=True, blank=True)
    taken_up = models.CharField(max_length=5, choices=TakenUp.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["offered_on", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()


class ReminderKind(models.TextChoices):
    """The reminders the clinics app sends (``notifications.Delivery.kind``)."""

    APPOINTMENT_SOON = "clinics.appointment-soon", "Appointment in the next 2 days"
