"""Case systems in the admin: registered, rotated and revoked by an administrator, after
the password again, each in the audit log; the secret shown once, on a page nobody keeps."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from audit.models import AuditEvent
from case_systems.models import CaseSystem
from case_systems.tests.conftest import token_for
from session_security import step_up
from tests.factories import the_test_area

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:case_systems_casesystem_changelist")
ADD = reverse("admin:case_systems_casesystem_add")


def _signed_in_with_recent_password(client, user):
    client.force_login(user)
    session = client.session
    step_up.note_password_entered(SimpleNamespace(session=session))
    session.save()


def _shown(page: str, label: str) -> str:
    found = re.search(rf"<th scope=\"row\">{label}</th><td><code>([^<]+)</code>", page)
    assert found, f"{label} not shown"
    return found.group(1)


def test_an_administrator_registers_a_case_system_and_sees_its_secret_once(
    client, administrator, council
):
    _signed_in_with_recent_password(client, administrator)
    response = client.post(
        ADD,
        {
            "name": "Liquidlogic, Test Council",
            "organisation": council.pk,
            "areas": [the_test_area().pk],
            "scope_choices": ["children:read", "assessments:read"],
            "rate_limit_per_minute": 60,
        },
    )
    assert response.status_code == 200, response.content[:500]
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    client_id, secret = _shown(page, "Client id"), _shown(page, "Client secret")
    assert page.count("<h1") == 1  # the admin's layout writes the one heading
    case_system = CaseSystem.objects.get(name="Liquidlogic, Test Council")
    assert case_system.client_id == client_id
    assert case_system.scope_list == ["children:read", "assessments:read"]
    assert check_password(secret, case_system.application.client_secret)
    assert token_for(client_id, secret)["status"] == 200
    # Never again: the change page shows the client id, not the secret.
    change = client.get(reverse("admin:case_systems_casesystem_change", args=[case_system.pk]))
    assert client_id in change.content.decode()
    assert secret not in change.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.CASE_SYSTEM_REGISTERED)
    assert event.actor == administrator


def test_rotating_and_revoking_in_the_admin(client, administrator, case_system):
    _signed_in_with_recent_password(client, administrator)
    pk = case_system.case_system.pk
    rotated = client.post(CHANGELIST, {"action": "rotate_secret", "_selected_action": [pk]})
    assert rotated.status_code == 200
    new_secret = _shown(rotated.content.decode(), "Client secret")
    assert token_for(case_system.client_id, case_system.client_secret)["status"] == 401
    assert token_for(case_system.client_id, new_secret)["status"] == 200

    # Revoking asks first, naming what was chosen; nothing changes until the answer.
    asked = client.post(CHANGELIST, {"action": "revoke", "_selected_action": [pk]})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Revoke these case systems&#x27; access?" in page
    assert case_system.case_system.name in page
    assert 'name="confirmed" value="yes"' in page
    assert page.count("<h1") == 1
    assert token_for(case_system.client_id, new_secret)["status"] == 200
    revoked = client.post(
        CHANGELIST, {"action": "revoke", "_selected_action": [pk], "confirmed": "yes"}
    )
    assert revoked.status_code == 302
    assert token_for(case_system.client_id, new_secret)["status"] == 401
    kinds = set(AuditEvent.objects.filter(actor=administrator).values_list("kind", flat=True))
    assert {
        AuditEvent.Kind.CASE_SYSTEM_SECRET_ROTATED,
        AuditEvent.Kind.CASE_SYSTEM_REVOKED,
    } <= kinds


def test_the_actions_ask_for_the_password_again(client, administrator, case_system):
    client.force_login(administrator)
    session = client.session
    step_up.forget_password_entered(SimpleNamespace(session=session))
    session.save()
    pk = case_system.case_system.pk
    response = client.post(CHANGELIST, {"action": "rotate_secret", "_selected_action": [pk]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("session_security:confirm-password"))
    assert token_for(case_system.client_id, case_system.client_secret)["status"] == 200


def test_only_administrators_reach_case_systems(client, send_officer, case_system):
    _signed_in_with_recent_password(client, send_officer)
    assert client.get(CHANGELIST).status_code == 403
