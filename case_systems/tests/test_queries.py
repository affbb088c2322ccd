"""The API's lists cost the same queries for 3 records as for 30 (no query in a loop),
and the rate limit answers 429 with Retry-After."""

from __future__ import annotations

import pytest

from case_systems.tests.conftest import api_client
from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from roles.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

#: Every call: the access token with its application (the toolkit), the case system with
#: its account, the account's roles today, its areas today; then the audit event's insert.
PER_CALL = 5


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return response


@pytest.mark.parametrize("size", [3, 30])
def test_the_children_list_costs_the_same_at_any_size(
    case_system, size, django_assert_max_num_queries
):
    for _ in range(size):
        ChildFactory()
    client = api_client(case_system)
    # The call's own, and the page of children with their areas.
    with django_assert_max_num_queries(PER_CALL + 1):
        _get(client, "/api/v1/children/")
    assert len(client.get("/api/v1/children/?page_size=100").json()["results"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_an_assessment_and_its_advice_cost_the_same_at_any_size(
    case_system, size, django_assert_max_num_queries
):
    provider = OrganisationFactory(kind=Organisation.Kind.NHS_TRUST)
    assessment = make_assessment()
    for _ in range(size):
        make_advice_request(assessment=assessment, provider=provider)
    client = api_client(case_system)
    # The assessment with its child and plan, its exceptions, its advice requests with
    # their providers, and the child-record-viewed event.
    with django_assert_max_num_queries(PER_CALL + 4):
        _get(client, f"/api/v1/assessments/{assessment.pk}/")
    # The list: the assessment, then a page of its requests (providers joined).
    with django_assert_max_num_queries(PER_CALL + 2):
        _get(client, f"/api/v1/assessments/{assessment.pk}/advice-requests/")


@pytest.mark.parametrize("size", [3, 30])
def test_a_childs_assessments_cost_the_same_at_any_size(
    case_system, size, django_assert_max_num_queries
):
    child = ChildFactory()
    for _ in range(size):
        make_assessment(child=child)
    client = api_client(case_system)
    # The child, then a page of its assessments with their plans.
    with django_assert_max_num_queries(PER_CALL + 2):
        _get(client, f"/api/v1/children/{child.pk}/assessments/")


def test_over_the_rate_limit_is_429_with_retry_after(council):
    from case_systems import services
    from tests.factories import the_test_area

    slow = services.register_case_system(
        name="Slow", organisation=council, areas=[the_test_area()], rate_limit_per_minute=2
    )
    client = api_client(slow)
    assert client.get("/api/v1/areas/").status_code == 200
    assert client.get("/api/v1/areas/").status_code == 200
    refused = client.get("/api/v1/areas/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["status"] == 429
