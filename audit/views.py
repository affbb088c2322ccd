"""The audit log page: read-only, for administrators. There is no page that changes it."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from rules.contrib.views import permission_required

from audit import selectors
from audit.filters import AuditEventFilter

PAGE_SIZE = 25


@permission_required("audit.see_audit_log", raise_exception=True)
def audit_log(request):
    events = AuditEventFilter(request.GET or None, queryset=selectors.events_for_log())
    page = Paginator(events.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/audit_log.html",
        {
            "filter": events,
            "form": events.form,  # the page title starts "Error:" when a filter is wrong
            "page": page,
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
            "retention_days": settings.AUDIT_RETENTION_DAYS,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )
