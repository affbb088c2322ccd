"""Pages that belong to the portal as a whole: the home page, about, and the 403 and 500 pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.views import defaults

from audit.services import Kind, record_event
from home.navigation import pages_for
from roles.selectors import person_assignments
from send_portal.to_dos import to_dos_for


def home(request):
    # The home page offers every page the person may open, grouped as on "All pages".
    return render(
        request,
        "home.html",
        {
            "assignments": person_assignments(request.user).current,
            "page_groups": pages_for(request),
            # Every app's to-dos (registered by the apps), their counts in one statement.
            "to_dos": to_dos_for(request.user),
        },
    )


def all_pages(request):
    return render(
        request,
        "all_pages.html",
        {"page_groups": pages_for(request), "breadcrumbs": [("Home", reverse("home"))]},
    )


@login_not_required
def about(request):
    return render(request, "about.html")


def server_error(request):
    # Rendered without the request context: the error may come from the database
    # the context processors would query.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"service_name": settings.SERVICE_NAME}))


def permission_denied(request, exception):
    # Django calls this once for each refusal, wherever it was raised (a view, a rule,
    # the admin site), so each refused access is logged exactly once, by URL name only.
    record_event(Kind.ACCESS_REFUSED, request=request)
    return defaults.permission_denied(request, exception)
