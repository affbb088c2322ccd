"""An assessment's statutory clock, its milestones and the exceptions recorded against it."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from ehcp import selectors, services
from ehcp.forms import AssessmentDatesForm, AssessmentForm, ClockExceptionForm
from ehcp.models import Assessment, Child
from ehcp.presenters import AdviceTimeliness, AssessmentPresenter


def _child_of_assessment(request, pk):
    return get_object_or_404(
        selectors.reachable_by(request.user, Assessment).select_related("child"), pk=pk
    ).child


def _child(request, pk):
    return get_object_or_404(selectors.reachable_by(request.user, Child), pk=pk)


def _crumbs(child):
    return [
        ("Home", reverse("home")),
        ("Children", reverse("ehcp:children")),
        (child.full_name, reverse("ehcp:child", args=[child.pk])),
    ]


@permission_required("ehcp.manage_assessments", raise_exception=True)
@permission_required("ehcp.view_child", fn=_child, raise_exception=True)
def assessment_create(request, pk: int):
    child = get_object_or_404(selectors.reachable_by(request.user, Child), pk=pk)
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.start_assessment(
                child,
                form.cleaned_data["requested_on"],
                case_officer=request.user,
                council_reference=form.cleaned_data["council_reference"],
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The assessment has started: its deadlines are below.")
            return redirect("ehcp:assessment", pk=assessment.pk)
    services.record_child_access(request, child, "start an assessment")
    return render(
        request,
        "ehcp/assessment_form.html",
        {"form": form, "child": child, "breadcrumbs": _crumbs(child)},
    )


_assessment_for_page = selectors.reachable_getter(Assessment, related=("plan", "case_officer"))


def _child_of_assessment_for_page(request, pk):
    return _assessment_for_page(request, pk=pk).child


@permission_required("ehcp.view_child", fn=_child_of_assessment_for_page, raise_exception=True)
def assessment_detail(request, pk: int):
    assessment = _assessment_for_page(request, pk=pk)
    services.record_child_access(request, assessment.child, "assessment")
    exceptions = list(assessment.exceptions.select_related("recorded_by", "advice_request"))
    advice_requests = list(selectors.advice_for_assessment(assessment))
    return render(
        request,
        "ehcp/assessment_detail.html",
        {
            "assessment": AssessmentPresenter(assessment, exceptions, advice_requests),
            "child": assessment.child,
            "plan": assessment.plan,
            "exceptions": exceptions,
            "advice_requests": advice_requests,
            "timeliness": AdviceTimeliness.of(advice_requests, exceptions),
            "breadcrumbs": _crumbs(assessment.child),
        },
    )


@permission_required("ehcp.manage_assessments", raise_exception=True)
@permission_required("ehcp.view_child", fn=_child_of_assessment, raise_exception=True)
def assessment_dates(request, pk: int):
    assessment = get_object_or_404(
        selectors.reachable_by(request.user, Assessment).select_related("child"), pk=pk
    )
    had_final = assessment.final_issued_on is not None
    form = AssessmentDatesForm(request.POST or None, instance=assessment)
    if request.method == "POST" and form.is_valid():
        final_issued_on = form.cleaned_data.get("final_issued_on")
        with transaction.atomic():
            if final_issued_on and not had_final:
                # Issuing the final plan starts the annual review cycle.
                assessment = form.save(commit=False)
                assessment.final_issued_on = None
                assessment.save()
                services.issue_final_plan(assessment, final_issued_on)
            else:
                form.save()
        messages.success(request, "The assessment's dates have been saved.")
        return redirect("ehcp:assessment", pk=assessment.pk)
    services.record_child_access(request, assessment.child, "assessment dates")
    return render(
        request,
        "ehcp/assessment_dates.html",
        {
            "form": form,
            "assessment": assessment,
            "breadcrumbs": _crumbs(assessment.child)
            + [("Assessment", reverse("ehcp:assessment", args=[assessment.pk]))],
        },
    )


@permission_required("ehcp.record_exception", raise_exception=True)
@permission_required("ehcp.view_child", fn=_child_of_assessment, raise_exception=True)
def exception_create(request, pk: int):
    assessment = get_object_or_404(
        selectors.reachable_by(request.user, Assessment).select_related("child"), pk=pk
    )
    form = ClockExceptionForm(
        request.POST or None, advice_requests=assessment.advice_requests.all()
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_exception(
                assessment,
                applies_to=form.cleaned_data["applies_to"],
                reason=form.cleaned_data["reason_code"],
                applies_from=form.cleaned_data["applies_from"],
                user=request.user,
                note=form.cleaned_data["note"],
                advice_request=form.cleaned_data.get("advice_request"),
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                "The exception has been recorded. Deadlines still show as missed; reports count "
                "them with and without exceptions.",
            )
            return redirect("ehcp:assessment", pk=assessment.pk)
    services.record_child_access(request, assessment.child, "record a clock exception")
    return render(
        request,
        "ehcp/exception_form.html",
        {
            "form": form,
            "assessment": assessment,
            "breadcrumbs": _crumbs(assessment.child)
            + [("Assessment", reverse("ehcp:assessment", args=[assessment.pk]))],
        },
    )
