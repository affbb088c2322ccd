"""Structured logs: JSON lines carrying the request id, and no personal data.

The handler here is built from settings.LOGGING's own "json" formatter and "request_id"
filter (what production uses), attached to the root logger for the test, so what it
captures is what production would write for the same requests.
"""

import copy
import io
import json
import logging
from logging.config import DictConfigurator

import pytest
from django.conf import settings
from django.urls import reverse

from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from tests.settings_process import run_with_settings

#: A valid NHS number (modulus 11), a name and a date of birth to look for in the logs.
NHS_NUMBER = "9434765919"
CHILD = {"first_name": "Ottoline", "last_name": "Quigglesworth", "nhs_number": NHS_NUMBER}


@pytest.fixture
def json_log():
    """Log lines as production writes them, from INFO up; returns a reader of the lines."""
    configurator = DictConfigurator({})
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        configurator.configure_formatter(copy.deepcopy(settings.LOGGING["formatters"]["json"]))
    )
    handler.addFilter(
        configurator.configure_filter(copy.deepcopy(settings.LOGGING["filters"]["request_id"]))
    )
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield lambda: stream.getvalue().splitlines()
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.mark.django_db
def test_each_log_line_is_json_with_the_request_id_of_the_response(client, dmo, json_log):
    child = ChildFactory(**CHILD)
    client.force_login(dmo)

    response = client.get(reverse("ehcp:child", args=[child.pk]))  # writes to the access log
    missing = client.get("/no-such-page/")  # Django logs a warning for a 404

    lines = [json.loads(line) for line in json_log()]
    by_request = {}
    for line in lines:
        by_request.setdefault(line["request_id"], []).append(line)
    assert response.status_code == 200 and missing.status_code == 404
    assert response["X-Request-ID"] != missing["X-Request-ID"]
    viewed = by_request[response["X-Request-ID"]]
    assert any(line["logger"] == "portal.audit" for line in viewed)
    assert {line["level"] for line in by_request[missing["X-Request-ID"]]} == {"WARNING"}
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id"} <= line.keys()


def test_a_line_logged_outside_a_request_has_no_request_id(json_log):
    logging.getLogger("outbox.services").warning("the broker did not answer")

    (line,) = [json.loads(line) for line in json_log()]
    assert line["request_id"] == "-" and line["message"] == "the broker did not answer"


@pytest.mark.django_db
def test_no_personal_data_reaches_the_logs_while_pages_show_it(
    client, dmo, clinical_lead, json_log
):
    child = ChildFactory(**CHILD)
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child)
    version = plan.versions.get()
    client.force_login(dmo)

    pages = [
        client.get(reverse("ehcp:child", args=[child.pk])),
        client.get(reverse("ehcp:children") + "?q=Quigglesworth"),
        client.get(reverse("ehcp:sign-off-review", args=[version.pk])),
        client.get(reverse("ehcp:plan", args=[plan.pk])),
        # A wrong password at sign-off: refused, and the refusal is logged/audited.
        client.post(
            reverse("ehcp:sign-off-review", args=[version.pk]),
            {"password": "not-the-password", "registration_number": "GMC 7012345"},
        ),
    ]
    client.logout()
    client.post(reverse("sign-in"), {"username": dmo.email, "password": "wrong-password-1"})

    shown = "".join(page.content.decode() for page in pages)
    assert "Quigglesworth" in shown  # the pages did show the child
    log = "\n".join(json_log())
    assert log, "the page views wrote log lines"
    for personal in (
        "Ottoline",
        "Quigglesworth",
        NHS_NUMBER,
        "943 476 5919",
        child.date_of_birth.isoformat(),
        dmo.email,
        dmo.full_name,
    ):
        assert personal not in log


@pytest.mark.parametrize(
    "environment",
    [
        {
            "PORTAL_ENVIRONMENT": "production",
            "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789abcdef",
            "ALLOWED_HOSTS": "portal.test",
        },
        {"LOG_JSON": "true"},
    ],
    ids=["production", "LOG_JSON"],
)
def test_production_and_log_json_write_json_lines(tmp_path, environment):
    code = (
        "import logging.config; from send_portal import settings; "
        "logging.config.dictConfig(settings.LOGGING); "
        "logging.getLogger('portal.test').warning('hello')"
    )
    result = run_with_settings(tmp_path, code, **environment)

    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello" and line["level"] == "WARNING" and line["request_id"] == "-"
