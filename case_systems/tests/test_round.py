"""A council's case system doing the whole round through the API: add a child, start an
assessment, ask for health advice, read the signed sections and check their hash."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from case_systems.tests.conftest import api_client
from ehcp import services as ehcp_services
from ehcp.models import Assessment, Child
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from roles.models import Organisation, RoleCode
from tests.factories import DEFAULT_TEST_PASSWORD, OrganisationFactory, person_holding

pytestmark = pytest.mark.django_db

VALID_NHS_NUMBER = "943 476 5919"


@pytest.fixture
def client(case_system):
    return api_client(case_system)


def _child_body(**overrides):
    return {
        "first_name": "Aderyn",
        "last_name": "Blenkinsopp",
        "date_of_birth": "2018-03-27",
        "nhs_number": VALID_NHS_NUMBER,
        "primary_need": "ASD",
        **overrides,
    }


def test_a_child_is_added_by_nhs_number_and_read_back(client):
    response = client.post("/api/v1/children/", _child_body())
    assert response.status_code == 201, response.json()
    child = response.json()
    assert child["nhs_number"] == "9434765919"
    assert child["date_of_birth"] == "2018-03-27"
    assert child["area"]["name"] == "Test area"
    assert response["Location"] == f"/api/v1/children/{child['id']}/"
    # Its time carries its offset (London time).
    created = datetime.datetime.fromisoformat(child["created_at"])
    assert created.utcoffset() is not None
    found = client.get("/api/v1/children/", {"nhs_number": "9434765919"}).json()
    assert [c["id"] for c in found["results"]] == [child["id"]]


def test_a_second_child_with_the_same_nhs_number_is_refused_as_the_pages_refuse_it(client):
    ChildFactory(nhs_number="9434765919")
    response = client.post("/api/v1/children/", _child_body(nhs_number="943-476-5919"))
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Another child already has this NHS number."
    assert Child.objects.count() == 1


def test_an_nhs_number_that_fails_its_check_digit_is_a_field_error(client):
    response = client.post("/api/v1/children/", _child_body(nhs_number="943 476 5918"))
    assert response.status_code == 400
    problem = response.json()
    assert problem["status"] == 400
    assert list(problem["errors"]) == ["nhs_number"]
    assert not Child.objects.exists()


def test_the_pages_bounds_apply_control_characters_and_dates(client):
    # Control characters: refused by the schema's own pattern, as the pages refuse them.
    response = client.post("/api/v1/children/", _child_body(first_name="Ad\x1beryn"))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"first_name"}
    # Over 25: refused by the page's form (EHC plans are for 0-25).
    response = client.post("/api/v1/children/", _child_body(date_of_birth="1990-01-01"))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"date_of_birth"}
    # A number where text belongs is a mistake, not text.
    response = client.post("/api/v1/children/", _child_body(last_name=42))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"last_name"}
    assert not Child.objects.exists()


def test_an_assessment_is_started_with_its_statutory_dates(client):
    child = ChildFactory()
    response = client.post(
        f"/api/v1/children/{child.pk}/assessments/",
        {"requested_on": "2026-09-01", "council_reference": "EHC-2026-0042"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["deadlines"] == {
        "requested_on": "2026-09-01",
        "decision_due": "2026-10-13",
        "practice_assessment_complete": "2026-11-24",
        "practice_draft_plan": "2026-12-22",
        "final_plan_due": "2027-01-19",
    }
    assert body["exceptions"] == []
    assessment = Assessment.objects.get(pk=body["id"])
    assert assessment.case_officer is None
    assert assessment.plan.status == "draft"


def test_a_request_date_in_the_future_is_refused(client):
    child = ChildFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        f"/api/v1/children/{child.pk}/assessments/", {"requested_on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    assert "requested_on" in response.json()["errors"]
    assert not Assessment.objects.exists()


def test_health_advice_is_requested_and_its_state_read(client):
    child = ChildFactory()
    provider = OrganisationFactory(name="Harbour Trust", kind=Organisation.Kind.NHS_TRUST)
    assessment = client.post(
        f"/api/v1/children/{child.pk}/assessments/", {"requested_on": "2026-09-01"}
    ).json()
    providers = client.get("/api/v1/providers/").json()
    assert provider.pk in [p["id"] for p in providers]
    response = client.post(
        f"/api/v1/assessments/{assessment['id']}/advice-requests/",
        {"service": "salt", "provider": provider.pk, "requested_on": "2026-09-02"},
    )
    assert response.status_code == 201, response.json()
    advice = response.json()
    assert advice["due_on"] == "2026-10-14"
    assert advice["state"] == "waiting"
    assert client.get(advice_url := f"/api/v1/advice-requests/{advice['id']}/").status_code == 200
    listed = client.get(f"/api/v1/assessments/{assessment['id']}/advice-requests/").json()
    assert [a["id"] for a in listed["results"]] == [advice["id"]]
    detail = client.get(f"/api/v1/assessments/{assessment['id']}/").json()
    assert [a["id"] for a in detail["advice_requests"]] == [advice["id"]]
    assert advice_url


def test_the_newest_signed_sections_are_read_with_their_hash_and_pdf(client, provider_a):
    dmo = person_holding(RoleCode.DMO, provider_a, user__full_name="Dr Dee Emmo")
    plan = make_plan_waiting_for_sign_off()
    version = plan.versions.get()
    ehcp_services.sign_off(version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    response = client.get(f"/api/v1/assessments/{plan.assessment_id}/signed-sections/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["number"] == 1
    assert body["signature"]["signed_by"] == "Dr Dee Emmo"
    assert body["signature"]["role"] == "Designated Medical Officer"
    assert body["section_g"][0]["frequency"] == "6 sessions of 45 minutes each term"
    # The hash is of the exact signed text the response carries.
    assert hashlib.sha256(body["signed_text"].encode("utf-8")).hexdigest() == body["sha256"]
    assert body["sha256"] == version.content_hash
    assert body["text_intact"] is True
    pdf = client.get(body["pdf"].removeprefix("http://testserver"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).count() == 1


def test_sections_not_yet_signed_are_not_found(client):
    plan = make_plan_waiting_for_sign_off()
    response = client.get(f"/api/v1/assessments/{plan.assessment_id}/signed-sections/")
    assert response.status_code == 404
    assert "signed off" in response.json()["detail"]
    pdf = client.get(f"/api/v1/sections-versions/{plan.versions.get().pk}/pdf/")
    assert pdf.status_code == 404


def test_every_call_is_an_audit_event_without_personal_data(client, case_system):
    child = ChildFactory(first_name="Morwenna")
    client.get(f"/api/v1/children/{child.pk}/")
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.API_CALL).get()
    assert event.actor == case_system.case_system.account
    assert event.summary == "GET api:child 200"
    assert "Morwenna" not in event.summary
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.CHILD_RECORD_VIEWED, target_id=str(child.pk)
    ).exists()
