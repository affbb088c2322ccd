"""Refusals and errors are NHS-styled pages, not Django's defaults."""

import json

import pytest
from django.test import Client
from django.urls import path

from send_portal.urls import urlpatterns as portal_urlpatterns
from tests.settings_process import run_with_settings


def broken_view(request):
    raise RuntimeError("a fault for the 500 page test")


urlpatterns = [*portal_urlpatterns, path("broken/", broken_view)]
handler500 = "home.views.server_error"


@pytest.mark.django_db
def test_page_not_found_is_an_nhs_page(client, dmo):
    client.force_login(dmo)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "nhsuk-header" in page


@pytest.mark.django_db
@pytest.mark.urls("tests.test_error_pages")
def test_server_error_is_an_nhs_page(dmo):
    client = Client(raise_request_exception=False)
    client.force_login(dmo)

    response = client.get("/broken/")

    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "SEND Health Coordination" in page
    assert "a fault for the 500 page test" not in page


# --- Under `make run`: debug is off unless asked for -------------------------------------------

NOT_FOUND_UNDER_THESE_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import response_for_exception
from django.http import Http404
from django.test import RequestFactory
request = RequestFactory().get("/no-such-page/", HTTP_HOST="127.0.0.1:8000")
request.user = AnonymousUser()
response = response_for_exception(request, Http404("no such page"))
print(json.dumps({"debug": settings.DEBUG, "status": response.status_code,
                  "page": response.content.decode()}))
"""


def not_found_page(tmp_path, **environment) -> dict:
    result = run_with_settings(tmp_path, NOT_FOUND_UNDER_THESE_SETTINGS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_run_shows_the_portals_own_404_not_the_url_patterns(tmp_path):
    values = not_found_page(tmp_path)

    assert values["debug"] is False
    assert values["status"] == 404
    assert "Page not found" in values["page"]
    assert "nhsuk-header" in values["page"]
    assert "DEBUG = True" not in values["page"]


def test_debug_pages_show_when_debug_is_asked_for(tmp_path):
    values = not_found_page(tmp_path, DEBUG="true")

    assert values["debug"] is True
    assert "DEBUG = True" in values["page"]


def test_static_files_are_served_with_debug_off(tmp_path):
    code = """
import django
django.setup()
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1:8000").get("/static/css/portal.css")
print(response.status_code, b"".join(response.streaming_content)[:1] != b"")
"""
    result = run_with_settings(tmp_path, code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["200", "True"]
