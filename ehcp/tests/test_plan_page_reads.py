"""The plan page reads each part of a plan's record once, whoever views it, and of the
people it names only their names: not the rest of their accounts (their password hashes
among them), which cost every view of the page building and filling columns it never shows.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ehcp import services
from ehcp.tests.factories import (
    SAMPLE_SECTION_C,
    SAMPLE_SECTION_G,
    make_plan_waiting_for_sign_off,
    reasons_for_open_findings,
    run_quality_checklist,
)
from roles.models import NAME_FIELDS, User
from tests.factories import DEFAULT_TEST_PASSWORD, UserFactory


@pytest.fixture
def whole_record(dmo, clinical_lead, commissioner):
    """A plan with every part its page shows: version 1 returned for amendment, version 2
    signed off despite an open quality finding (an acknowledgement), agreed by the ICB, a
    quality checklist run, and several saves of the working copy."""
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, checklist=False)
    services.return_for_amendment(plan.versions.get(), dmo, "Add who reviews the inhaler plan.")
    plan.refresh_from_db()
    plan = services.save_sections(
        plan,
        clinical_lead,
        SAMPLE_SECTION_C + " Reviewed yearly.",
        SAMPLE_SECTION_G,
        plan.edit_count,
    )
    services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
    newest = plan.versions.get(number=2)
    reasons = reasons_for_open_findings(newest, "Agreed with the author.")
    assert reasons, "version 2 should be signed despite an open finding"
    services.sign_off(newest, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345", reasons)
    services.agree_provision(newest, commissioner)
    plan.refresh_from_db()
    run_quality_checklist(plan, reviewer=UserFactory(full_name="Quentin Reviewer"))
    return plan


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["dmo", "commissioner"])
def test_the_plan_page_reads_each_part_once_and_only_the_names_of_the_people_it_shows(
    client, request, whole_record, dmo, clinical_lead, commissioner, viewer
):
    client.force_login(request.getfixturevalue(viewer))
    url = reverse("ehcp:plan", args=[whole_record.pk])
    client.get(url)  # the session and the role cache warmed

    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()

    # Everyone the record names is on the page, by name.
    for person in (clinical_lead, dmo, commissioner):
        assert str(person) in page
    assert "Quentin Reviewer" in page
    assert "Add who reviews the inhaler plan." in page  # the return
    assert "Agreed with the author." in page  # the acknowledgement
    assert "Provision agreed" in page
    # The session and the viewer with their roles today (2); the plan with its child, its
    # versions with their sign-offs and agreements, the returns, the acknowledgements, the
    # quality reviews (5); the timeline's saves (1); the view written to the audit log (1).
    # A field a part is shown by and left out of the selector's list would cost a query a
    # record here.
    assert len(queries) == 9, "\n".join(q["sql"][:160] for q in queries)
    # Only the viewer's own account is read whole (to check their session).
    reading_accounts = [q["sql"] for q in queries if '"roles_user"."password"' in q["sql"]]
    assert len(reading_accounts) == 1, reading_accounts


@pytest.mark.django_db
def test_a_person_read_by_name_alone_is_named_without_another_query(
    django_assert_num_queries,
):
    named = UserFactory(full_name="Ada Okafor")
    unnamed = UserFactory(full_name="")
    for person in (named, unnamed):
        loaded = User.objects.only(*NAME_FIELDS).get(pk=person.pk)
        with django_assert_num_queries(0):
            shown = str(loaded)
        assert shown == str(person)
    assert str(unnamed) == unnamed.email


@pytest.mark.django_db
def test_each_version_card_shows_its_own_sign_off_return_acknowledgement_and_agreement(
    client, whole_record, dmo, commissioner
):
    """The page reads a plan's returns and acknowledgements in one query each and hands them
    to the version they belong to: version 1 returned, version 2 signed despite a finding
    and agreed, and nothing of one shown on the other's card."""
    client.force_login(commissioner)
    page = client.get(reverse("ehcp:plan", args=[whole_record.pk])).content.decode()
    cards = page.split('<h2 class="nhsuk-heading-m">Versions sent for sign-off</h2>')[1]
    cards = cards.split('<h2 class="nhsuk-heading-m">Quality assurance</h2>')[0]
    newest, oldest = cards.split('<div class="nhsuk-card">')[1:]
    assert "Version 2" in newest and "Version 1" in oldest

    assert "Signed off" in newest and "GMC 7012345" in newest
    assert "Agreed with the author." in newest  # the acknowledgement
    assert "Provision agreed" in newest and str(commissioner) in newest
    assert "Returned" not in newest

    assert "Add who reviews the inhaler plan." in oldest  # the return
    assert f"by {dmo}" in oldest
    for shown_only_on_the_newest in ("Signed off", "Agreed with the author.", "Provision agreed"):
        assert shown_only_on_the_newest not in oldest
    # Each card links to its own printable copy.
    for card, version in ((newest, 2), (oldest, 1)):
        pk = whole_record.versions.get(number=version).pk
        assert reverse("ehcp:version-print", args=[pk]) in card


@pytest.mark.django_db
def test_each_person_opens_their_own_areas_plans_whoever_opened_a_plan_first(client):
    """The plan page reads the plan by SQL kept from the first person who reached as many
    areas (``selectors.plan_for_page``): after the DMO of area A, the DMO of area B opens B's
    plan and is told A's does not exist; the DMO of both opens both, and the DMO of B who is
    also a provider's health professional opens A's plan asked of that provider."""
    from ehcp.tests.factories import ChildFactory, make_advice_request
    from roles.models import RoleCode
    from tests.factories import LocalAreaFactory, OrganisationFactory, person_holding

    area_a, area_b = LocalAreaFactory(name="Area A"), LocalAreaFactory(name="Area B")
    plan_a = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_a, first_name="Ash"))
    plan_b = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_b, first_name="Bay"))
    asked_a = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_a, first_name="Elm"))
    provider = OrganisationFactory(name="Provider asked in area A")
    make_advice_request(assessment=asked_a.assessment, provider=provider)
    dmo_a = person_holding(RoleCode.DMO, areas=[area_a])
    dmo_b = person_holding(RoleCode.DMO, areas=[area_b])
    asked_b = person_holding(RoleCode.DMO, areas=[area_b])
    person_holding(RoleCode.HEALTH_PROFESSIONAL, provider, user=asked_b)
    dmo_both = person_holding(RoleCode.DMO, areas=[area_a, area_b])
    opens = {
        dmo_a: {plan_a: "Ash", plan_b: None, asked_a: "Elm"},
        dmo_b: {plan_a: None, plan_b: "Bay", asked_a: None},
        asked_b: {plan_a: None, plan_b: "Bay", asked_a: "Elm"},
        dmo_both: {plan_a: "Ash", plan_b: "Bay", asked_a: "Elm"},
    }

    for person in [dmo_a, dmo_b, asked_b, dmo_both, dmo_b, dmo_a]:
        client.force_login(person)
        for plan, name in opens[person].items():
            response = client.get(reverse("ehcp:plan", args=[plan.pk]))
            if name is None:
                assert response.status_code == 404, (person, plan)
            else:
                assert response.status_code == 200, (person, plan)
                assert response.context["plan"].pk == plan.pk
                assert name in response.context["child"].full_name
