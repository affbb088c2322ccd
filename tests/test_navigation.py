"""The header keeps each person's daily pages in view; every other page is one step away,
grouped on "All pages" and the home page (home/navigation.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from home.navigation import HEADER_ITEMS

pytestmark = pytest.mark.django_db

#: Home and up to HEADER_ITEMS - 1 daily pages, then "All pages".
MOST_IN_THE_HEADER = HEADER_ITEMS + 1


def header(client, user) -> list[str]:
    client.force_login(user)
    return [item.label for item in client.get(reverse("home")).context["primary_navigation"]]


def test_the_clinical_lead_has_the_clinic_in_the_header(client, clinical_lead):
    labels = header(client, clinical_lead)

    assert "Social Communication Clinic" in labels
    assert "Returned sections" in labels
    assert len(labels) <= MOST_IN_THE_HEADER


@pytest.mark.parametrize(
    "persona,daily",
    [
        ("dmo", ["Sign-off queue", "Health advice", "Social Communication Clinic"]),
        ("dco", ["Meetings dashboard", "Health advice", "Children", "Annual reviews"]),
    ],
)
def test_the_dmo_and_dco_have_a_short_header_with_their_daily_pages(
    client, request, persona, daily
):
    labels = header(client, request.getfixturevalue(persona))

    assert len(labels) <= MOST_IN_THE_HEADER
    assert labels[0] == "Home" and labels[-1] == "All pages"
    for label in daily:
        assert label in labels


def test_the_commissioner_has_escalations_and_plans_waiting_for_agreement_in_the_header(
    client, commissioner
):
    labels = header(client, commissioner)

    assert "Escalations" in labels
    assert "Plans waiting for ICB agreement" in labels


def test_all_pages_lists_every_page_grouped_under_headings(client, dco):
    client.force_login(dco)

    response = client.get(reverse("pages"))

    assert response.status_code == 200
    groups = dict(response.context["page_groups"])
    assert [item.label for item in groups["Meetings"]] == ["Meetings dashboard", "My meetings"]
    assert "Concerns" in [item.label for item in groups["Feedback and reports"]]
    page = response.content.decode()
    assert '<h2 class="nhsuk-heading-m">Plans and advice</h2>' in page


def test_a_person_with_few_pages_has_them_all_in_the_header(client, health_professional_a):
    labels = header(client, health_professional_a)

    assert "All pages" not in labels
    assert len(labels) <= HEADER_ITEMS


def test_the_navigation_asks_the_database_nothing_more_on_later_pages(client, dmo):
    client.force_login(dmo)
    client.get(reverse("about"))  # the menu for the DMO's roles is worked out once

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("about"))
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("pages"))

    # The pages differ only in their navigation content: the same queries.
    assert len(first.captured_queries) == len(second.captured_queries)


def test_on_a_page_kept_off_the_header_all_pages_is_marked_current(client, dmo):
    client.force_login(dmo)

    items = client.get(reverse("ehcp:children")).context["primary_navigation"]

    assert [item.label for item in items if item.current] == ["All pages"]
    items = client.get(reverse("ehcp:sign-off-queue")).context["primary_navigation"]
    assert [item.label for item in items if item.current] == ["Sign-off queue"]
