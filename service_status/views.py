from django.shortcuts import render
from django.urls import reverse
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
