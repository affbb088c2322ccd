"""The audit log in the Django admin: administrators read it; nobody adds, changes or deletes."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(dco):
    return record_event(AuditEvent.Kind.EXPORTED, actor=dco, summary="Concerns CSV")


def test_an_administrator_reads_the_log_in_the_admin_with_filters(client, administrator, logged):
    client.force_login(administrator)

    index = client.get(reverse("admin:index")).content.decode()
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    filtered = client.get(reverse("admin:audit_auditevent_changelist"), {"kind": "exported"})
    detail = client.get(reverse("admin:audit_auditevent_change", args=[logged.pk]))

    assert reverse("admin:audit_auditevent_changelist") in index
    assert listing.status_code == 200
    assert "Identifiable data exported" in listing.content.decode()
    assert list(filtered.context["cl"].result_list) == [logged]
    assert "By kind" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # shown, not editable


def test_nobody_adds_changes_or_deletes_an_event_in_the_admin(client, administrator, logged):
    client.force_login(administrator)

    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    changed = client.post(
        reverse("admin:audit_auditevent_change", args=[logged.pk]),
        {"kind": "signed-in", "summary": "rewritten"},
    )
    assert changed.status_code == 403
    assert (
        client.post(
            reverse("admin:audit_auditevent_delete", args=[logged.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    bulk = client.post(
        reverse("admin:audit_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [logged.pk], "post": "yes"},
    )
    # Without delete permission the admin offers no delete action: nothing is selected.
    assert bulk.status_code in (200, 302)
    logged.refresh_from_db()
    assert (logged.kind, logged.summary) == ("exported", "Concerns CSV")


@pytest.mark.parametrize("persona", ["dmo", "dco", "commissioner", "no_role_user"])
def test_nobody_else_reads_it_in_the_admin(client, request, persona, logged):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403
