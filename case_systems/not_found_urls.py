"""Last under ``/api/v1/`` (``send_portal/urls.py``): any address no API endpoint has is a
404 problem (``application/problem+json``), not the portal's HTML page. Any app's API
addresses go before it.

Whatever is left of the address, line breaks included (any space or non-space): "." does
not match a line break, and an address with one (``/api/v1/advice-requests/%0A/``) fell
through to the portal's HTML page (found by schemathesis)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt

from case_systems.problems import not_found

urlpatterns = [
    re_path(r"^[\s\S]*$", login_not_required(csrf_exempt(not_found)), name="api-not-found")
]
