"""The changes a council's case system follows (issue 19): an append-only log, which on
PostgreSQL the database itself keeps append-only, as it does signed records (0003).

No row is written for what happened before this migration: the feed starts here, and a
council's system reads the state of older records through the API."""

import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION ehcp_refuse_change_to_case_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ehcp: the case changes log is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Through a cursor without parameters: the function's RAISE format uses '%'.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(APPEND_ONLY_FUNCTION)
    schema_editor.execute(
        "CREATE TRIGGER ehcp_casechange_append_only BEFORE UPDATE OR DELETE ON ehcp_casechange "
        "FOR EACH ROW EXECUTE FUNCTION ehcp_refuse_change_to_case_change()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS ehcp_casechange_append_only ON ehcp_casechange")
    schema_editor.execute("DROP FUNCTION IF EXISTS ehcp_refuse_change_to_case_change()")


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0021_record_area_required"),
        ("roles", "0005_one_local_area"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("event_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("advice.returned", "Health advice returned"),
                            ("sections.signed", "Health sections signed off"),
                            ("sections.returned", "Health sections returned for amendment"),
                            ("provision.agreed", "Health provision agreed by the ICB"),
                        ],
                        max_length=30,
                    ),
                ),
                ("occurred_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "advice_request",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ehcp.advicerequest",
                    ),
                ),
                (
                    "area",
                    models.ForeignKey(
                        editable=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="roles.localarea",
                        verbose_name="local area",
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ehcp.assessment",
                    ),
                ),
                (
                    "child",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ehcp.child",
                    ),
                ),
                (
                    "version",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ehcp.sectionsversion",
                    ),
                ),
            ],
            options={
                "ordering": ["id"],
                "indexes": [models.Index(fields=["area", "id"], name="case_change_feed")],
            },
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
