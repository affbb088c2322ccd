"""Moving to the audit log loses no view already logged: ehcp's migration 0004 copies every
ChildAccess row into the audit log before removing the old table."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ehcp", "0003_signed_records_are_immutable"), ("audit", "0002_append_only")]
AFTER = [("ehcp", "0004_child_record_views_in_the_audit_log")]


@pytest.mark.django_db(transaction=True)
def test_views_logged_before_the_move_are_copied_into_the_audit_log():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("roles", "User").objects.create(email="viewer@example.nhs.uk")
    child = old.get_model("ehcp", "Child").objects.create(
        first_name="Sam", last_name="Example", date_of_birth=datetime.date(2017, 3, 27)
    )
    viewed_at = datetime.datetime(2026, 5, 4, 9, 15, tzinfo=datetime.UTC)
    old.get_model("ehcp", "ChildAccess").objects.create(
        child=child, user=user, viewed_at=viewed_at, page="child record"
    )

    executor = MigrationExecutor(connection)
    try:
        executor.migrate(AFTER)
        new = executor.loader.project_state(AFTER).apps
        copied = list(
            new.get_model("audit", "AuditEvent").objects.filter(kind="child-record-viewed")
        )
        tables = connection.introspection.table_names()
    finally:
        # Back to the latest schema for the tests that follow, whatever depends on ehcp.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    (copied,) = copied
    assert (copied.actor_id, copied.occurred_at, copied.summary) == (
        user.pk,
        viewed_at,
        "child record",
    )
    assert (copied.target_type, copied.target_id) == ("ehcp.child", str(child.pk))
    assert "ehcp_childaccess" not in tables
