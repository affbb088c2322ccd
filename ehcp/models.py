"""Children and young people, EHC needs assessments, health advice, the health sections
C and G, their quality assurance, the DMO's medical sign-off and annual reviews.

The health sections are edited as a working copy on ``Plan`` (with an edit
counter for optimistic locking and django-simple-history for every change).
Sending them for sign-off freezes a ``SectionsVersion``: an append-only
snapshot with a SHA-256 hash of its exact text. Sign-offs, returns and the
ICB's agreement point at a version, so what was signed never changes; on
PostgreSQL a trigger refuses any UPDATE or DELETE of versions and sign-offs.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ehcp import statutory
from roles.models import Organisation


class Need(models.TextChoices):
    """The SEN2 primary and secondary need categories (DfE SEN2 data collection)."""

    ASD = "ASD", "Autistic spectrum disorder"
    SLCN = "SLCN", "Speech, language and communication needs"
    SEMH = "SEMH", "Social, emotional and mental health"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SPLD = "SPLD", "Specific learning difficulty"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    OTH = "OTH", "Other difficulty or disability"


class ProviderService(models.TextChoices):
    COMMUNITY_PAEDIATRICS = "community-paediatrics", "Community paediatrics"
    SALT = "salt", "Speech and language therapy"
    OT = "ot", "Occupational therapy"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    CAMHS = "camhs", "CAMHS"
    SCHOOL_NURSING = "school-nursing", "School nursing"
    HEALTH_VISITING = "health-visiting", "Health visiting"
    OTHER = "other", "Other health service"


class ChildQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(): the name keys are set here for rows made in bulk.
        objs = list(objs)
        for child in objs:
            child.set_name_keys()
        return super().bulk_create(objs, *args, **kwargs)


class Child(models.Model):
    """A child or young person (0–25). Identifiable: every view is logged in the audit log
    (``ehcp.services.record_child_access``)."""

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # The names as the anonymity check compares them (send_portal.text_match.name_key):
    # kept beside the names so one indexed query finds a name however it was typed, on
    # SQLite as on PostgreSQL (whose lower() and accents differ). Set on every save.
    first_name_key = models.CharField(max_length=200, editable=False, default="")
    last_name_key = models.CharField(max_length=200, editable=False, default="")
    date_of_birth = models.DateField()
    nhs_number = models.CharField("NHS number", max_length=10, null=True, blank=True, unique=True)
    school_or_setting = models.CharField(max_length=200, blank=True)
    primary_need = models.CharField(max_length=5, choices=Need.choices)
    secondary_need = models.CharField(max_length=5, choices=Need.choices, blank=True)
    # The local area whose services the child is known to: the child's assessments, plans,
    # advice requests, reviews and appeals belong to it through the child, and only people
    # working in it reach them (ehcp.selectors.reachable_by, docs/SECURITY.md).
    area = models.ForeignKey(
        "roles.LocalArea",
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="local area",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children and young people"
        indexes = [
            # The children list, in name order a page at a time.
            models.Index(fields=["last_name", "first_name", "id"], name="child_by_name"),
            # The same list for someone working in some areas of a region: their areas' rows
            # in name order, whatever the other areas hold.
            models.Index(
                fields=["area", "last_name", "first_name", "id"], name="child_by_area_and_name"
            ),
            # The anonymity check: is this pair of words a child's name?
            models.Index(fields=["last_name_key", "first_name_key"], name="child_by_name_key"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.set_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)

    def set_name_keys(self) -> None:
        from send_portal.text_match import name_key

        self.first_name_key = name_key(self.first_name)
        self.last_name_key = name_key(self.last_name)

    @property
    def full_name(self) -> str:
        # A child known by one name (or imported with a part missing) shows no stray space.
        return " ".join(part for part in (self.first_name.strip(), self.last_name.strip()) if part)

    @property
    def nhs_number_display(self) -> str:
        if not self.nhs_number:
            return ""
        return f"{self.nhs_number[:3]} {self.nhs_number[3:6]} {self.nhs_number[6:]}"


def childs_area() -> models.ForeignKey:
    """The child's local area, carried on an assessment, its plan and its advice requests:
    set from the child (or the assessment) when the record is made and never changed (a
    child is added to one area and stays there), so that one area's lists are read from
    indexes led by the area instead of joining every row to its child."""
    return models.ForeignKey(
        "roles.LocalArea",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name="local area",
    )


class Assessment(models.Model):
    """An EHC needs assessment and its statutory clock, counted from the request date."""

    class Decision(models.TextChoices):
        ASSESS = "assess", "Agreed to assess"
        NOT_ASSESS = "not-assess", "Decided not to assess"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    area = childs_area()
    council_reference = models.CharField(max_length=50, blank=True)
    requested_on = models.DateField()
    case_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_as_case_officer",
    )
    # Statutory dates, stored so that lists sort and filter by them in the database.
    decision_due = models.DateField(editable=False)
    final_plan_due = models.DateField(editable=False)
    # What happened, when.
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    draft_issued_on = models.DateField(null=True, blank=True)
    final_issued_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["final_plan_due"]
        indexes = [
            # The commissioner report counts plans issued in a period.
            models.Index(fields=["final_issued_on"], name="assessment_final_issued"),
            # The sign-off queue walks plans by deadline and stops at a page.
            models.Index(fields=["final_plan_due"], name="assessment_final_plan_due"),
            # The same, and the report's plans issued, for one local area of a region.
            models.Index(fields=["area", "final_plan_due"], name="assessment_area_plan_due"),
            models.Index(fields=["area", "final_issued_on"], name="assessment_area_issued"),
        ]

    def __str__(self) -> str:
        return f"Assessment requested {self.requested_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.area_id is None:
            self.area_id = self.child.area_id
        deadlines = statutory.assessment_deadlines(self.requested_on)
        self.decision_due = deadlines.decision_due
        self.final_plan_due = deadlines.final_plan_due
        super().save(*args, **kwargs)

    @property
    def deadlines(self) -> statutory.AssessmentDeadlines:
        return statutory.assessment_deadlines(self.requested_on)

    @property
    def parent_response_ends(self) -> datetime.date | None:
        if self.draft_issued_on is None:
            return None
        return statutory.parent_response_ends(self.draft_issued_on)


class ClockException(models.Model):
    """A regulation exception, recorded with its reason; figures are shown with and without."""

    class AppliesTo(models.TextChoices):
        HEALTH_ADVICE = "health-advice", "The 6-week limit for health advice (reg 8(2))"
        TWENTY_WEEKS = "twenty-weeks", "The 20-week limit for the final plan (reg 10(4))"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="exceptions")
    advice_request = models.ForeignKey(
        "AdviceRequest", on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    applies_to = models.CharField(max_length=20, choices=AppliesTo.choices)
    reason = models.CharField(max_length=30)
    note = models.TextField(blank=True)
    applies_from = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["applies_from"]

    def __str__(self) -> str:
        return self.reason_label

    @property
    def reason_label(self) -> str:
        choices = (
            statutory.HealthAdviceException
            if self.applies_to == self.AppliesTo.HEALTH_ADVICE
            else statutory.TwentyWeekException
        )
        return dict(choices.choices).get(self.reason, self.reason)


class AdviceRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(submitted_at__isnull=True)


class AdviceRequest(models.Model):
    """A request to a provider service for health advice, and the advice it returns."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="advice_requests"
    )
    area = childs_area()
    annual_review = models.ForeignKey(
        "AnnualReview",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_requests",
    )
    service = models.CharField(max_length=30, choices=ProviderService.choices)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="advice_requests"
    )
    requested_on = models.DateField()
    due_on = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_requested"
    )
    question = models.TextField(blank=True, help_text="What the council needs to know.")
    last_chased_on = models.DateField(null=True, blank=True)
    times_chased = models.PositiveSmallIntegerField(default=0)
    # The advice itself, written by the provider's health professional.
    advice = models.TextField(blank=True)
    no_health_needs = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_submitted",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)

    objects = AdviceRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("requested_on")),
                name="advice_due_on_or_after_request",
            )
        ]
        indexes = [
            # The commissioner report counts advice returned in a period, and whether on time
            # or excepted: the index alone answers (PostgreSQL), without reading the requests'
            # text (a year and the year before are two thirds of the table).
            models.Index(
                fields=["returned_on"],
                include=["due_on", "id"],
                name="advice_returned_covering",
            ),
            # "Some advice not returned" on the sign-off queue: the open requests only.
            models.Index(
                fields=["assessment"],
                condition=Q(submitted_at__isnull=True),
                name="advice_open_by_assessment",
            ),
            # The open requests by due date: the home page's waiting and overdue counts, and
            # the advice list's pages (the ids in list order).
            models.Index(
                fields=["due_on", "id"],
                condition=Q(submitted_at__isnull=True),
                name="advice_open_by_due_on",
            ),
            # The same for one local area of a region.
            models.Index(
                fields=["area", "due_on", "id"],
                condition=Q(submitted_at__isnull=True),
                name="advice_open_by_area_due_on",
            ),
            # The sign-off queue's "Advice from" choices: the providers asked in an area.
            models.Index(fields=["area", "provider"], name="advice_by_area_and_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} advice due {self.due_on:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.area_id is None:
            self.area_id = self.assessment.area_id
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None

    @property
    def status(self) -> statutory.DeadlineStatus:
        return statutory.deadline_status(self.due_on, self.returned_on)


class Plan(models.Model):
    """The health sections of a child's EHC plan: C (health needs) and G (health provision).

    ``section_c`` and ``section_g`` are the working copy. ``edit_count`` goes up
    by one on every save and a save must name the count it started from, so a
    second person's stale save is refused instead of overwriting the first.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGN_OFF = "awaiting-sign-off", "Awaiting sign-off"
        RETURNED = "returned", "Returned for amendment"
        SIGNED_OFF = "signed-off", "Signed off"
        AWAITING_SIGN_OFF_AGAIN = "awaiting-sign-off-again", "Awaiting sign-off again"

    WAITING_FOR_SIGN_OFF = (Status.AWAITING_SIGN_OFF, Status.AWAITING_SIGN_OFF_AGAIN)

    assessment = models.OneToOneField(Assessment, on_delete=models.PROTECT, related_name="plan")
    area = childs_area()
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    section_c = models.TextField("Section C: health needs", blank=True)
    # Section G rows: [{"provision", "provided_by", "frequency", "duration", "outcome"}].
    section_g = models.JSONField("Section G: health provision", default=list, blank=True)
    edit_count = models.PositiveIntegerField(default=0)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    last_edited_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        indexes = [
            models.Index(fields=["status"]),
            # The sign-off queue and the home page's counts of one local area of a region:
            # its plans waiting, from the index alone.
            models.Index(fields=["area", "status"], name="plan_by_area_and_status"),
        ]

    def __str__(self) -> str:
        return f"Health sections for {self.assessment.child}"

    def save(self, *args, **kwargs):
        if self.area_id is None:
            self.area_id = self.assessment.area_id
        super().save(*args, **kwargs)


G_ROW_FIELDS = ("provision", "provided_by", "frequency", "duration", "outcome")


def signed_text(section_c: str, section_g: list[dict]) -> str:
    """The exact text a sign-off covers, in one canonical form, for hashing."""
    rows = [{key: row.get(key, "") for key in G_ROW_FIELDS} for row in section_g]
    return json.dumps(
        {"section_c": section_c, "section_g": rows}, ensure_ascii=False, sort_keys=True
    )


def text_hash(section_c: str, section_g: list[dict]) -> str:
    return hashlib.sha256(signed_text(section_c, section_g).encode("utf-8")).hexdigest()


class SectionsVersion(models.Model):
    """A frozen copy of sections C and G, sent for sign-off. Never changed or deleted."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    section_c = models.TextField()
    section_g = models.JSONField(default=list)
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_version_number_per_plan")
        ]
        indexes = [
            # The report's sign-off waits read when each signed version was sent: from this
            # index alone (PostgreSQL), not the table, whose rows carry the sections' text.
            models.Index(
                fields=["id"], include=["submitted_at", "plan"], name="version_sent_covering"
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A sections version is frozen once sent for sign-off.")
        self.content_hash = self.computed_hash()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A sections version is never deleted.")

    @property
    def area_id(self) -> int:
        """The local area the record belongs to: its child's, carried on its plan
        (roles.rules)."""
        return self.plan.area_id

    def computed_hash(self) -> str:
        return text_hash(self.section_c, self.section_g)

    @property
    def text_intact(self) -> bool:
        """The stored text still hashes to what was frozen and, once signed, to what was
        signed. Every page showing a version's sections warns when it does not (the shared
        ``ehcp/_hash_warning.html``); load ``sign_off`` with the version to save a query."""
        digest = self.computed_hash()
        sign_off = getattr(self, "sign_off", None)
        return digest == self.content_hash and (sign_off is None or sign_off.text_hash == digest)


class SignOff(models.Model):
    """The DMO's medical sign-off of one version: a clinical-safety record, never changed."""

    version = models.OneToOneField(
        SectionsVersion, on_delete=models.PROTECT, related_name="sign_off"
    )
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    role_name = models.CharField(max_length=100)
    organisation_name = models.CharField(max_length=200)
    registration_number = models.CharField(max_length=30)
    attestation = models.TextField()
    signed_at = models.DateTimeField(default=timezone.now)
    text_hash = models.CharField("SHA-256 of the signed text", max_length=64)

    class Meta:
        # The commissioner report counts sign-offs made in a period.
        indexes = [models.Index(fields=["signed_at"], name="sign_off_signed_at")]

    def __str__(self) -> str:
        return f"Signed off by {self.signed_by} on {self.signed_at:%d %b %Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A sign-off is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A sign-off is never deleted.")


class SignOffAcknowledgement(models.Model):
    """An open quality finding the DMO acknowledged, with the reason, when signing off.

    Kept with the sign-off and printed with it, so whoever reads the signed sections sees
    what the automatic checks flagged and why the DMO signed anyway. Never changed.
    """

    #: A reason long enough to explain a clinical judgement, short enough to print.
    REASON_MAX_LENGTH = 1000

    sign_off = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="acknowledgements")
    position = models.PositiveSmallIntegerField()
    finding = models.CharField(max_length=500)
    reason = models.TextField()

    class Meta:
        ordering = ["sign_off", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sign_off", "position"], name="one_acknowledgement_per_position"
            )
        ]

    def __str__(self) -> str:
        return self.finding

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("An acknowledgement is part of a sign-off and is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("An acknowledgement is part of a sign-off and is never deleted.")


class SignOffReturn(models.Model):
    """The DMO sent a version back to its author with comments."""

    version = models.ForeignKey(SectionsVersion, on_delete=models.PROTECT, related_name="returns")
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    returned_at = models.DateTimeField(default=timezone.now)
    comments = models.TextField()

    def __str__(self) -> str:
        return f"Returned by {self.returned_by} on {self.returned_at:%d %b %Y}"


class CommissionerAgreement(models.Model):
    """The ICB agreed the section G provision of a version (CFA 2014 s42(3))."""

    version = models.OneToOneField(
        SectionsVersion, on_delete=models.PROTECT, related_name="commissioner_agreement"
    )
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    organisation_name = models.CharField(max_length=200)
    agreed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Agreed by {self.agreed_by} for {self.organisation_name}"


#: The PostgreSQL advisory lock that writers of case changes take in turn (any 64-bit number
#: no other part of the portal uses: "ehcp chg" in ASCII).
CASE_CHANGES_LOCK = int.from_bytes(b"ehcp chg", "big") & 0x7FFF_FFFF_FFFF_FFFF


def take_turn_to_write_case_changes(using: str = "default") -> None:
    """Wait for any other transaction writing a case change to end, and keep the others
    waiting until this one ends (PostgreSQL's transaction-level advisory lock).

    Why: the changes feed reads after a cursor of ids (``selectors.changes_after``), and an
    id is taken when a row is inserted, not when its transaction commits. Were two writers
    to overlap, a change taking id 10 could commit after one taking id 11, and a reader who
    had read 11 and keeps "after 11" would never see 10. Taking turns, each change's id is
    taken only once every earlier change is committed (or rolled back), so ids become
    visible in their order and a cursor misses nothing. SQLite needs nothing: its write
    transactions already run one at a time (IMMEDIATE). The turn is held from the change to
    the end of its transaction: the services write their change last, so it is milliseconds.
    """
    connection = connections[using]
    if not connection.in_atomic_block:
        raise RuntimeError("A case change is written inside the transaction of its change.")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CASE_CHANGES_LOCK])


class CaseChange(models.Model):
    """Something a council's case system must hear of: health advice returned, sections
    signed off, sections returned for amendment, the ICB's agreement of the provision.

    Written by the service that makes the change (``ehcp.services``), in its transaction,
    so there is a change exactly when the record exists; never changed or deleted (on
    PostgreSQL a trigger refuses it). The councils' changes feed reads it after a cursor
    (``selectors.changes_after``); the portal's webhooks hear of each one through
    ``ehcp.signals.case_changed``. It carries ids only: what changed is read through the API.
    """

    class Kind(models.TextChoices):
        ADVICE_RETURNED = "advice.returned", "Health advice returned"
        SECTIONS_SIGNED = "sections.signed", "Health sections signed off"
        SECTIONS_RETURNED = "sections.returned", "Health sections returned for amendment"
        PROVISION_AGREED = "provision.agreed", "Health provision agreed by the ICB"

    #: The id the change is known by outside the portal: the same in the feed and in every
    #: webhook that tells of it, so a system hearing of it twice can tell.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    # The child's area, copied as on the assessment: one council's changes are read from an
    # index led by the area.
    area = childs_area()
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    advice_request = models.ForeignKey(
        AdviceRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.ForeignKey(
        SectionsVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    occurred_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [
            # The feed: one council's areas' changes in the order they were written.
            models.Index(fields=["area", "id"], name="case_change_feed"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.occurred_at:%d %b %Y %H:%M})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A case change is never changed once written.")
        if self.area_id is None:
            self.area_id = self.child.area_id
        # However it is written (the services, a script), its id is taken in turn.
        take_turn_to_write_case_changes(kwargs.get("using") or "default")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A case change is never deleted.")


class QualityCriterion(models.Model):
    """One audit criterion for health advice and sections; administrators may add more."""

    text = models.CharField(max_length=300)
    source = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name_plural = "quality criteria"

    def __str__(self) -> str:
        return self.text


class QualityReview(models.Model):
    class Grade(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires-improvement", "Requires improvement"
        INADEQUATE = "inadequate", "Inadequate"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="quality_reviews")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    reviewed_at = models.DateTimeField(default=timezone.now)
    plan_edit_count = models.PositiveIntegerField(help_text="The working copy reviewed.")
    grade = models.CharField(max_length=30, choices=Grade.choices)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_at"]
        indexes = [models.Index(fields=["reviewed_at"], name="quality_review_reviewed_at")]

    def __str__(self) -> str:
        return f"{self.get_grade_display()} ({self.reviewed_at:%d %b %Y})"


class QualityResult(models.Model):
    class Rating(models.TextChoices):
        MET = "met", "Met"
        PARTLY_MET = "partly-met", "Partly met"
        NOT_MET = "not-met", "Not met"

    review = models.ForeignKey(QualityReview, on_delete=models.CASCADE, related_name="results")
    criterion = models.ForeignKey(QualityCriterion, on_delete=models.PROTECT)
    rating = models.CharField(max_length=20, choices=Rating.choices)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_result_per_criterion")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_rating_display()}"


class AnnualReview(models.Model):
    """A review of an issued plan: due within 12 months of the plan or the last review."""

    class Decision(models.TextChoices):
        KEEP = "keep", "Keep the plan as it is"
        AMEND = "amend", "Amend the plan"
        CEASE = "cease", "Cease the plan"

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="annual_reviews")
    due_on = models.DateField()
    meeting_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    amended_plan_final_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Annual review due {self.due_on:%d %b %Y}"

    @property
    def area_id(self) -> int:
        """The local area the record belongs to: its child's, carried on its plan
        (roles.rules)."""
        return self.plan.area_id

    @property
    def deadlines(self) -> statutory.ReviewDeadlines | None:
        return statutory.review_deadlines(self.meeting_on) if self.meeting_on else None


class ReminderKind(models.TextChoices):
    """The reminders and notices the ehcp app sends (``notifications.Delivery.kind``)."""

    ADVICE_DUE_SOON = "ehcp.advice-due-soon", "Health advice due in 7 days"
    ADVICE_OVERDUE = "ehcp.advice-overdue", "Health advice overdue"
    SIGN_OFF_SUMMARY = "ehcp.sign-off-summary", "Plans waiting for sign-off"
    PLAN_RETURNED = "ehcp.plan-returned", "Health sections returned for amendment"
