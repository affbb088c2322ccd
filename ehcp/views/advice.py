"""Health advice: requesting it, the lists of open requests, writing and chasing it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ehcp import selectors, services
from ehcp.filters import AdviceRequestFilter
from ehcp.forms import AdviceForm, AdviceRequestForm
from ehcp.models import AdviceRequest, Assessment
from send_portal.london_time import long_date
from send_portal.paging import page_by_ids

PAGE_SIZE = 25


def _child_of_assessment(request, pk):
    return get_object_or_404(
        selectors.reachable_by(request.user, Assessment).select_related("child"), pk=pk
    ).child


@permission_required("ehcp.view_advice_requests", raise_exception=True)
def advice_list(request):
    data = request.GET.copy()
    data.setdefault("state", "open")
    requests = AdviceRequestFilter(
        data, queryset=selectors.advice_requests_visible_to(request.user), request=request
    )
    page = page_by_ids(requests.qs.order_by("due_on", "pk"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "ehcp/advice_list.html",
        {"filter": requests, "page": page, "breadcrumbs": [("Home", reverse("home"))]},
    )


@permission_required("ehcp.request_advice", raise_exception=True)
@permission_required("ehcp.view_child", fn=_child_of_assessment, raise_exception=True)
def advice_request_create(request, pk: int):
    assessment = get_object_or_404(
        selectors.reachable_by(request.user, Assessment).select_related("child"), pk=pk
    )
    form = AdviceRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            advice_request = services.request_advice(
                assessment,
                service=form.cleaned_data["service"],
                provider=form.cleaned_data["provider"],
                requested_on=form.cleaned_data["requested_on"],
                requested_by=request.user,
                question=form.cleaned_data["question"],
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request,
                f"Health advice requested from {advice_request.provider}: due "
                f"{long_date(advice_request.due_on)}.",
            )
            return redirect("ehcp:assessment", pk=assessment.pk)
    services.record_child_access(request, assessment.child, "request health advice")
    return render(
        request,
        "ehcp/advice_request_form.html",
        {
            "form": form,
            "assessment": assessment,
            "breadcrumbs": [
                ("Home", reverse("home")),
                (assessment.child.full_name, reverse("ehcp:child", args=[assessment.child_id])),
                ("Assessment", reverse("ehcp:assessment", args=[assessment.pk])),
            ],
        },
    )


_advice_for_page = selectors.reachable_getter(
    AdviceRequest, related=("provider", "requested_by", "submitted_by")
)


@permission_required("ehcp.view_advice_request", fn=_advice_for_page, raise_exception=True)
def advice_detail(request, pk: int):
    advice_request = _advice_for_page(request, pk=pk)
    child = advice_request.assessment.child
    can_write = request.user.has_perm("ehcp.write_advice", advice_request)
    form = None
    if can_write:
        form = AdviceForm(
            request.POST or None,
            initial={
                "advice": advice_request.advice,
                "no_health_needs": advice_request.no_health_needs,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.submit_advice(
                    advice_request,
                    request.user,
                    form.cleaned_data["advice"],
                    form.cleaned_data["no_health_needs"],
                )
            except services.RefusedChange as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, "Your health advice has been submitted. Thank you.")
                return redirect("ehcp:advice", pk=advice_request.pk)
    elif request.method == "POST":
        # May read the advice but not write it: a refusal, logged like any other.
        raise PermissionDenied
    services.record_child_access(request, child, "health advice")
    return render(
        request,
        "ehcp/advice_detail.html",
        {
            "advice_request": advice_request,
            "child": child,
            "form": form,
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Health advice", reverse("ehcp:advice-list")),
            ],
        },
    )


@require_POST
@permission_required("ehcp.chase_advice", raise_exception=True)
@permission_required(
    "ehcp.view_advice_request", fn=selectors.reachable_getter(AdviceRequest), raise_exception=True
)
def advice_chase(request, pk: int):
    advice_request = get_object_or_404(selectors.reachable_by(request.user, AdviceRequest), pk=pk)
    try:
        advice_request = services.chase_advice(advice_request, request.user)
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"Chased today ({advice_request.times_chased} time"
            f"{'s' if advice_request.times_chased != 1 else ''} so far).",
        )
    next_page = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_page, allowed_hosts={request.get_host()}):
        next_page = reverse("ehcp:advice", args=[pk])
    return redirect(next_page)
