"""Everything that changes an appeal, and the rules each change must keep.

Each function raises ``RefusedChange`` with a message fit to show the person, and then
changes nothing (each runs in one transaction). Records are saved through the model so
their history is kept.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from roles.models import Organisation, User
from send_portal.refusals import RefusedChange
from tribunal.models import Appeal, DecisionAppealed, EvidenceRequest, Recommendation, Witness

__all__ = ["RefusedChange"]


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(day: datetime.date, what: str) -> None:
    if day > _today():
        raise RefusedChange(f"The {what} must be today or in the past.")


def _not_before(day: datetime.date, moment: datetime.datetime, message: str) -> None:
    """A date typed for a later step may not be before the day the earlier step was saved
    (in London), e.g. evidence sent before the day it was written."""
    if day < timezone.localdate(moment):
        raise RefusedChange(message)


def _locked(appeal: Appeal) -> Appeal:
    """The appeal as the database has it now, locked until the change commits: the caller's
    copy may be older than a decision recorded since."""
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


# --- Appeals ---------------------------------------------------------------------------


@transaction.atomic
def record_appeal(
    *,
    child,
    decision_appealed: str,
    registered_on: datetime.date,
    tribunal_reference: str,
    health_issues: str,
    user: User,
    hearing_on: datetime.date | None = None,
) -> Appeal:
    if decision_appealed not in DecisionAppealed.values:
        raise RefusedChange("Choose the kind of decision appealed.")
    _not_in_future(registered_on, "date the appeal was registered")
    if hearing_on is not None and hearing_on < registered_on:
        raise RefusedChange("The hearing cannot be before the appeal was registered.")
    if not tribunal_reference.strip():
        raise RefusedChange("Enter the Tribunal's reference.")
    if not health_issues.strip():
        raise RefusedChange("Say which health issues the appeal raises.")
    return Appeal.objects.create(
        child=child,
        decision_appealed=decision_appealed,
        registered_on=registered_on,
        tribunal_reference=tribunal_reference.strip(),
        hearing_on=hearing_on,
        health_issues=health_issues.strip(),
        recorded_by=user,
    )


@transaction.atomic
def record_decision(appeal: Appeal, decided_on: datetime.date) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Appeal.Status.OPEN:
        raise RefusedChange("The Tribunal's decision on this appeal is recorded already.")
    _not_in_future(decided_on, "date of the decision")
    if decided_on < appeal.registered_on:
        raise RefusedChange("The decision cannot be before the appeal was registered.")
    appeal.status = Appeal.Status.DECIDED
    appeal.decided_on = decided_on
    appeal.save()
    return appeal


# --- Evidence --------------------------------------------------------------------------


@transaction.atomic
def request_evidence(
    appeal: Appeal, *, provider: Organisation, asked: str, due_on: datetime.date, user: User
) -> EvidenceRequest:
    appeal = _locked(appeal)
    if appeal.status != Appeal.Status.OPEN:
        raise RefusedChange("Evidence can only be asked for while the appeal is open.")
    if not asked.strip():
        raise RefusedChange("Say what the Tribunal asks for.")
    if due_on < appeal.registered_on:
        raise RefusedChange("The date evidence is due cannot be before the appeal was registered.")
    return EvidenceRequest.objects.create(
        appeal=appeal, provider=provider, asked=asked.strip(), due_on=due_on, requested_by=user
    )


@transaction.atomic
def write_evidence(request: EvidenceRequest, evidence: str, user: User) -> EvidenceRequest:
    """A health professional writes (or rewrites) the evidence until the DCO sends it."""
    request = EvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise RefusedChange("This evidence has been sent to the Tribunal and cannot be changed.")
    if not evidence.strip():
        raise RefusedChange("Write the evidence.")
    request.evidence = evidence.strip()
    request.written_by = user
    request.written_at = timezone.now()
    request.save()
    return request


@transaction.atomic
def record_evidence_sent(request: EvidenceRequest, sent_on: datetime.date) -> EvidenceRequest:
    request = EvidenceRequest.objects.select_for_update().get(pk=request.pk)
    if not request.is_open:
        raise RefusedChange("This evidence has been sent already.")
    if not request.evidence:
        raise RefusedChange("The evidence has not been written yet.")
    _not_in_future(sent_on, "date the evidence was sent")
    _not_before(
        sent_on, request.written_at, "The evidence cannot be sent before the day it was written."
    )
    request.sent_on = sent_on
    request.save()
    return request


# --- Witnesses -------------------------------------------------------------------------


@transaction.atomic
def add_witness(appeal: Appeal, *, name: str, role: str, user: User) -> Witness:
    appeal = _locked(appeal)
    if appeal.status != Appeal.Status.OPEN:
        raise RefusedChange("Witnesses can only be added while the appeal is open.")
    if not name.strip() or not role.strip():
        raise RefusedChange("Enter the witness's name and their role.")
    return Witness.objects.create(
        appeal=appeal, name=name.strip(), role=role.strip(), added_by=user
    )


@transaction.atomic
def confirm_witness(witness: Witness, confirmed_on: datetime.date) -> Witness:
    witness = Witness.objects.select_for_update().get(pk=witness.pk)
    if witness.confirmed_on:
        raise RefusedChange("This witness's attendance is confirmed already.")
    _not_in_future(confirmed_on, "date attendance was confirmed")
    if confirmed_on < witness.appeal.registered_on:
        raise RefusedChange("A witness cannot be confirmed before the appeal was registered.")
    witness.confirmed_on = confirmed_on
    witness.save()
    return witness


# --- Recommendations and the response (reg 6) ----------------------------------------


@transaction.atomic
def record_recommendation(
    appeal: Appeal, *, made_on: datetime.date, recommendation: str, user: User
) -> Recommendation:
    _not_in_future(made_on, "date of the recommendation")
    if made_on < appeal.registered_on:
        raise RefusedChange("A recommendation cannot be made before the appeal was registered.")
    if not recommendation.strip():
        raise RefusedChange("Enter the Tribunal's recommendation.")
    return Recommendation.objects.create(
        appeal=appeal, made_on=made_on, recommendation=recommendation.strip(), recorded_by=user
    )


REASONS_REQUIRED = (Recommendation.Response.FOLLOW_IN_PART, Recommendation.Response.NOT_FOLLOW)


def reasons_problem(response: str, reasons: str) -> str | None:
    """reg 6: a response that does not follow a recommendation in full gives the reasons.
    The one place this rule lives; the form shows its message."""
    if response in REASONS_REQUIRED and not reasons.strip():
        return "Give the reasons for not following the recommendation in full."
    return None


@transaction.atomic
def draft_response(
    recommendation: Recommendation, *, response: str, response_text: str, reasons: str, user: User
) -> Recommendation:
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.approved_at:
        raise RefusedChange("This response has been approved and cannot be changed.")
    if response not in Recommendation.Response.values:
        raise RefusedChange("Choose whether health will follow the recommendation.")
    problem = reasons_problem(response, reasons)
    if problem:
        raise RefusedChange(problem)
    if not response_text.strip():
        raise RefusedChange("Say what health will do.")
    recommendation.response = response
    recommendation.response_text = response_text.strip()
    recommendation.reasons = reasons.strip() if response in REASONS_REQUIRED else ""
    recommendation.drafted_by = user
    recommendation.drafted_at = timezone.now()
    recommendation.save()
    return recommendation


@transaction.atomic
def approve_response(recommendation: Recommendation, user: User) -> Recommendation:
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.approved_at:
        raise RefusedChange("This response has been approved already.")
    if not recommendation.drafted_at:
        raise RefusedChange("The response has not been drafted yet.")
    # The rule is checked again here, not only when drafting: a response saved before it
    # (or by another path) is never approved without its reasons.
    problem = reasons_problem(recommendation.response, recommendation.reasons)
    if problem:
        raise RefusedChange(problem)
    if recommendation.drafted_by_id == user.pk:
        raise RefusedChange("The response must be approved by someone other than its author.")
    recommendation.approved_by = user
    recommendation.approved_at = timezone.now()
    recommendation.save()
    return recommendation


@transaction.atomic
def record_response_sent(recommendation: Recommendation, sent_on: datetime.date) -> Recommendation:
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.sent_on:
        raise RefusedChange("The response has been sent already.")
    if not recommendation.approved_at:
        raise RefusedChange("The response must be approved before it is sent.")
    _not_in_future(sent_on, "date the response was sent")
    if sent_on < recommendation.made_on:
        raise RefusedChange("The response cannot be sent before the recommendation was made.")
    _not_before(
        sent_on,
        recommendation.approved_at,
        "The response cannot be sent before the day it was approved.",
    )
    recommendation.sent_on = sent_on
    recommendation.save()
    return recommendation
