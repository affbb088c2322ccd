"""The quality assurance checklist for a plan's health sections (DCO and Clinical Lead)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from ehcp import quality, selectors, services
from ehcp.forms import QualityReviewForm
from ehcp.models import Plan, QualityResult, QualityReview
from send_portal.page_records import fetched_once

GRADE_TAG_COLOUR = {
    QualityReview.Grade.OUTSTANDING: "green",
    QualityReview.Grade.GOOD: "aqua-green",
    QualityReview.Grade.REQUIRES_IMPROVEMENT: "yellow",
    QualityReview.Grade.INADEQUATE: "red",
}

RATING_TAG_COLOUR = {
    QualityResult.Rating.MET: "green",
    QualityResult.Rating.PARTLY_MET: "yellow",
    QualityResult.Rating.NOT_MET: "red",
}


@dataclass(frozen=True)
class PastReview:
    """A quality review as its summary reads: grade tag, and each result in criterion order."""

    review: QualityReview
    results: list[QualityResult]
    sections_changed_since: bool

    @classmethod
    def of(cls, review: QualityReview, plan: Plan) -> PastReview:
        results = sorted(
            review.results.all(), key=lambda r: (r.criterion.display_order, r.criterion.pk)
        )
        for result in results:
            result.tag_colour = RATING_TAG_COLOUR.get(result.rating, "grey")
        return cls(review, results, review.plan_edit_count != plan.edit_count)

    @property
    def grade_tag_colour(self) -> str:
        return GRADE_TAG_COLOUR.get(self.review.grade, "grey")


def _plan_for_checklist(request, pk: int) -> Plan:
    """The plan with its past reviews' ratings, fetched once for the rule and the page."""
    return fetched_once(
        request,
        (Plan, pk, "quality checklist"),
        lambda: selectors.plan_for_quality_review(request.user, pk),
    )


@permission_required("ehcp.review_quality", fn=_plan_for_checklist, raise_exception=True)
def quality_review(request, pk: int):
    plan = _plan_for_checklist(request, pk)
    criteria = selectors.active_quality_criteria()
    if request.method == "POST":
        form = QualityReviewForm(request.POST, plan=plan, criteria=criteria)
        if form.is_valid():
            try:
                services.record_quality_review(
                    plan,
                    request.user,
                    form.cleaned_data["grade"],
                    form.ratings(),
                    form.cleaned_data["comment"].strip(),
                )
            except services.RefusedChange as refusal:
                # An administrator changed the criteria at the very moment of saving.
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "The quality review has been saved.")
                return redirect("ehcp:plan", pk=plan.pk)
    else:
        form = QualityReviewForm(plan=plan, criteria=criteria)

    child = plan.assessment.child
    services.record_child_access(request, child, "quality review")
    return render(
        request,
        "ehcp/quality/review.html",
        {
            "plan": plan,
            "child": child,
            "form": form,
            "findings": quality.sections_findings(plan.section_c, plan.section_g),
            "past_reviews": [PastReview.of(r, plan) for r in plan.quality_reviews.all()],
            "breadcrumbs": [
                ("Home", reverse("home")),
                (child.full_name, reverse("ehcp:child", args=[child.pk])),
                ("Health sections", reverse("ehcp:plan", args=[plan.pk])),
            ],
        },
    )
