"""Everything that changes EHC plan records, and the rules that guard each change.

Views and tasks call these functions; the rules live here once. Each raises
``RefusedChange`` with a message fit to show the person when the change is
not allowed, and changes nothing in that case.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import Kind, record_event
from ehcp import quality, selectors, statutory
from ehcp.models import (
    AdviceRequest,
    AnnualReview,
    Assessment,
    CaseChange,
    Child,
    ClockException,
    CommissionerAgreement,
    Plan,
    QualityCriterion,
    QualityResult,
    QualityReview,
    SectionsVersion,
    SignOff,
    SignOffAcknowledgement,
    SignOffReturn,
    text_hash,
)
from ehcp.signals import case_changed
from roles.models import RoleCode, User
from roles.selectors import current_assignment
from send_portal.london_time import long_date
from send_portal.refusals import RefusedChange

ATTESTATION = (
    "I have reviewed the health information in sections C and G of this plan and the health "
    "advice it draws on. To the best of my clinical knowledge it is accurate, it describes "
    "the child's or young person's health needs that relate to their special educational "
    "needs, and the health provision is specified and quantified."
)


class StaleEdit(RefusedChange):
    """Someone else saved the sections after this person opened them."""


# --- What the councils' case systems hear of -----------------------------------------


def record_case_change(
    kind: str,
    *,
    assessment: Assessment,
    advice_request: AdviceRequest | None = None,
    version: SectionsVersion | None = None,
    at: datetime.datetime | None = None,
) -> CaseChange:
    """Write the ``CaseChange`` a council must hear of, and tell the floors above
    (``signals.case_changed``: the webhooks), in the caller's transaction: the change, its
    record and what it sets off exist together or not at all. Called once by each of the
    four services whose change a council's case system follows, as the last thing it
    writes: from here to the end of the transaction other writers of changes wait their
    turn (``models.take_turn_to_write_case_changes``)."""
    change = CaseChange.objects.create(
        kind=kind,
        child_id=assessment.child_id,
        area_id=assessment.area_id,
        assessment=assessment,
        advice_request=advice_request,
        version=version,
        occurred_at=at or timezone.now(),
    )
    case_changed.send(sender=CaseChange, change=change)
    return change


# --- Children and assessments -------------------------------------------------------


def record_child_access(request, child: Child, page: str) -> None:
    """Write one CHILD_RECORD_VIEWED event to the audit log for a page showing ``child``.

    Called once by every view whose response shows a child's record, just before it
    renders; ``page`` says which page in plain words (never personal data).
    """
    record_event(Kind.CHILD_RECORD_VIEWED, request=request, target=child, summary=page)


@transaction.atomic
def start_assessment(
    child: Child,
    requested_on: datetime.date,
    case_officer: User | None = None,
    council_reference: str = "",
) -> Assessment:
    """An EHC needs assessment from its request date, with its (empty) health sections."""
    if requested_on > timezone.localdate():
        raise RefusedChange("The date of the request must be today or in the past.")
    assessment = Assessment.objects.create(
        child=child,
        requested_on=requested_on,
        case_officer=case_officer,
        council_reference=council_reference,
    )
    Plan.objects.create(assessment=assessment)
    return assessment


@transaction.atomic
def record_exception(
    assessment: Assessment,
    applies_to: str,
    reason: str,
    applies_from: datetime.date,
    user: User,
    note: str = "",
    advice_request: AdviceRequest | None = None,
) -> ClockException:
    allowed = (
        statutory.HealthAdviceException
        if applies_to == ClockException.AppliesTo.HEALTH_ADVICE
        else statutory.TwentyWeekException
    )
    if reason not in allowed.values:
        raise RefusedChange("Choose a reason the regulations allow for this time limit.")
    return ClockException.objects.create(
        assessment=assessment,
        advice_request=advice_request,
        applies_to=applies_to,
        reason=reason,
        applies_from=applies_from,
        recorded_by=user,
        note=note,
    )


# --- Health advice -----------------------------------------------------------------


@transaction.atomic
def request_advice(
    assessment: Assessment,
    service: str,
    provider,
    requested_on: datetime.date,
    requested_by: User,
    question: str = "",
    due_on: datetime.date | None = None,
    annual_review: AnnualReview | None = None,
) -> AdviceRequest:
    """Ask a provider for health advice; due 6 weeks from the request (reg 8(1)) by default."""
    if requested_on > timezone.localdate():
        raise RefusedChange("The date of the request must be today or in the past.")
    due_on = due_on or statutory.health_advice_due(requested_on)
    if due_on < requested_on:
        raise RefusedChange("The due date must be on or after the date of the request.")
    return AdviceRequest.objects.create(
        assessment=assessment,
        annual_review=annual_review,
        service=service,
        provider=provider,
        requested_on=requested_on,
        due_on=due_on,
        requested_by=requested_by,
        question=question,
    )


@transaction.atomic
def chase_advice(advice_request: AdviceRequest, user: User) -> AdviceRequest:
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    if not advice_request.is_open:
        raise RefusedChange("This advice has been returned already: there is nothing to chase.")
    # The row is locked (select_for_update on PostgreSQL; SQLite's write transactions are
    # IMMEDIATE), so counting in Python is safe, and saving the model keeps the history.
    advice_request.last_chased_on = timezone.localdate()
    advice_request.times_chased += 1
    advice_request._history_user = user
    advice_request.save()
    return advice_request


@transaction.atomic
def submit_advice(
    advice_request: AdviceRequest, user: User, advice: str, no_health_needs: bool
) -> AdviceRequest:
    advice_request = AdviceRequest.objects.select_for_update().get(pk=advice_request.pk)
    if not advice_request.is_open:
        raise RefusedChange("This advice was submitted already and cannot be changed.")
    if not advice.strip():
        raise RefusedChange(
            "Write the advice. If the child has no health needs, say so in the advice."
        )
    advice_request.advice = advice
    advice_request.no_health_needs = no_health_needs
    advice_request.submitted_by = user
    advice_request.submitted_at = timezone.now()
    advice_request.returned_on = timezone.localdate()
    advice_request._history_user = user
    advice_request.save()
    record_case_change(
        CaseChange.Kind.ADVICE_RETURNED,
        assessment=advice_request.assessment,
        advice_request=advice_request,
        at=advice_request.submitted_at,
    )
    return advice_request


# --- Health sections C and G ---------------------------------------------------------


def _claim_edit(plan: Plan, based_on_edit_count: int) -> None:
    """Optimistic lock: move the edit counter on only if nobody else has since.

    The conditional UPDATE is atomic on SQLite and PostgreSQL alike; the caller
    then saves through the model, in the same transaction, so history is kept.
    """
    claimed = Plan.objects.filter(pk=plan.pk, edit_count=based_on_edit_count).update(
        edit_count=based_on_edit_count + 1
    )
    if claimed != 1:
        raise StaleEdit(
            "Someone else saved these health sections after you opened them. Your text is "
            "kept below: compare it with the latest version, then save again."
        )
    plan.edit_count = based_on_edit_count + 1


def _freeze_version(plan: Plan, user: User, at: datetime.datetime | None = None) -> SectionsVersion:
    number = (plan.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return SectionsVersion.objects.create(
        plan=plan,
        number=number,
        section_c=plan.section_c,
        section_g=plan.section_g,
        submitted_by=user,
        submitted_at=at or timezone.now(),
    )


@transaction.atomic
def save_sections(
    plan: Plan, user: User, section_c: str, section_g: list[dict], based_on_edit_count: int
) -> Plan:
    """Save the working copy. An edit after sign-off goes straight back for sign-off."""
    plan = Plan.objects.get(pk=plan.pk)
    if plan.status in Plan.WAITING_FOR_SIGN_OFF:
        raise RefusedChange(
            "These health sections are with the DMO for sign-off. Ask the DMO to return them "
            "if they need to change."
        )
    _claim_edit(plan, based_on_edit_count)
    plan.section_c = section_c
    plan.section_g = section_g
    plan.last_edited_by = user
    plan.last_edited_at = timezone.now()
    plan._history_user = user
    if plan.status == Plan.Status.SIGNED_OFF:
        # What was signed stays as it was; the change needs a new sign-off.
        _check_ready_for_sign_off(plan)
        _freeze_version(plan, user)
        plan.status = Plan.Status.AWAITING_SIGN_OFF_AGAIN
        plan.submitted_at = timezone.now()
    plan.save()
    return plan


def _check_ready_for_sign_off(plan: Plan) -> None:
    if not plan.section_c.strip():
        raise RefusedChange(
            "Section C is empty. Describe the health needs, or say clearly that there are none, "
            "before sending the sections for sign-off."
        )


@transaction.atomic
def submit_for_sign_off(
    plan: Plan, user: User, based_on_edit_count: int, *, at: datetime.datetime | None = None
) -> SectionsVersion:
    """Freeze the working copy as a new version and send it to the DMO.

    ``at`` is for the demo only, which tells a story over past months: a version is never
    changed once made (a database trigger refuses it), so its time is given when it is
    made. Pages and tasks never pass it.
    """
    plan = Plan.objects.get(pk=plan.pk)
    if plan.status in Plan.WAITING_FOR_SIGN_OFF:
        raise RefusedChange("These health sections are already waiting for sign-off.")
    if plan.status == Plan.Status.SIGNED_OFF:
        raise RefusedChange("These health sections are signed off and have not changed since.")
    _check_ready_for_sign_off(plan)
    _claim_edit(plan, based_on_edit_count)
    version = _freeze_version(plan, user, at)
    signed_before = SignOff.objects.filter(version__plan=plan).exists()
    plan.status = (
        Plan.Status.AWAITING_SIGN_OFF_AGAIN if signed_before else Plan.Status.AWAITING_SIGN_OFF
    )
    plan.submitted_at = version.submitted_at
    plan._history_user = user
    plan.save()
    return version


def waits_for_sign_off(version: SectionsVersion, plan: Plan | None = None) -> bool:
    """Whether ``version`` is the one waiting for the DMO: its plan waits for sign-off and
    no newer version has replaced it. The one rule the review page and the sign-off and
    return services ask (``plan`` given: read that plan, e.g. locked for the change)."""
    plan = plan or version.plan
    latest = plan.versions.order_by("-number").values_list("pk", flat=True).first()
    return plan.status in Plan.WAITING_FOR_SIGN_OFF and latest == version.pk


def _latest_waiting_version(version: SectionsVersion) -> SectionsVersion:
    plan = Plan.objects.select_for_update().get(pk=version.plan_id)
    if not waits_for_sign_off(version, plan):
        raise RefusedChange(
            "This version is no longer waiting for sign-off: it has been signed, returned or "
            "replaced by a newer version."
        )
    return plan.versions.get(pk=version.pk)


def _acknowledgements(
    version: SectionsVersion, reasons: Mapping[str, str]
) -> list[tuple[quality.Finding, str]]:
    """Each open quality finding of ``version`` with the DMO's reason for signing anyway.

    Refuses when a finding has no reason: the statement says the provision "is specified
    and quantified", which an open finding questions (see ``quality.sign_off_findings``).
    """
    from ehcp.selectors import open_sign_off_findings

    findings = open_sign_off_findings(version)
    acknowledged = []
    for finding in findings:
        reason = (reasons.get(finding.key) or "").strip()
        if not reason:
            raise RefusedChange(
                "Give a reason for signing off despite each open quality finding, or return "
                f"the sections for amendment. No reason given for: {finding.message}"
            )
        if len(reason) > SignOffAcknowledgement.REASON_MAX_LENGTH:
            raise RefusedChange(
                "Each reason must be "
                f"{SignOffAcknowledgement.REASON_MAX_LENGTH} characters or fewer."
            )
        acknowledged.append((finding, reason))
    return acknowledged


@transaction.atomic
def sign_off(
    version: SectionsVersion,
    user: User,
    password: str,
    registration_number: str,
    reasons: Mapping[str, str] | None = None,
    *,
    at: datetime.datetime | None = None,
    confirmed_at_provider: bool = False,
) -> SignOff:
    """The DMO's medical sign-off of exactly this version's text.

    Only someone who holds the DMO role today may sign, after entering their
    password again (step-up), or, signed in through NHS CIS2 or Entra ID, after
    authenticating again there within ``STEP_UP_MINUTES`` (``confirmed_at_provider``: the
    view has checked it, session_security.step_up). The hash of the text is computed again from what
    is stored and must match the hash taken when the version was frozen. Each
    open quality finding needs a reason in ``reasons`` (keyed by ``Finding.key``),
    kept with the sign-off; without one the DMO returns the sections instead.
    ``at`` is for the demo's past story only, as in ``submit_for_sign_off``.
    """
    if not user.has_perm("ehcp.sign_off_plan"):
        raise RefusedChange("Only the Designated Medical Officer may sign off medical sections.")
    if not confirmed_at_provider and (not password or not user.check_password(password)):
        raise RefusedChange("The password is not correct. Enter your password to sign off.")
    if not registration_number.strip():
        raise RefusedChange("Enter your professional registration number, e.g. GMC 7012345.")
    version = _latest_waiting_version(version)
    digest = text_hash(version.section_c, version.section_g)
    if digest != version.content_hash:
        raise RefusedChange(
            "The stored text does not match the text that was sent for sign-off. Do not sign: "
            "tell your administrator."
        )
    acknowledged = _acknowledgements(version, reasons or {})
    assignment = current_assignment(user, RoleCode.DMO)
    signed = SignOff.objects.create(
        version=version,
        signed_by=user,
        role_name=assignment.role.name,
        organisation_name=assignment.organisation.name,
        registration_number=registration_number.strip(),
        attestation=ATTESTATION,
        text_hash=digest,
        signed_at=at or timezone.now(),
    )
    SignOffAcknowledgement.objects.bulk_create(
        SignOffAcknowledgement(
            sign_off=signed, position=position, finding=finding.message, reason=reason
        )
        for position, (finding, reason) in enumerate(acknowledged, start=1)
    )
    plan = version.plan
    plan.status = Plan.Status.SIGNED_OFF
    plan._history_user = user
    plan.save()
    # In the same transaction as the sign-off: there is never one without the other.
    record_event(
        Kind.SIGNED_OFF,
        actor=user,
        target=version,
        summary=f"Version {version.number} signed off, SHA-256 {digest}"
        + (", identity confirmed at the provider" if confirmed_at_provider else ""),
    )
    # Last: the councils' turn to hear of changes is held until this transaction ends.
    record_case_change(
        CaseChange.Kind.SECTIONS_SIGNED,
        assessment=plan.assessment,
        version=version,
        at=signed.signed_at,
    )
    return signed


@transaction.atomic
def return_for_amendment(version: SectionsVersion, user: User, comments: str) -> SignOffReturn:
    if not user.has_perm("ehcp.return_plan"):
        raise RefusedChange("Only the Designated Medical Officer may return medical sections.")
    if not comments.strip():
        raise RefusedChange("Say what needs to change, so the author can amend the sections.")
    version = _latest_waiting_version(version)
    returned = SignOffReturn.objects.create(version=version, returned_by=user, comments=comments)
    plan = version.plan
    plan.status = Plan.Status.RETURNED
    plan._history_user = user
    plan.save()
    from notifications.services import notify
    from outbox.services import enqueue

    # In the portal at once (in this transaction), by email through the outbox: one message
    # per person, so a retry after a failed send emails nobody twice. No child is named.
    for person in selectors.people_to_tell_of_a_return(version):
        notify(
            person,
            "Health sections returned for amendment",
            f"The DMO returned version {version.number} of the health sections with "
            "comments. Amend them and send them for sign-off again.",
            reverse("ehcp:plan", args=[plan.pk]),
        )
        enqueue("ehcp.tasks.notify_sections_returned", returned.pk, person.pk)
    # Last: the councils' turn to hear of changes is held until this transaction ends.
    record_case_change(
        CaseChange.Kind.SECTIONS_RETURNED,
        assessment=plan.assessment,
        version=version,
        at=returned.returned_at,
    )
    return returned


def agreement_refusal(version: SectionsVersion, newest_number: int | None = None) -> str | None:
    """Why the ICB may not agree the provision in ``version`` now, or None if it may.

    The ICB's duty to secure health provision (Children and Families Act 2014, s42(3)) is
    for what the plan specifies; locally, health provision goes into the plan only once
    the Designated Medical Officer has signed it off (the clinical-safety sign-off). So
    the ICB agrees only the newest version of the sections, and only once the DMO has
    signed that version, and the text still matches what was signed. The pages and the
    service all ask this function, so nothing else decides it. ``newest_number``: the
    plan's newest version number when the caller has it (else read here, or taken from
    ``version.latest_number`` as ``selectors.version_for_print`` annotates it).
    """
    if getattr(version, "commissioner_agreement", None) is not None:
        return "The ICB has already agreed the provision in this version."
    if not version.section_g:
        return "This version has no health provision in section G to agree."
    latest = newest_number or getattr(version, "latest_number", None)
    if latest is None:
        latest = version.plan.versions.order_by("-number").values_list("number", flat=True)[0]
    if latest > version.number:
        return "A newer version of these sections exists: agree the provision in the newest one."
    sign_off = getattr(version, "sign_off", None)
    if sign_off is None:
        return (
            "The Designated Medical Officer has not signed off this version: the ICB agrees "
            "health provision only once it is signed off."
        )
    if not version.text_intact:
        return (
            "The text of this version no longer matches what the Designated Medical Officer "
            "signed, so it cannot be agreed. Tell the portal's administrator."
        )
    return None


@transaction.atomic
def agree_provision(version: SectionsVersion, user: User, note: str = "") -> CommissionerAgreement:
    """The ICB agrees the section G provision, and is then bound to secure it (CFA 2014 s42).

    Refused for anything ``agreement_refusal`` refuses, whatever page the request came from.
    """
    if not user.has_perm("ehcp.agree_provision"):
        raise RefusedChange("Only a commissioner may agree health provision for the ICB.")
    # Lock the plan so that a sign-off, return or new version cannot slip in between the
    # check and the agreement; then read the version afresh under the lock.
    Plan.objects.select_for_update().get(pk=version.plan_id)
    version = SectionsVersion.objects.select_related("sign_off", "commissioner_agreement").get(
        pk=version.pk
    )
    refusal = agreement_refusal(version)
    if refusal:
        raise RefusedChange(refusal)
    assignment = current_assignment(user, RoleCode.COMMISSIONER)
    agreement = CommissionerAgreement.objects.create(
        version=version,
        agreed_by=user,
        organisation_name=assignment.organisation.name,
        note=note,
    )
    record_case_change(
        CaseChange.Kind.PROVISION_AGREED,
        assessment=version.plan.assessment,
        version=version,
        at=agreement.agreed_at,
    )
    return agreement


# --- Quality assurance -------------------------------------------------------------


@transaction.atomic
def record_quality_review(
    plan: Plan,
    user: User,
    grade: str,
    ratings: dict[int, tuple[str, str]],
    comment: str = "",
) -> QualityReview:
    """Store a QA checklist: ``ratings`` maps criterion id to (rating, comment)."""
    if grade not in QualityReview.Grade.values:
        raise RefusedChange("Choose an overall grade.")
    criteria = list(QualityCriterion.objects.filter(is_active=True))
    if any(rating not in QualityResult.Rating.values for rating, _ in ratings.values()):
        raise RefusedChange("Rate each criterion as met, partly met or not met.")
    missing = [c.text for c in criteria if c.pk not in ratings]
    if missing:
        raise RefusedChange(f"Rate every criterion: {missing[0]} is not rated.")
    review = QualityReview.objects.create(
        plan=plan, reviewed_by=user, plan_edit_count=plan.edit_count, grade=grade, comment=comment
    )
    QualityResult.objects.bulk_create(
        QualityResult(review=review, criterion=c, rating=ratings[c.pk][0], comment=ratings[c.pk][1])
        for c in criteria
    )
    return review


# --- Annual reviews ------------------------------------------------------------------


@transaction.atomic
def issue_final_plan(assessment: Assessment, issued_on: datetime.date) -> AnnualReview:
    """Record the final plan and schedule its first annual review (within 12 months)."""
    if issued_on > timezone.localdate():
        raise RefusedChange("The date the plan was issued must be today or in the past.")
    if issued_on < assessment.requested_on:
        raise RefusedChange("The plan cannot be issued before the assessment was requested.")
    assessment.final_issued_on = issued_on
    assessment.save()
    return AnnualReview.objects.create(
        plan=assessment.plan, due_on=statutory.annual_review_due(issued_on)
    )


#: Not statutory: a sanity limit on how far ahead a review meeting may be booked.
REVIEW_MEETING_BOOKED_AHEAD_AT_MOST_MONTHS = 12


def _refuse_unless_may_manage_reviews(user: User) -> None:
    if not user.has_perm("ehcp.manage_annual_reviews"):
        raise RefusedChange("Only a council SEND officer or the DCO may record annual reviews.")


def _review_for_update(review: AnnualReview) -> AnnualReview:
    return (
        AnnualReview.objects.select_for_update()
        .select_related("plan__assessment")
        .get(pk=review.pk)
    )


@transaction.atomic
def record_review_meeting(
    review: AnnualReview, meeting_on: datetime.date, user: User
) -> AnnualReview:
    """Record (or move) the date of the annual review meeting, until the decision is made.

    The meeting cannot be before the plan was issued, nor on or before the previous
    review's meeting, nor booked more than a year ahead.
    """
    from dateutil.relativedelta import relativedelta

    _refuse_unless_may_manage_reviews(user)
    review = _review_for_update(review)
    if review.decided_on is not None:
        raise RefusedChange(
            "The decision after this review has been recorded, so the meeting date can no "
            "longer change."
        )
    issued_on = review.plan.assessment.final_issued_on
    if issued_on is None:
        raise RefusedChange("The final plan has not been issued, so it cannot be reviewed yet.")
    if meeting_on < issued_on:
        raise RefusedChange(
            f"The meeting cannot be before the plan was issued on {long_date(issued_on)}."
        )
    latest = timezone.localdate() + relativedelta(months=REVIEW_MEETING_BOOKED_AHEAD_AT_MOST_MONTHS)
    if meeting_on > latest:
        raise RefusedChange(
            f"The meeting must be within a year from today: {long_date(latest)} at the latest."
        )
    previous_meeting_on = (
        AnnualReview.objects.filter(
            plan_id=review.plan_id, due_on__lt=review.due_on, meeting_on__isnull=False
        )
        .order_by("-due_on")
        .values_list("meeting_on", flat=True)
        .first()
    )
    if previous_meeting_on is not None and meeting_on <= previous_meeting_on:
        raise RefusedChange(
            "The meeting must be after the previous review's meeting on "
            f"{long_date(previous_meeting_on)}."
        )
    review.meeting_on = meeting_on
    review._history_user = user
    review.save()
    return review


@transaction.atomic
def record_review_decision(
    review: AnnualReview, decision: str, decided_on: datetime.date, user: User
) -> AnnualReview | None:
    """Record the council's decision after the review meeting (reg 20(10)): keep, amend or
    cease the plan.

    A plan that is kept or amended is reviewed again within 12 months of this review
    (CFA 2014 s44(1)): the next review is created here, due 12 months after the meeting,
    and returned. A plan that ceases has no next review: None is returned.
    """
    _refuse_unless_may_manage_reviews(user)
    if decision not in AnnualReview.Decision.values:
        raise RefusedChange("Choose whether the plan is kept, amended or ceased.")
    review = _review_for_update(review)
    if review.decided_on is not None:
        raise RefusedChange("The decision after this review has been recorded already.")
    if review.meeting_on is None:
        raise RefusedChange("Record the date of the review meeting before the decision.")
    if decided_on < review.meeting_on:
        raise RefusedChange(
            f"The decision cannot be before the review meeting on {long_date(review.meeting_on)}."
        )
    if decided_on > timezone.localdate():
        raise RefusedChange("The date of the decision must be today or in the past.")
    review.decision = decision
    review.decided_on = decided_on
    review._history_user = user
    review.save()
    if decision == AnnualReview.Decision.CEASE:
        return None
    next_review = AnnualReview(
        plan_id=review.plan_id, due_on=statutory.annual_review_due(review.meeting_on)
    )
    next_review._history_user = user
    next_review.save()
    return next_review


@transaction.atomic
def record_amended_plan_final(
    review: AnnualReview, final_on: datetime.date, user: User
) -> AnnualReview:
    """Record the date the amended plan was made final (due 12 weeks after the meeting)."""
    _refuse_unless_may_manage_reviews(user)
    review = _review_for_update(review)
    if review.decision != AnnualReview.Decision.AMEND:
        raise RefusedChange("Only a review that decided to amend the plan has an amended plan.")
    if review.amended_plan_final_on is not None:
        raise RefusedChange("The date the amended plan was made final has been recorded already.")
    if final_on < review.decided_on:
        raise RefusedChange(
            "The amended plan cannot be final before the decision to amend it on "
            f"{long_date(review.decided_on)}."
        )
    if final_on > timezone.localdate():
        raise RefusedChange("The date the amended plan was made final must be today or earlier.")
    review.amended_plan_final_on = final_on
    review._history_user = user
    review.save()
    return review


def request_review_input(
    review: AnnualReview, service: str, provider, requested_by: User, question: str = ""
) -> AdviceRequest:
    """Ask a provider for health input to an annual review, due as
    ``statutory.review_input_due`` says."""
    if not requested_by.has_perm("ehcp.request_advice"):
        raise RefusedChange("Only a council SEND officer or the DCO may ask for health input.")
    if review.decided_on is not None and (
        review.decision != AnnualReview.Decision.AMEND or review.amended_plan_final_on is not None
    ):
        raise RefusedChange("This annual review is complete: there is nothing to ask for now.")
    today = timezone.localdate()
    return request_advice(
        review.plan.assessment,
        service=service,
        provider=provider,
        requested_on=today,
        requested_by=requested_by,
        question=question,
        due_on=statutory.review_input_due(review.meeting_on, today),
        annual_review=review,
    )
