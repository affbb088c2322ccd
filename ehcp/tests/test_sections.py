"""Editing sections C and G: optimistic locking, history, and the page that does it."""

import pytest
from django.urls import reverse

from ehcp import services
from ehcp.models import Plan
from ehcp.tests.factories import (
    SAMPLE_SECTION_C,
    SAMPLE_SECTION_G,
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)


def form_data(section_c, edit_count, rows=()):
    data = {
        "section_c": section_c,
        "edit_count": str(edit_count),
        "g-TOTAL_FORMS": str(len(rows) + 1),
        "g-INITIAL_FORMS": "0",
        "g-MIN_NUM_FORMS": "0",
        "g-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"g-{i}-{key}"] = value
    return data


@pytest.fixture
def plan_a(provider_a, health_professional_a):
    """A plan with advice requested from provider A, so its health professional may edit it."""
    assessment = make_assessment()
    make_advice_request(assessment=assessment, provider=provider_a)
    return assessment.plan


@pytest.mark.django_db
def test_the_second_of_two_simultaneous_saves_is_refused(
    clinical_lead, health_professional_a, plan_a
):
    opened_at = plan_a.edit_count  # both opened the page here
    services.save_sections(plan_a, clinical_lead, "First person's text", [], opened_at)

    with pytest.raises(services.StaleEdit, match="Someone else saved"):
        services.save_sections(plan_a, health_professional_a, "Second person's text", [], opened_at)

    plan_a.refresh_from_db()
    assert plan_a.section_c == "First person's text"
    assert plan_a.edit_count == opened_at + 1


@pytest.mark.django_db
def test_a_stale_save_in_the_browser_keeps_what_was_typed(
    client, clinical_lead, health_professional_a, plan_a
):
    url = reverse("ehcp:sections-edit", args=[plan_a.pk])
    opened_at = plan_a.edit_count
    client.force_login(clinical_lead)
    client.post(url, form_data("The lead's words", opened_at))
    client.force_login(health_professional_a)

    response = client.post(
        url, form_data("My carefully typed paragraph", opened_at, [SAMPLE_SECTION_G[0]])
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved these health sections" in page
    assert "My carefully typed paragraph" in page  # nothing typed is lost
    assert SAMPLE_SECTION_G[0]["frequency"] in page
    assert "The lead&#x27;s words" in page  # the latest saved text shown to compare
    plan_a.refresh_from_db()
    assert plan_a.section_c == "The lead's words"
    # Saving again after seeing the conflict goes through.
    again = client.post(url, form_data("Merged words", plan_a.edit_count))
    assert again.status_code == 302


@pytest.mark.django_db
def test_every_save_is_kept_in_the_history_with_who_made_it(clinical_lead, plan_a):
    services.save_sections(plan_a, clinical_lead, "One", [], plan_a.edit_count)
    plan_a.refresh_from_db()
    services.save_sections(plan_a, clinical_lead, "Two", [], plan_a.edit_count)

    texts = list(plan_a.history.order_by("history_date").values_list("section_c", flat=True))
    assert texts[-2:] == ["One", "Two"]
    assert plan_a.history.latest().history_user == clinical_lead


@pytest.mark.django_db
def test_g_rows_are_saved_as_structured_provision(client, clinical_lead, plan_a):
    client.force_login(clinical_lead)

    client.post(
        reverse("ehcp:sections-edit", args=[plan_a.pk]),
        form_data(SAMPLE_SECTION_C, plan_a.edit_count, SAMPLE_SECTION_G),
    )

    plan_a.refresh_from_db()
    assert plan_a.section_g == SAMPLE_SECTION_G


@pytest.mark.django_db
def test_a_g_row_without_provision_is_refused_and_nothing_saved(client, clinical_lead, plan_a):
    client.force_login(clinical_lead)

    response = client.post(
        reverse("ehcp:sections-edit", args=[plan_a.pk]),
        form_data("Text", plan_a.edit_count, [{"frequency": "weekly"}]),
    )

    assert "Describe the provision, or clear this row" in response.content.decode()
    plan_a.refresh_from_db()
    assert plan_a.section_c == ""


@pytest.mark.django_db
def test_send_for_sign_off_from_the_plan_page(client, clinical_lead, plan_a):
    services.save_sections(plan_a, clinical_lead, SAMPLE_SECTION_C, [], plan_a.edit_count)
    plan_a.refresh_from_db()
    client.force_login(clinical_lead)

    response = client.post(
        reverse("ehcp:sections-submit", args=[plan_a.pk]), {"edit_count": plan_a.edit_count}
    )

    assert response.status_code == 302
    plan_a.refresh_from_db()
    assert plan_a.status == Plan.Status.AWAITING_SIGN_OFF
    assert plan_a.versions.get().section_c == SAMPLE_SECTION_C


@pytest.mark.django_db
def test_a_health_professional_of_another_provider_cannot_edit(
    client, health_professional_b, plan_a
):
    client.force_login(health_professional_b)

    assert client.get(reverse("ehcp:sections-edit", args=[plan_a.pk])).status_code == 403
    assert client.get(reverse("ehcp:plan", args=[plan_a.pk])).status_code == 403


@pytest.mark.django_db
def test_the_plan_page_shows_versions_sign_offs_and_history(client, dmo, clinical_lead):
    from tests.factories import DEFAULT_TEST_PASSWORD

    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    signed = services.sign_off(plan.versions.get(), dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    client.force_login(dmo)

    page = client.get(reverse("ehcp:plan", args=[plan.pk])).content.decode()

    assert "Version 1 signed off" in page
    assert signed.text_hash in page
    assert "Version 1 sent for sign-off" in page
    assert "Edited section C and section G" in page
