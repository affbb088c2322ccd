from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from rules.contrib.views import permission_required

from service_status import selectors


@permission_required("service_status.view_status", raise_exception=True)
def status(request):
    return render(
        request,
        "service_status/status.html",
        {
            "worker": selectors.worker_status(),
            "periodic_tasks": selectors.periodic_tasks(),
            "platform": selectors.platform(),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@never_cache
@login_not_required
def healthz(request):
    """For a load balancer: 200 when the database and the broker answer, 503 otherwise.
    Beat's heartbeat age is reported but does not fail the check (web pages still work)."""
    checks = selectors.health()
    healthy = checks["database"]["ok"] and checks["broker"]["ok"]
    return JsonResponse({"healthy": healthy, **checks}, status=200 if healthy else 503)
