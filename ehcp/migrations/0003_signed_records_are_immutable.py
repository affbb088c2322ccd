"""On PostgreSQL, refuse any UPDATE or DELETE of a frozen sections version or a sign-off,
even from outside the ORM (a psql session, a script, a bulk update). The models refuse it
too, on every database; this makes the database itself the last line."""

from django.db import migrations

FORBID_FUNCTION = """
CREATE OR REPLACE FUNCTION ehcp_refuse_change_to_signed_record() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ehcp: % rows are signed clinical records and never change (% refused)',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

TABLES = ("ehcp_sectionsversion", "ehcp_signoff")


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Through a cursor without parameters: the function's RAISE format uses '%'.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FORBID_FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ehcp_refuse_change_to_signed_record()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS ehcp_refuse_change_to_signed_record()")


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0002_quality_criteria")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
