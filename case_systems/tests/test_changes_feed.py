"""The changes feed, ``GET /api/v1/changes/``: read oldest first from a cursor, a page at a
time, only the council's own areas' changes, with the scope ``changes:read``."""

from __future__ import annotations

import pytest
from django.test import Client

from case_systems import services
from case_systems.changes import decode_cursor, encode_cursor
from case_systems.tests.conftest import api_client
from ehcp import services as ehcp_services
from ehcp.models import CaseChange
from ehcp.tests.factories import (
    ChildFactory,
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)
from roles.models import Organisation
from tests.factories import (
    DEFAULT_TEST_PASSWORD,
    LocalAreaFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def return_advice(how_many: int, area) -> list[int]:
    writer = UserFactory()
    for _ in range(how_many):
        advice = make_advice_request(assessment=make_assessment(child=ChildFactory(area=area)))
        ehcp_services.submit_advice(advice, writer, "Advice.", False)
    return list(CaseChange.objects.filter(area=area).order_by("id").values_list("pk", flat=True))


def council_system(name: str, area):
    council = OrganisationFactory(name=f"{name} Council", kind=Organisation.Kind.COUNCIL)
    return services.register_case_system(
        name=f"Mosaic, {name} Council", organisation=council, areas=[area]
    )


def event_ids(response) -> list[str]:
    return [item["id"] for item in response.json()["results"]]


def test_the_feed_is_read_from_a_cursor_a_page_at_a_time_and_waits_at_the_end():
    area = LocalAreaFactory(name="Sunderland")
    return_advice(5, area)
    client = api_client(council_system("Sunderland", area), "changes:read")
    expected = [
        str(e) for e in CaseChange.objects.order_by("id").values_list("event_id", flat=True)
    ]

    seen, url, reads = [], f"{FEED}?page_size=2", 0
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        seen += event_ids(response)
        reads += 1
        if not body["more"]:
            break
        url = f"{FEED}?page_size=2&cursor={body['cursor']}"

    assert seen == expected and reads == 3
    # Polled again with the last cursor: nothing, and the same cursor to come back with.
    again = client.get(f"{FEED}?cursor={body['cursor']}").json()
    assert (again["results"], again["cursor"], again["more"]) == ([], body["cursor"], False)
    assert again["next"].endswith(f"{FEED}?cursor={body['cursor']}")


def test_each_council_reads_its_own_areas_changes_and_never_another_councils():
    sunderland, gateshead = LocalAreaFactory(name="Sunderland"), LocalAreaFactory(name="Gateshead")
    return_advice(2, sunderland)
    return_advice(3, gateshead)

    for name, area, count in (("Sunderland", sunderland, 2), ("Gateshead", gateshead, 3)):
        client = api_client(council_system(name, area), "changes:read")
        results = client.get(FEED).json()["results"]
        own = CaseChange.objects.filter(area=area)
        assert len(results) == count
        assert {item["id"] for item in results} == {str(c.event_id) for c in own}
        assert {item["child_id"] for item in results} == {c.child_id for c in own}


def test_another_councils_cursor_reveals_nothing_of_it():
    sunderland, gateshead = LocalAreaFactory(name="Sunderland"), LocalAreaFactory(name="Gateshead")
    theirs = return_advice(3, gateshead)
    client = api_client(council_system("Sunderland", sunderland), "changes:read")

    # A cursor is only a position: from before Gateshead's changes, still none of them.
    response = client.get(f"{FEED}?cursor={encode_cursor(theirs[0] - 1)}")

    assert response.status_code == 200 and response.json()["results"] == []


def test_a_change_says_what_happened_and_where_to_read_it_without_personal_data(clinical_lead, dmo):
    area = LocalAreaFactory(name="Sunderland")
    child = ChildFactory(area=area, nhs_number="9434765919")
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, child=child)
    version = plan.versions.get()
    dmo_in_area = dmo
    dmo_in_area.role_assignments.get().areas.add(area)
    ehcp_services.sign_off(version, dmo_in_area, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    client = api_client(council_system("Sunderland", area), "changes:read assessments:read")

    response = client.get(FEED)

    (item,) = response.json()["results"]
    change = CaseChange.objects.get()
    assert item["id"] == str(change.event_id)
    assert item["type"] == "sections.signed"
    assert item["occurred_at"].endswith(("+00:00", "+01:00"))
    assert (item["child_id"], item["assessment_id"], item["sections_version_id"]) == (
        child.pk,
        plan.assessment_id,
        version.pk,
    )
    assert item["advice_request_id"] is None
    assert item["links"]["signed_sections"].endswith(
        f"/api/v1/assessments/{plan.assessment_id}/signed-sections/"
    )
    # The links lead to records the client may read.
    assert client.get(item["links"]["assessment"]).status_code == 200
    text = response.content.decode()
    for personal in (child.first_name, child.last_name, "9434765919", "autism"):
        assert personal not in text


def test_the_feed_needs_the_changes_read_scope():
    area = LocalAreaFactory(name="Sunderland")
    credentials = council_system("Sunderland", area)

    without = api_client(credentials, "children:read").get(FEED)
    anonymous = Client().get(FEED)

    assert without.status_code == 403
    assert without["Content-Type"] == "application/problem+json"
    assert "changes:read" in without.json()["detail"]
    assert anonymous.status_code == 401


def test_a_revoked_case_system_reads_no_more_changes(administrator):
    area = LocalAreaFactory(name="Sunderland")
    return_advice(2, area)
    credentials = council_system("Sunderland", area)
    client = api_client(credentials, "changes:read")
    assert len(client.get(FEED).json()["results"]) == 2

    services.revoke(credentials.case_system, administrator)

    response = client.get(FEED)
    assert response.status_code == 401
    assert "results" not in response.json()


@pytest.mark.parametrize(
    "cursor",
    ["nonsense", encode_cursor(1)[:-2] + "!!", "Y2hnOi0x", "x" * 500, "b3RoZXI6MTI"],
)
def test_a_cursor_the_feed_did_not_hand_out_is_a_problem_not_an_error(cursor):
    client = api_client(council_system("Sunderland", LocalAreaFactory(name="Sunderland")))

    response = client.get(FEED, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["errors"] == {"cursor": ["This is not a cursor of the feed."]}


@pytest.mark.parametrize("page_size", ["0", "101", "-1", "ten", "1e2", "99999"])
def test_a_page_size_out_of_bounds_is_a_problem(page_size):
    client = api_client(council_system("Sunderland", LocalAreaFactory(name="Sunderland")))

    response = client.get(FEED, {"page_size": page_size})

    assert response.status_code == 400
    assert response.json()["errors"] == {"page_size": ["Give a whole number from 1 to 100."]}


def test_cursors_stand_for_the_last_change_read():
    assert decode_cursor(encode_cursor(12345)) == 12345


def test_a_read_of_the_feed_costs_the_same_queries_however_many_changes(
    django_assert_num_queries,
):
    area = LocalAreaFactory(name="Sunderland")
    client = api_client(council_system("Sunderland", area), "changes:read")
    return_advice(3, area)
    client.get(FEED)
    return_advice(40, area)

    # The access token with its application; the case system with its council; its account
    # with its role codes and areas, in the one query a signed-in page uses; the page of
    # changes (no query per change); the audit event of the call.
    with django_assert_num_queries(5):
        response = client.get(FEED, {"page_size": 30})
    assert len(response.json()["results"]) == 30


def test_the_feed_is_in_the_published_schema():
    schema = Client().get("/api/v1/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/changes/"]["get"]
    assert operation["operationId"] == "changes_list"
    assert {p["name"] for p in operation["parameters"]} >= {"cursor", "page_size"}
    assert operation["security"] == [{"caseSystemClientCredentials": ["changes:read"]}]
