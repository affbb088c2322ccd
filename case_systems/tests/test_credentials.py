"""Registering a case system, its token, rotating its secret and revoking it."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from oauth2_provider.models import AccessToken, Application

from audit.models import AuditEvent
from case_systems import services
from case_systems.tests.conftest import api_client, token_for
from roles.models import RoleCode
from roles.selectors import areas_of, current_role_codes
from send_portal.refusals import RefusedChange
from tests.factories import OrganisationFactory, the_test_area

pytestmark = pytest.mark.django_db


def test_a_registered_case_system_acts_as_a_send_officer_of_its_council_in_its_areas(
    case_system,
):
    account = case_system.case_system.account
    assert current_role_codes(account) == {RoleCode.SEND_OFFICER}
    assert areas_of(account) == {the_test_area().pk}
    assert account.is_system_account
    assert not account.has_usable_password()
    assert account.email.endswith("@case-systems.invalid")


def test_the_secret_is_kept_only_as_a_hash(case_system):
    application = Application.objects.get(client_id=case_system.client_id)
    assert application.client_secret != case_system.client_secret
    # Hashed by the password hasher in use (the tests' fast one; PBKDF2 in production).
    assert check_password(case_system.client_secret, application.client_secret)


def test_a_token_is_given_for_client_credentials_with_the_scopes_of_the_record(case_system):
    token = token_for(case_system.client_id, case_system.client_secret)
    assert token["status"] == 200
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 600
    assert set(token["scope"].split()) == set(case_system.case_system.scope_list)


def test_a_scope_the_record_does_not_allow_is_refused(council):
    narrow = services.register_case_system(
        name="Narrow", organisation=council, areas=[the_test_area()], scopes=["children:read"]
    )
    refused = token_for(narrow.client_id, narrow.client_secret, scope="children:write")
    assert refused["status"] == 400
    assert refused["error"] == "invalid_scope"
    granted = token_for(narrow.client_id, narrow.client_secret)
    assert granted["scope"] == "children:read"


def test_a_wrong_secret_gets_no_token(case_system):
    assert token_for(case_system.client_id, "not-the-secret")["error"] == "invalid_client"


def test_another_grant_is_refused(case_system):
    from urllib.parse import urlencode

    from django.test import Client

    response = Client().post(
        "/api/v1/token/",
        urlencode(
            {
                "grant_type": "password",
                "username": "x",
                "password": "y",
                "client_id": case_system.client_id,
                "client_secret": case_system.client_secret,
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_rotating_the_secret_ends_the_old_secret_and_its_tokens(case_system):
    client = api_client(case_system)
    assert AccessToken.objects.count() == 1
    rotated = services.rotate_secret(case_system.case_system)
    assert AccessToken.objects.count() == 0
    assert token_for(case_system.client_id, case_system.client_secret)["status"] == 401
    assert token_for(rotated.client_id, rotated.client_secret)["status"] == 200
    assert client.get("/api/v1/no-such-thing/").status_code == 404
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CASE_SYSTEM_SECRET_ROTATED).exists()


def test_revoking_ends_tokens_role_and_secret_for_good(case_system):
    api_client(case_system)
    revoked = services.revoke(case_system.case_system)
    assert revoked.is_revoked
    assert AccessToken.objects.count() == 0
    assert token_for(case_system.client_id, case_system.client_secret)["status"] == 401
    revoked.account.refresh_from_db()
    assert not revoked.account.is_active
    assert current_role_codes(revoked.account) == frozenset()
    with pytest.raises(RefusedChange):
        services.rotate_secret(revoked)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CASE_SYSTEM_REVOKED).exists()


def test_only_a_council_with_areas_and_known_scopes_may_be_registered(council):
    trust = OrganisationFactory(name="A Trust")
    with pytest.raises(RefusedChange, match="council"):
        services.register_case_system(name="X", organisation=trust, areas=[the_test_area()])
    with pytest.raises(RefusedChange, match="local areas"):
        services.register_case_system(name="X", organisation=council, areas=[])
    with pytest.raises(RefusedChange, match="no scope"):
        services.register_case_system(
            name="X", organisation=council, areas=[the_test_area()], scopes=["plans:delete"]
        )


def test_the_schema_is_public_and_openapi_3_1():
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
