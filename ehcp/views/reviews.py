"""Annual reviews: the worklist, one review with its meeting and decision, health input."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from rules.contrib.views import permission_required

from ehcp import selectors, services, statutory
from ehcp.forms import (
    AMENDED_PLAN_BUTTON,
    DECISION_BUTTON,
    MEETING_BUTTON,
    AmendedPlanFinalForm,
    AnnualReviewFilter,
    ReviewDecisionForm,
    ReviewInputRequestForm,
    ReviewMeetingForm,
)
from ehcp.models import AdviceRequest, AnnualReview
from ehcp.presenters import STATUS_TAG_COLOUR
from send_portal.london_time import long_date
from send_portal.paging import page_by_ids

PAGE_SIZE = 25


# --- Presenters ------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewDate:
    """One date that follows from the review meeting, and how it stands."""

    label: str
    source: str
    due: datetime.date
    done_on: datetime.date | None
    status: statutory.DeadlineStatus | None  # None: not something the portal records
    note: str = ""

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG_COLOUR[self.status] if self.status else ""


class AnnualReviewPresenter:
    """How an annual review reads on the list and on its page, as of ``today``."""

    def __init__(
        self,
        review: AnnualReview,
        advice_requests: list[AdviceRequest] | None = None,
        today: datetime.date | None = None,
    ):
        self.review = review
        self.advice_requests = advice_requests or []
        self.today = today or timezone.localdate()

    def __getattr__(self, name):
        return getattr(self.review, name)

    @property
    def child(self):
        return self.review.plan.assessment.child

    @property
    def is_held(self) -> bool:
        """The meeting has taken place: its day has come."""
        return self.review.meeting_on is not None and self.review.meeting_on <= self.today

    @property
    def is_booked(self) -> bool:
        return self.review.meeting_on is not None and not self.is_held

    @property
    def status(self) -> statutory.DeadlineStatus:
        """The review itself, due within 12 months: met once the meeting has been held."""
        held_on = self.review.meeting_on if self.is_held else None
        return statutory.deadline_status(self.review.due_on, held_on, self.today)

    @property
    def status_colour(self) -> str:
        return STATUS_TAG_COLOUR[self.status]

    @property
    def is_complete(self) -> bool:
        r = self.review
        return r.decided_on is not None and (
            r.decision != AnnualReview.Decision.AMEND or r.amended_plan_final_on is not None
        )

    @property
    def decision_date(self) -> ReviewDate | None:
        deadlines = self.review.deadlines
        if deadlines is None:
            return None
        return ReviewDate(
            "Decision to keep, amend or cease the plan",
            "4 weeks after the meeting, reg 20(10)",
            deadlines.decision_due,
            self.review.decided_on,
            statutory.deadline_status(deadlines.decision_due, self.review.decided_on, self.today),
        )

    @property
    def amended_plan_date(self) -> ReviewDate | None:
        r = self.review
        deadlines = r.deadlines
        if deadlines is None or r.decision in (
            AnnualReview.Decision.KEEP,
            AnnualReview.Decision.CEASE,
        ):
            return None
        if r.decision != AnnualReview.Decision.AMEND:
            return ReviewDate(
                "Amended plan final",
                "12 weeks after the meeting, regs 20 and 22",
                deadlines.amended_plan_final_due,
                None,
                None,
                "If the council decides to amend the plan.",
            )
        return ReviewDate(
            "Amended plan final",
            "12 weeks after the meeting, regs 20 and 22",
            deadlines.amended_plan_final_due,
            r.amended_plan_final_on,
            statutory.deadline_status(
                deadlines.amended_plan_final_due, r.amended_plan_final_on, self.today
            ),
        )

    @property
    def advice_date(self) -> ReviewDate | None:
        deadlines = self.review.deadlines
        if deadlines is None:
            return None
        returned = [a.returned_on for a in self.advice_requests]
        all_returned_on = max(returned) if returned and None not in returned else None
        if all_returned_on is not None:
            status = statutory.deadline_status(deadlines.advice_circulated_by, all_returned_on)
            note = "All the health input asked for has been returned."
        elif self.is_held:
            # Too late to matter now, and circulation itself is not recorded in the portal.
            status = None
            note = (
                "Not all the health input asked for was returned."
                if self.advice_requests
                else "No health input was asked for through the portal."
            )
        else:
            status = statutory.deadline_status(deadlines.advice_circulated_by, None, self.today)
            note = "" if self.advice_requests else "No health input has been asked for."
        return ReviewDate(
            "Advice and information circulated",
            "2 weeks before the meeting, reg 20(3)(b)",
            deadlines.advice_circulated_by,
            all_returned_on,
            status,
            note,
        )

    @property
    def dates(self) -> list[ReviewDate]:
        return [d for d in (self.advice_date, self.decision_date, self.amended_plan_date) if d]


# --- Views --------------------------------------------------------------------------------


def _breadcrumbs(*extra) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Annual reviews", reverse("ehcp:annual-reviews")), *extra]


def _get_review(request, pk: int) -> AnnualReview:
    try:
        return selectors.annual_review_for_page(request.user, pk)
    except AnnualReview.DoesNotExist:
        raise Http404("No such annual review.") from None


@permission_required("ehcp.view_annual_reviews", raise_exception=True)
def review_list(request):
    today = timezone.localdate()
    reviews = AnnualReviewFilter(
        request.GET, queryset=selectors.annual_reviews_outstanding(request.user, today)
    )
    page = page_by_ids(reviews.qs, request.GET.get("page"), PAGE_SIZE)
    rows = [AnnualReviewPresenter(review, today=today) for review in page.object_list]
    return render(
        request,
        "ehcp/reviews/list.html",
        {
            "filter": reviews,
            "page": page,
            "due_rows": [row for row in rows if not row.is_held],
            "held_rows": [row for row in rows if row.is_held],
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@permission_required("ehcp.view_annual_reviews", raise_exception=True)
def review_detail(request, pk: int):
    review = _get_review(request, pk)
    may_manage = request.user.has_perm("ehcp.manage_annual_reviews")
    meeting_form = ReviewMeetingForm(initial={"meeting_on": review.meeting_on})
    decision_form = ReviewDecisionForm()
    amended_form = AmendedPlanFinalForm()

    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if MEETING_BUTTON in request.POST:
            meeting_form = ReviewMeetingForm(request.POST)
            saved, _ = _save(
                meeting_form,
                "meeting_on",
                lambda data: services.record_review_meeting(
                    review, data["meeting_on"], request.user
                ),
            )
            message = "The date of the review meeting has been saved."
        elif DECISION_BUTTON in request.POST:
            decision_form = ReviewDecisionForm(request.POST)
            saved, next_review = _save(
                decision_form,
                "decided_on",
                lambda data: services.record_review_decision(
                    review, data["decision"], data["decided_on"], request.user
                ),
            )
            message = _decision_message(next_review)
        elif AMENDED_PLAN_BUTTON in request.POST:
            amended_form = AmendedPlanFinalForm(request.POST)
            saved, _ = _save(
                amended_form,
                "final_on",
                lambda data: services.record_amended_plan_final(
                    review, data["final_on"], request.user
                ),
            )
            message = "The date the amended plan was made final has been saved."
        else:
            saved, message = False, ""
        if saved:
            messages.success(request, message)
            return redirect("ehcp:annual-review", pk=review.pk)

    child = review.plan.assessment.child
    services.record_child_access(request, child, "annual review")
    advice_requests = list(selectors.advice_for_annual_review(review))
    today = timezone.localdate()
    presenter = AnnualReviewPresenter(review, advice_requests, today)
    return render(
        request,
        "ehcp/reviews/detail.html",
        {
            "review": presenter,
            "child": child,
            "plan": review.plan,
            "advice_requests": advice_requests,
            "next_review": selectors.next_annual_review(review) if review.decided_on else None,
            "may_manage": may_manage,
            "may_request_input": request.user.has_perm("ehcp.request_advice")
            and not presenter.is_complete,
            # A form sent back with errors is shown whatever the state of the review.
            "meeting_form": _shown(meeting_form, may_manage and not review.decided_on),
            "decision_form": _shown(
                decision_form, may_manage and presenter.is_held and not review.decided_on
            ),
            "amended_form": _shown(
                amended_form,
                may_manage
                and review.decision == AnnualReview.Decision.AMEND
                and not review.amended_plan_final_on,
            ),
            # base.html starts the title with "Error: " when `form` has errors.
            "form": next(
                (f for f in (meeting_form, decision_form, amended_form) if f.is_bound), None
            ),
            "breadcrumbs": _breadcrumbs(),
        },
    )


def _shown(form, when: bool):
    return form if form.is_bound or when else None


def _save(form, field: str, change) -> tuple[bool, object]:
    """Validate ``form`` and make the change; a refusal goes back on the form by ``field``."""
    if not form.is_valid():
        return False, None
    try:
        return True, change(form.cleaned_data)
    except services.RefusedChange as refusal:
        form.add_error(field, str(refusal))
        return False, None


def _decision_message(next_review: AnnualReview | None) -> str:
    if next_review is not None:
        return (
            "The decision has been saved. The next annual review is due on "
            f"{long_date(next_review.due_on)}."
        )
    return "The decision has been saved. The plan ceases, so there is no next review."


@permission_required("ehcp.request_advice", raise_exception=True)
def review_input_request(request, pk: int):
    review = _get_review(request, pk)
    form = ReviewInputRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            advice_request = services.request_review_input(
                review,
                service=form.cleaned_data["service"],
                provider=form.cleaned_data["provider"],
                requested_by=request.user,
                question=form.cleaned_data["question"],
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                f"Health input has been requested from {advice_request.provider}, due on "
                f"{long_date(advice_request.due_on)}.",
            )
            return redirect("ehcp:annual-review", pk=review.pk)
    child = review.plan.assessment.child
    services.record_child_access(request, child, "annual review health input request")
    return render(
        request,
        "ehcp/reviews/input_request.html",
        {
            "review": review,
            "child": child,
            "form": form,
            "due_on": statutory.review_input_due(review.meeting_on, timezone.localdate()),
            "breadcrumbs": _breadcrumbs(
                ("Annual review", reverse("ehcp:annual-review", args=[review.pk]))
            ),
        },
    )
