"""Refusals and errors are NHS-styled pages, not Django's defaults."""

import pytest
from django.test import Client
from django.urls import path

from send_portal.urls import urlpatterns as portal_urlpatterns


def broken_view(request):
    raise RuntimeError("a fault for the 500 page test")


urlpatterns = [*portal_urlpatterns, path("broken/", broken_view)]
handler500 = "send_portal.views.server_error"


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
