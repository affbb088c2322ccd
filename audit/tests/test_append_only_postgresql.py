"""On PostgreSQL the database itself keeps the audit log append-only: a trigger refuses any
UPDATE, and any DELETE except in a transaction that has said it is the retention purge."""

import datetime

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction

from audit import tasks
from audit.models import AuditEvent
from audit.services import record_event

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the trigger is PostgreSQL's; set DATABASE_URL to a PostgreSQL database",
    ),
]


@pytest.fixture
def logged(dco):
    return record_event(AuditEvent.Kind.EXPORTED, actor=dco, summary="Concerns CSV")


def refused(statement, params):
    with (
        pytest.raises(DatabaseError, match="audit: events are never changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)


def test_an_update_is_refused_even_from_outside_the_portal(logged):
    refused("UPDATE audit_auditevent SET summary = 'rewritten' WHERE id = %s", [logged.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=logged.pk).update(kind="signed-in")

    logged.refresh_from_db()
    assert (logged.kind, logged.summary) == ("exported", "Concerns CSV")


def test_a_delete_is_refused_unless_the_transaction_is_the_purge(logged):
    refused("DELETE FROM audit_auditevent WHERE id = %s", [logged.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=logged.pk).delete()
    assert AuditEvent.objects.filter(pk=logged.pk).exists()

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [logged.pk])
    assert not AuditEvent.objects.filter(pk=logged.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_purge_setting_ends_with_its_transaction(logged):
    # A real transaction, committed: the test's own wrapping transaction would outlast it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL portal.audit_purge = 'on'")

    refused("DELETE FROM audit_auditevent WHERE id = %s", [logged.pk])


def test_even_the_purge_may_not_update(logged):
    with (
        pytest.raises(DatabaseError, match="never changed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET LOCAL portal.audit_purge = 'on'")
        cursor.execute("UPDATE audit_auditevent SET summary = 'x' WHERE id = %s", [logged.pk])


def test_the_retention_task_deletes_what_has_expired(settings, dco):
    settings.AUDIT_RETENTION_DAYS = 30
    now = datetime.datetime(2026, 11, 27, 3, 0, tzinfo=datetime.UTC)
    with time_machine.travel(now - datetime.timedelta(days=31), tick=False):
        expired = record_event(AuditEvent.Kind.SIGNED_IN, actor=dco)
    with time_machine.travel(now - datetime.timedelta(days=29), tick=False):
        kept = record_event(AuditEvent.Kind.SIGNED_IN, actor=dco)

    with time_machine.travel(now, tick=False):
        assert tasks.delete_expired_events(batch_size=1) == 1

    assert not AuditEvent.objects.filter(pk=expired.pk).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    refused("DELETE FROM audit_auditevent WHERE id = %s", [kept.pk])
