"""Links that leave the portal (emails, the calendar feed, the events in it) lead back to it.

Unless PORTAL_BASE_URL is set they follow the address the portal serves on: the settings'
default follows PORTAL_PORT (emails sent by the worker), and pages use the address the
request came to. The settings are read at import, so those cases run in a child process.
"""

import json

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import CalendarFeed
from meetings.tests.factories import make_series
from tests.settings_process import run_with_settings

PRINT_LINKS = """
import json, django
django.setup()
from django.conf import settings
from send_portal.notifications import portal_url
print(json.dumps({"base": settings.PORTAL_BASE_URL, "email_link": portal_url("/meetings/7/")}))
"""


def links(tmp_path, **environment) -> dict:
    result = run_with_settings(tmp_path, PRINT_LINKS, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_email_links_follow_the_port_the_portal_serves_on(tmp_path):
    values = links(tmp_path, PORTAL_PORT="8106")

    assert values["base"] == "http://127.0.0.1:8106"
    assert values["email_link"] == "http://127.0.0.1:8106/meetings/7/"


def test_without_a_port_the_links_use_the_default_port(tmp_path):
    assert links(tmp_path)["email_link"] == "http://127.0.0.1:8000/meetings/7/"


def test_a_set_base_url_wins_over_the_port(tmp_path):
    values = links(tmp_path, PORTAL_PORT="8106", PORTAL_BASE_URL="https://send.example.nhs.uk/")

    assert values["email_link"] == "https://send.example.nhs.uk/meetings/7/"


SEND_AN_EMAIL = """
import django
django.setup()
from types import SimpleNamespace
from send_portal.notifications import portal_url, send_email
send_email(
    "dco@nhs.test",
    "Reminder",
    "notifications/email/notification.txt",
    {"recipient": SimpleNamespace(display_name="Dee Ceeo"), "title": "Reminder",
     "body": "", "link": portal_url("/meetings/7/")},
)
"""


def test_an_email_sent_by_the_worker_links_to_the_port_the_portal_serves_on(tmp_path):
    result = run_with_settings(tmp_path, SEND_AN_EMAIL, PORTAL_PORT="8106")

    assert result.returncode == 0, result.stderr
    (message,) = (tmp_path / "mail").iterdir()
    body = message.read_text()
    assert "http://127.0.0.1:8106/meetings/7/" in body
    assert ":8000" not in body


def test_a_port_that_is_not_a_port_is_refused(tmp_path):
    result = run_with_settings(tmp_path, PRINT_LINKS, PORTAL_PORT="70000")

    assert result.returncode != 0
    assert "PORTAL_PORT must be a port number" in result.stderr


# --- Pages: the request's own address -------------------------------------------------------

SERVED_AT = "127.0.0.1:8106"


@pytest.fixture
def base_url_not_set(settings):
    settings.PORTAL_BASE_URL_IS_SET = False
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"


@pytest.mark.django_db
def test_the_calendar_page_gives_the_feed_at_the_address_the_page_was_opened_at(
    client, dmo, base_url_not_set
):
    client.force_login(dmo)

    page = client.get(reverse("meetings:calendar"), HTTP_HOST=SERVED_AT).content.decode()

    token = CalendarFeed.objects.get(user=dmo).token
    assert f"http://{SERVED_AT}/calendar/{token}.ics" in page
    assert f"webcal://{SERVED_AT}/calendar/{token}.ics" in page
    assert "127.0.0.1:8000" not in page


@pytest.mark.django_db
def test_the_events_in_the_feed_link_to_the_address_the_feed_was_fetched_from(
    client, dco, dmo, clinical_lead, base_url_not_set
):
    series = make_series(rrule="FREQ=MONTHLY;BYDAY=2TU")
    token = services.calendar_feed_for(dmo).token

    response = client.get(reverse("meetings:calendar-feed", args=[token]), HTTP_HOST=SERVED_AT)

    events = Calendar.from_ical(response.content).events
    assert events
    meeting_ids = set(series.meetings.values_list("pk", flat=True))
    for event in events:
        assert str(event["URL"]).startswith(f"http://{SERVED_AT}/meetings/")
        assert int(str(event["URL"]).rstrip("/").rsplit("/", 1)[-1]) in meeting_ids


@pytest.mark.django_db
def test_a_set_base_url_is_used_on_pages_too(client, dmo, settings):
    # Behind a proxy the request's address is not the public one: the set address wins.
    settings.PORTAL_BASE_URL_IS_SET = True
    settings.PORTAL_BASE_URL = "https://send.example.nhs.uk"
    client.force_login(dmo)

    page = client.get(reverse("meetings:calendar"), HTTP_HOST=SERVED_AT).content.decode()

    token = CalendarFeed.objects.get(user=dmo).token
    assert f"https://send.example.nhs.uk/calendar/{token}.ics" in page
