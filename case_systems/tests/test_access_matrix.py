"""Who may call what: every endpoint of the API, by every kind of client, by every verb.

Two councils, each in its own local area, each with a case system holding every scope:
council A's reaches its own area's records; council B's gets 404 for every one of them,
as another area's person gets 404 on the pages, and its lists never show them. A client
without the endpoint's scope gets 403; no token, or the token of a revoked client, 401.
The world is made once for the module (the pattern of tests/access_world.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from case_systems import services
from case_systems.tests.conftest import api_client
from ehcp import services as ehcp_services
from ehcp.tests.factories import (
    ChildFactory,
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)
from roles.models import Organisation, RoleCode
from tests.factories import (
    DEFAULT_TEST_PASSWORD,
    LocalAreaFactory,
    OrganisationFactory,
    person_holding,
    the_test_area,
)


@dataclass
class Matrix:
    ids: dict[str, int]
    clients: dict[str, APIClient]


def _build() -> Matrix:
    area_a = the_test_area()
    area_b = LocalAreaFactory(name="Other area", code="E08000902", icb=area_a.icb)
    council_a = OrganisationFactory(name="Council A", kind=Organisation.Kind.COUNCIL)
    council_b = OrganisationFactory(name="Council B", kind=Organisation.Kind.COUNCIL)
    provider = OrganisationFactory(name="Provider A", kind=Organisation.Kind.NHS_TRUST)
    dmo = person_holding(RoleCode.DMO, provider, areas=[area_a, area_b])

    child = ChildFactory(area=area_a, nhs_number="9434765919")
    assessment = make_assessment(child=child)
    advice_request = make_advice_request(assessment=assessment, provider=provider)
    plan = make_plan_waiting_for_sign_off(assessment=assessment)
    version = plan.versions.get()
    ehcp_services.sign_off(version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")

    a = services.register_case_system(name="System A", organisation=council_a, areas=[area_a])
    b = services.register_case_system(name="System B", organisation=council_b, areas=[area_b])
    narrow = services.register_case_system(
        name="Narrow A", organisation=council_a, areas=[area_a], scopes=["changes:read"]
    )
    revoked = services.register_case_system(
        name="Revoked A", organisation=council_a, areas=[area_a]
    )
    clients = {
        "council_a": api_client(a),
        "council_b": api_client(b),
        "no_scope": api_client(narrow),
        "revoked": api_client(revoked),
        "no_token": APIClient(),
    }
    services.revoke(revoked.case_system)
    return Matrix(
        ids={
            "child": child.pk,
            "assessment": assessment.pk,
            "advice_request": advice_request.pk,
            "version": version.pk,
            "provider": provider.pk,
        },
        clients=clients,
    )


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    settings_override = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    settings_override.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            built = _build()
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        settings_override.disable()


def _bodies(ids):
    return {
        "children": {
            "first_name": "Cadfael",
            "last_name": "Earnshawe",
            "date_of_birth": "2019-05-01",
            "primary_need": "SLCN",
        },
        "assessments": {"requested_on": "2026-10-01"},
        "advice": {"service": "ot", "provider": ids["provider"], "requested_on": "2026-10-02"},
    }


#: (method, address with {names} of the world's records, what the body is, the scope, and
#: whether the address names a record of council A's area).
ENDPOINTS = [
    ("get", "/api/v1/areas/", None, "children:read", False),
    ("get", "/api/v1/providers/", None, "advice:read", False),
    ("get", "/api/v1/children/", None, "children:read", False),
    ("post", "/api/v1/children/", "children", "children:write", False),
    ("get", "/api/v1/children/{child}/", None, "children:read", True),
    ("get", "/api/v1/children/{child}/assessments/", None, "assessments:read", True),
    ("post", "/api/v1/children/{child}/assessments/", "assessments", "assessments:write", True),
    ("get", "/api/v1/assessments/{assessment}/", None, "assessments:read", True),
    ("get", "/api/v1/assessments/{assessment}/advice-requests/", None, "advice:read", True),
    (
        "post",
        "/api/v1/assessments/{assessment}/advice-requests/",
        "advice",
        "advice:write",
        True,
    ),
    ("get", "/api/v1/assessments/{assessment}/signed-sections/", None, "sections:read", True),
    ("get", "/api/v1/advice-requests/{advice_request}/", None, "advice:read", True),
    ("get", "/api/v1/sections-versions/{version}/pdf/", None, "sections:read", True),
]
IDS = [f"{method} {address}" for method, address, *_ in ENDPOINTS]

#: What each client gets, by whether the address names council A's record.
EXPECTED = {
    "council_a": {True: "ok", False: "ok"},
    "council_b": {True: 404, False: "ok"},
    "no_scope": {True: 403, False: 403},
    "revoked": {True: 401, False: 401},
    "no_token": {True: 401, False: 401},
}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(EXPECTED))
@pytest.mark.parametrize(
    ("method", "address", "body", "scope", "names_a_record"), ENDPOINTS, ids=IDS
)
def test_every_endpoint_by_every_client(matrix, who, method, address, body, scope, names_a_record):
    url = address.format(**matrix.ids)
    data = _bodies(matrix.ids)[body] if body else None
    response = getattr(matrix.clients[who], method)(url, data)
    expected = EXPECTED[who][names_a_record]
    if expected == "ok":
        assert response.status_code == (201 if method == "post" else 200), response.content[:300]
    else:
        assert response.status_code == expected
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == expected
        if expected == 403:
            assert scope in problem["detail"]
        if expected == 401:
            assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/children/",
        "/api/v1/children/{child}/assessments/",
        "/api/v1/assessments/{assessment}/advice-requests/",
    ],
)
def test_council_a_lists_its_records_and_council_b_never_sees_them(matrix, address):
    url = address.format(**matrix.ids)
    mine = matrix.clients["council_a"].get(url).json()["results"]
    assert mine, "council A's list should hold its record"
    theirs = matrix.clients["council_b"].get("/api/v1/children/").json()["results"]
    assert matrix.ids["child"] not in [row["id"] for row in theirs]
    by_number = matrix.clients["council_b"].get("/api/v1/children/?nhs_number=9434765919")
    assert by_number.json()["results"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_verbs_the_api_does_not_take_are_405_problems(matrix, method):
    url = "/api/v1/children/{child}/".format(**matrix.ids)
    response = getattr(matrix.clients["council_a"], method)(url, {})
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_a_signed_in_persons_session_opens_no_endpoint(matrix, client):
    from roles.models import User

    person = User.objects.people().filter(role_assignments__role__code=RoleCode.DMO).first()
    client.force_login(person)
    response = client.get("/api/v1/children/{child}/".format(**matrix.ids))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
