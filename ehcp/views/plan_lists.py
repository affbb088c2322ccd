"""Worklists of plans: those waiting for the ICB's agreement, and those returned for
amendment. Paged on the plans' ids (send_portal/paging.py), a fixed number of queries."""

from django.shortcuts import render
from django.urls import reverse
from rules.contrib.views import permission_required

from ehcp import selectors
from send_portal.paging import page_by_ids

PAGE_SIZE = 25


@permission_required("ehcp.list_plans_awaiting_agreement", raise_exception=True)
def awaiting_agreement(request):
    page = page_by_ids(
        selectors.plans_awaiting_agreement(request.user), request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "ehcp/plan_lists/awaiting_agreement.html",
        {"page": page, "breadcrumbs": [("Home", reverse("home"))]},
    )


@permission_required("ehcp.list_returned_plans", raise_exception=True)
def returned(request):
    page = page_by_ids(selectors.plans_returned(request.user), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "ehcp/plan_lists/returned.html",
        {"page": page, "breadcrumbs": [("Home", reverse("home"))]},
    )
