"""The worklists of plans: waiting for the ICB's agreement, and returned for amendment."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp import selectors, services
from ehcp.tests.factories import ChildFactory, make_assessment, make_plan_waiting_for_sign_off
from ehcp.views import plan_lists
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db


def named_plan(author, first, last):
    child = ChildFactory(first_name=first, last_name=last)
    return make_plan_waiting_for_sign_off(author=author, assessment=make_assessment(child=child))


def signed(plan, dmo):
    version = plan.versions.get()
    services.sign_off(version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    return version


# --- Waiting for the ICB's agreement ----------------------------------------------------------


def test_the_commissioner_sees_signed_plans_not_yet_agreed_with_a_link_to_agree(
    client, commissioner, dmo, clinical_lead
):
    waiting = signed(named_plan(clinical_lead, "Amara", "Okafor"), dmo)
    agreed = signed(named_plan(clinical_lead, "Leo", "Hart"), dmo)
    services.agree_provision(agreed, commissioner)
    named_plan(clinical_lead, "Isla", "Brennan")  # not signed off yet
    client.force_login(commissioner)

    page = client.get(reverse("ehcp:plans-awaiting-agreement")).content.decode()

    assert "Amara Okafor" in page
    assert reverse("ehcp:version-agree", args=[waiting.pk]) in page
    assert "Leo Hart" not in page and "Isla Brennan" not in page
    assert "1 plan signed off by the DMO and not yet agreed" in page


def test_a_plan_sent_again_after_sign_off_leaves_the_list(commissioner, dmo, clinical_lead):
    version = signed(named_plan(clinical_lead, "Amara", "Okafor"), dmo)
    plan = version.plan
    plan.refresh_from_db()
    # An edit after sign-off sends the plan straight back for sign-off.
    services.save_sections(
        plan, clinical_lead, plan.section_c + " Reviewed.", plan.section_g, plan.edit_count
    )

    assert list(selectors.plans_awaiting_agreement(commissioner)) == []


def test_with_no_plan_waiting_the_page_says_so(client, commissioner):
    client.force_login(commissioner)

    page = client.get(reverse("ehcp:plans-awaiting-agreement")).content.decode()

    assert "No plans are waiting for the ICB's agreement." in page


def test_the_list_comes_a_page_at_a_time_in_the_same_queries_for_one_or_many(
    client, commissioner, dmo, clinical_lead, monkeypatch
):
    monkeypatch.setattr(plan_lists, "PAGE_SIZE", 2)
    client.force_login(commissioner)
    url = reverse("ehcp:plans-awaiting-agreement")

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    signed(named_plan(clinical_lead, "First", "Child"), dmo)
    one = queries()
    for number in range(4):
        signed(named_plan(clinical_lead, f"Child{number}", "Later"), dmo)
    many = queries()

    assert one == many
    second = client.get(url, {"page": 3}).content.decode()
    assert "Page 2 of 3" in second and "Child3 Later" in second


def test_people_without_the_permission_are_refused(client, health_professional_a):
    client.force_login(health_professional_a)

    assert client.get(reverse("ehcp:plans-awaiting-agreement")).status_code == 403


# --- Returned for amendment -------------------------------------------------------------------


def test_the_returned_list_shows_plans_the_dmo_returned_the_longest_waiting_first(
    client, clinical_lead, dmo
):
    first = named_plan(clinical_lead, "Amara", "Okafor")
    second = named_plan(clinical_lead, "Leo", "Hart")
    services.return_for_amendment(first.versions.get(), dmo, "Quantify the therapy.")
    services.return_for_amendment(second.versions.get(), dmo, "Name the provider.")
    named_plan(clinical_lead, "Isla", "Brennan")  # still waiting for sign-off
    client.force_login(clinical_lead)

    page = client.get(reverse("ehcp:plans-returned")).content.decode()

    assert page.index("Amara Okafor") < page.index("Leo Hart")
    assert "Isla Brennan" not in page
    assert selectors.plans_returned_count(clinical_lead) == 2


def test_with_nothing_returned_the_returned_list_says_so(client, clinical_lead):
    client.force_login(clinical_lead)

    page = client.get(reverse("ehcp:plans-returned")).content.decode()

    assert "No health sections are waiting to be amended." in page


def test_the_commissioners_home_page_counts_the_plans_waiting_for_agreement(
    client, commissioner, dmo, clinical_lead
):
    signed(named_plan(clinical_lead, "Amara", "Okafor"), dmo)
    signed(named_plan(clinical_lead, "Leo", "Hart"), dmo)
    client.force_login(commissioner)

    to_dos = {item.label: item for item in client.get(reverse("home")).context["to_dos"]}

    waiting = to_dos["Plans waiting for the ICB's agreement"]
    assert (waiting.count, waiting.href) == (2, reverse("ehcp:plans-awaiting-agreement"))
