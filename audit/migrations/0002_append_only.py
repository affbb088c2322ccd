"""The audit log is append-only. On PostgreSQL a trigger refuses any UPDATE of an event,
even from outside the portal (a psql session, a script, a bulk update), and any DELETE
unless the transaction has first run ``SET LOCAL portal.audit_purge = 'on'``, which only
the retention task (audit/tasks.py) does. SQLite has no such setting; there the portal's
own code is the guard (no page, admin action or service changes an event).

TRUNCATE is left alone on purpose: test databases are emptied with it between
transactional tests, and a role that may TRUNCATE the table owns it and could drop the
trigger anyway. Keeping the log from the database's owner needs separate database roles.
"""

from django.db import migrations, models

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_change_to_event() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('portal.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit: events are never changed or deleted (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Through a cursor without parameters: the function's RAISE format uses '%'.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(GUARD_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE "
        "ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_refuse_change_to_event()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_refuse_change_to_event()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["client_address", "-occurred_at"], name="audit_client_when"),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
