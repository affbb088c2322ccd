"""A person's own notifications: the list, and marking them all read.

Every signed-in person has notifications; each sees only their own (the queries are
scoped to ``request.user``; there is no page for one notification by id).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notifications import selectors, services

PAGE_SIZE = 25


def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(
            request,
            f"{count} notification{'s' if count != 1 else ''} marked as read.",
        )
    return redirect("notifications:list")
