"""Appeal pages: the list, recording an appeal, evidence, witnesses, recommendations, the
response, its approval and its letter. Thin: check access, call a form or a service,
render. Every page that shows an appeal records a view of the child's record."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from rules.contrib.views import permission_required

from audit.services import Kind, record_event
from ehcp.services import record_child_access
from send_portal.london_time import long_date
from send_portal.page_records import fetched_once
from send_portal.paging import page_by_ids, requested_page
from send_portal.pdf import PdfNotMade, pdf_download, pdf_font, render_pdf
from send_portal.refusals import change_from_form
from session_security.step_up import (
    recent_password_required,
    recent_password_required_for_download,
)
from tribunal import selectors, services
from tribunal.forms import (
    AppealForm,
    ApproveForm,
    DateDoneForm,
    EvidenceForm,
    EvidenceRequestForm,
    RecommendationForm,
    ResponseForm,
    WitnessForm,
)
from tribunal.models import Appeal, EvidenceRequest, Recommendation, Witness
from tribunal.presenters import AppealRow, EvidenceRow, ResponseRow, history

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


# --- How each page finds the appeal its permission is asked about ---------------------


def _appeal(request, pk):
    return get_object_or_404(
        selectors.reachable_appeals(request.user).select_related("child"), pk=pk
    )


def _appeal_of_request(request, pk):
    return get_object_or_404(
        selectors.reachable(request.user, EvidenceRequest).select_related("appeal__child"), pk=pk
    ).appeal


def _appeal_of_witness(request, pk):
    return get_object_or_404(
        selectors.reachable(request.user, Witness).select_related("appeal__child"), pk=pk
    ).appeal


def _appeal_of_recommendation(request, pk):
    return get_object_or_404(
        selectors.reachable(request.user, Recommendation).select_related("appeal__child"), pk=pk
    ).appeal


def _crumbs(appeal=None):
    crumbs = [("Home", reverse("home")), ("Tribunal appeals", reverse("tribunal:appeals"))]
    if appeal is not None:
        # Named by the child: an appeal's number means nothing to the people who work on it.
        crumbs.append((appeal.child.full_name, reverse("tribunal:appeal", args=[appeal.pk])))
    return crumbs


def _appeal_page(appeal: Appeal) -> str:
    return reverse("tribunal:appeal", args=[appeal.pk])


def _done_on_page(
    request, appeal, record, *, label, submit, message, title, audit_page: str, **extra
):
    """The page that records the date something was done (sent, confirmed), today unless
    changed: ``record(day)`` is the service; ``extra`` goes to the page as it stands."""
    form = DateDoneForm(
        request.POST or None,
        initial={"on": timezone.localdate()},
        label=label,
        submit_label=submit,
    )
    return _changed_or_form_page(
        request, appeal, form, lambda data: record(data["on"]), message, title, audit_page, **extra
    )


def _changed_or_form_page(request, appeal, form, change, message, title, page: str, **extra):
    """A form about ``appeal``: the change made and back to the appeal's page, or the form's
    page again (first visit, errors, a refusal)."""
    done = change_from_form(request, form, change, message=message, then=_appeal_page(appeal))
    if done is not None:
        return done
    return _form_page(request, appeal, form, title, page, **extra)


def _form_page(request, appeal, form, title, page: str, **extra):
    record_child_access(request, appeal.child, page)
    return render(
        request,
        "tribunal/form.html",
        {"form": form, "title": title, "appeal": appeal, "breadcrumbs": _crumbs(appeal), **extra},
    )


# --- Appeals ---------------------------------------------------------------------------


@permission_required("tribunal.list_appeals", raise_exception=True)
def appeal_list(request):
    today = timezone.localdate()
    waiting = request.GET.get("waiting") == "health"
    appeals = selectors.appeal_rows(selectors.appeals_visible_to(request.user), waiting=waiting)
    page = page_by_ids(appeals, requested_page(request), PAGE_SIZE)
    page.object_list = [AppealRow(appeal, today) for appeal in page.object_list]
    return render(
        request,
        "tribunal/appeal_list.html",
        {"page": page, "waiting": waiting, "breadcrumbs": [("Home", reverse("home"))]},
    )


@permission_required("tribunal.record_appeal", raise_exception=True)
def appeal_create(request):
    form = AppealForm(request.POST or None, user=request.user)
    done = change_from_form(
        request,
        form,
        lambda data: services.record_appeal(user=request.user, **data),
        message=lambda appeal: f"The appeal {appeal.tribunal_reference} has been recorded.",
        then=_appeal_page,
    )
    if done is not None:
        return done
    return render(
        request,
        "tribunal/form.html",
        {"form": form, "title": "Record a Tribunal appeal", "breadcrumbs": _crumbs()},
    )


def _appeal_for_page(request, pk):
    """The appeal page's record, fetched once for its rule and the page."""
    return fetched_once(request, (Appeal, pk), lambda: selectors.appeal_for_page(request.user, pk))


@permission_required("tribunal.view_appeal", fn=_appeal_for_page, raise_exception=True)
def appeal_detail(request, pk: int):
    appeal = _appeal_for_page(request, pk)
    today = timezone.localdate()
    evidence_requests = list(selectors.evidence_requests_for(appeal))
    witnesses = list(selectors.witnesses_for(appeal))
    recommendations = list(selectors.recommendations_for(appeal))
    record_child_access(request, appeal.child, "Tribunal appeal")
    return render(
        request,
        "tribunal/appeal_detail.html",
        {
            "appeal": appeal,
            "evidence_requests": [
                EvidenceRow(asked, today, request.user.has_perm("tribunal.view_evidence", asked))
                for asked in evidence_requests
            ],
            "witnesses": witnesses,
            "recommendations": [ResponseRow(r, today) for r in recommendations],
            "today": today,
            "history": history(appeal, evidence_requests, witnesses, recommendations),
            "breadcrumbs": _crumbs(),
        },
    )


@permission_required(
    ("tribunal.view_appeal", "tribunal.record_decision"), fn=_appeal, raise_exception=True
)
def appeal_decision(request, pk: int):
    appeal = _appeal(request, pk)
    form = DateDoneForm(
        request.POST or None,
        label="Date of the Tribunal's decision",
        submit_label="Record the decision",
    )
    return _changed_or_form_page(
        request,
        appeal,
        form,
        lambda data: services.record_decision(appeal, data["on"]),
        "The Tribunal's decision has been recorded.",
        "The Tribunal's decision",
        "Tribunal decision",
    )


# --- Evidence --------------------------------------------------------------------------


@permission_required(
    ("tribunal.view_appeal", "tribunal.request_evidence"), fn=_appeal, raise_exception=True
)
def evidence_request_create(request, pk: int):
    appeal = _appeal(request, pk)
    form = EvidenceRequestForm(request.POST or None)
    return _changed_or_form_page(
        request,
        appeal,
        form,
        lambda data: services.request_evidence(appeal, user=request.user, **data),
        lambda asked: f"Evidence asked of {asked.provider}: due {long_date(asked.due_on)}.",
        "Ask a provider for evidence",
        "Tribunal evidence request",
    )


def _evidence_request(request, pk):
    return get_object_or_404(selectors.reachable(request.user, EvidenceRequest), pk=pk)


@permission_required("tribunal.view_appeal", fn=_appeal_of_request, raise_exception=True)
@permission_required("tribunal.view_evidence", fn=_evidence_request, raise_exception=True)
def evidence(request, pk: int):
    """The evidence asked for; the provider's health professionals write it here, as they
    write health advice."""
    asked = get_object_or_404(
        selectors.reachable(request.user, EvidenceRequest).select_related(
            "appeal__child", "provider", "written_by"
        ),
        pk=pk,
    )
    form = None
    if request.user.has_perm("tribunal.write_evidence", asked):
        form = EvidenceForm(request.POST or None, initial={"evidence": asked.evidence})
        done = change_from_form(
            request,
            form,
            lambda data: services.write_evidence(asked, data["evidence"], request.user),
            message="Your evidence has been saved for the DCO to send.",
            then=reverse("tribunal:evidence", args=[asked.pk]),
        )
        if done is not None:
            return done
    elif request.method == "POST":
        # May read the evidence but not write it: a refusal, logged like any other.
        raise PermissionDenied
    record_child_access(request, asked.appeal.child, "Tribunal evidence")
    return render(
        request,
        "tribunal/evidence.html",
        {
            "asked": asked,
            "appeal": asked.appeal,
            "status": asked.status(),
            "form": form,
            "breadcrumbs": _crumbs(asked.appeal),
        },
    )


@permission_required(
    ("tribunal.view_appeal", "tribunal.send_evidence"), fn=_appeal_of_request, raise_exception=True
)
def evidence_sent(request, pk: int):
    asked = get_object_or_404(
        selectors.reachable(request.user, EvidenceRequest).select_related("appeal__child"), pk=pk
    )
    return _done_on_page(
        request,
        asked.appeal,
        lambda day: services.record_evidence_sent(asked, day),
        label="Date the evidence was sent to the Tribunal",
        submit="Record that it was sent",
        message="Recorded: the evidence was sent to the Tribunal.",
        title="Send the evidence",
        audit_page="Tribunal evidence sent",
        asked=asked,
    )


# --- Witnesses -------------------------------------------------------------------------


@permission_required(
    ("tribunal.view_appeal", "tribunal.manage_witnesses"), fn=_appeal, raise_exception=True
)
def witness_create(request, pk: int):
    appeal = _appeal(request, pk)
    form = WitnessForm(request.POST or None)
    return _changed_or_form_page(
        request,
        appeal,
        form,
        lambda data: services.add_witness(appeal, user=request.user, **data),
        "The witness has been added.",
        "Add a witness for health",
        "Tribunal witness",
    )


@permission_required(
    ("tribunal.view_appeal", "tribunal.manage_witnesses"),
    fn=_appeal_of_witness,
    raise_exception=True,
)
def witness_confirm(request, pk: int):
    witness = get_object_or_404(
        selectors.reachable(request.user, Witness).select_related("appeal__child"), pk=pk
    )
    return _done_on_page(
        request,
        witness.appeal,
        lambda day: services.confirm_witness(witness, day),
        label="Date the witness confirmed they will attend",
        submit="Confirm the witness",
        message=f"{witness.name} is confirmed to attend the hearing.",
        title=f"Confirm {witness.name}",
        audit_page="Tribunal witness",
    )


# --- Recommendations and the response --------------------------------------------------


@permission_required(
    ("tribunal.view_appeal", "tribunal.record_recommendation"), fn=_appeal, raise_exception=True
)
def recommendation_create(request, pk: int):
    appeal = _appeal(request, pk)
    form = RecommendationForm(request.POST or None)
    return _changed_or_form_page(
        request,
        appeal,
        form,
        lambda data: services.record_recommendation(appeal, user=request.user, **data),
        lambda made: (
            "The recommendation has been recorded. Health must respond by "
            f"{long_date(made.response_due)}."
        ),
        "Record a health recommendation of the Tribunal",
        "Tribunal recommendation",
    )


def _recommendation(request, pk: int) -> Recommendation:
    return get_object_or_404(
        selectors.reachable(request.user, Recommendation).select_related(
            "appeal__child", "drafted_by", "approved_by"
        ),
        pk=pk,
    )


@permission_required(
    ("tribunal.view_appeal", "tribunal.draft_response"),
    fn=_appeal_of_recommendation,
    raise_exception=True,
)
def response_draft(request, pk: int):
    recommendation = _recommendation(request, pk)
    form = ResponseForm(
        request.POST or None,
        initial={
            "response": recommendation.response,
            "response_text": recommendation.response_text,
            "reasons": recommendation.reasons,
        },
    )
    return _changed_or_form_page(
        request,
        recommendation.appeal,
        form,
        lambda data: services.draft_response(recommendation, user=request.user, **data),
        "The draft response has been saved for approval.",
        "Draft health's response",
        "Tribunal response",
        recommendation=recommendation,
    )


@permission_required(
    ("tribunal.view_appeal", "tribunal.approve_response"),
    fn=_appeal_of_recommendation,
    raise_exception=True,
)
@recent_password_required  # approving commits the ICB: as sign-off, the password again
def response_approve(request, pk: int):
    recommendation = _recommendation(request, pk)
    form = ApproveForm(request.POST or None)
    return _changed_or_form_page(
        request,
        recommendation.appeal,
        form,
        lambda data: services.approve_response(recommendation, request.user),
        "The response has been approved and can be sent.",
        "Approve health's response",
        "Tribunal response approval",
        recommendation=recommendation,
        shows_response=True,
    )


@permission_required("tribunal.view_appeal", fn=_appeal_of_recommendation, raise_exception=True)
@recent_password_required_for_download  # the letter names the child and their family
def response_letter(request, pk: int):
    recommendation = _recommendation(request, pk)
    appeal = recommendation.appeal
    if not recommendation.approved_at:
        messages.error(request, "The letter can be made once the response is approved.")
        return redirect("tribunal:appeal", pk=appeal.pk)
    record_child_access(request, appeal.child, "Tribunal response letter")
    html = render_to_string(
        "tribunal/letter_pdf.html",
        {
            "recommendation": recommendation,
            "appeal": appeal,
            "today": timezone.localdate(),
            "pdf_font": pdf_font(),
        },
        request=request,
    )
    try:
        pdf = render_pdf(html)
    except PdfNotMade:
        logger.exception("Could not make the response letter for recommendation %s", pk)
        return render(request, "tribunal/letter_failed.html", {"appeal": appeal}, status=503)
    response = pdf_download(pdf, f"tribunal-response-{recommendation.pk}.pdf")
    record_event(
        Kind.EXPORTED, request=request, target=recommendation, summary="Tribunal response letter"
    )
    return response


@permission_required(
    ("tribunal.view_appeal", "tribunal.send_response"),
    fn=_appeal_of_recommendation,
    raise_exception=True,
)
def response_sent(request, pk: int):
    recommendation = _recommendation(request, pk)
    return _done_on_page(
        request,
        recommendation.appeal,
        lambda day: services.record_response_sent(recommendation, day),
        label="Date the letter was sent to the family and the council",
        submit="Record that it was sent",
        message="Recorded: the response was sent.",
        title="Send the response",
        audit_page="Tribunal response sent",
        recommendation=recommendation,
    )
