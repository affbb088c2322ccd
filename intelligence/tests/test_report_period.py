"""The report's period: NHS.UK date inputs (day, month, year), clear errors for impossible
dates, and the choice of comparing with the period before or a year earlier."""

import datetime

import pytest
import time_machine
from django.urls import reverse

URL = reverse("intelligence:report")
TODAY = datetime.datetime(2026, 11, 24, 10, tzinfo=datetime.UTC)


def parts(name, day, month, year):
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


@pytest.fixture
def signed_in(client, commissioner):
    client.force_login(commissioner)
    with time_machine.travel(TODAY, tick=False):
        yield client


@pytest.mark.django_db
def test_the_period_is_asked_for_with_nhs_date_inputs_not_browser_date_pickers(signed_in):
    html = signed_in.get(URL).content.decode()

    assert 'type="date"' not in html
    for name in ("start", "end"):
        for part in ("day", "month", "year"):
            assert f'name="{name}_{part}"' in html
    # The default, the last full quarter (1 July to 30 September 2026), is in the boxes.
    for name, value in [("start_day", 1), ("start_month", 7), ("end_day", 30), ("end_month", 9)]:
        assert f'name="{name}" value="{value}"' in html, name


@pytest.mark.django_db
def test_a_quarter_typed_in_the_boxes_is_compared_with_the_quarter_before(signed_in):
    response = signed_in.get(
        URL, {**parts("start", "1", "7", "2026"), **parts("end", "30", "9", "2026")}
    )

    assert response.status_code == 200
    assert str(response.context["before"]) == "1 April 2026 to 30 June 2026"
    assert "compared with the quarter before" in response.content.decode()


@pytest.mark.django_db
def test_the_same_period_a_year_earlier_can_be_chosen(signed_in):
    response = signed_in.get(
        URL, {"start": "2026-07-01", "end": "2026-09-30", "compare": "year-earlier"}
    )

    assert str(response.context["before"]) == "1 July 2025 to 30 September 2025"
    html = response.content.decode()
    assert "the same quarter a year earlier" in html
    assert "A year earlier</th>" in html


@pytest.mark.parametrize(
    "start, end, message",
    [
        (("31", "2", "2026"), ("31", "3", "2026"), "The start of the period must be a real date"),
        (("1", "13", "2026"), ("31", "3", "2026"), "The start of the period must be a real date"),
        (("1", "", "2026"), ("31", "3", "2026"), "The start of the period must include a month"),
        (("1", "4", "2026"), ("29", "2", "2026"), "The end of the period must be a real date"),
        (("1", "4", "2026"), ("31", "3", "2026"), "same as or after its start"),
        (("1", "1", "2010"), ("31", "3", "2026"), "on or after 1 September 2014"),
    ],
)
@pytest.mark.django_db
def test_impossible_dates_are_refused_with_a_clear_message(signed_in, start, end, message):
    response = signed_in.get(URL, {**parts("start", *start), **parts("end", *end)})

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "nhsuk-error-summary" in html
    assert "<title>Error: " in html
