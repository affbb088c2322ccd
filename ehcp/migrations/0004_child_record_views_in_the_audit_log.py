"""Views of a child's record move from ehcp's own access log (ChildAccess) to the portal's
audit log, as CHILD_RECORD_VIEWED events. The rows already logged are copied across first,
with their time, viewer and page, so no view ever logged is lost."""

from django.db import migrations

BATCH = 2000


def copy_views_to_audit_log(apps, schema_editor):
    ChildAccess = apps.get_model("ehcp", "ChildAccess")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    batch = []
    for access in ChildAccess.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            AuditEvent(
                occurred_at=access.viewed_at,
                kind="child-record-viewed",
                actor_id=access.user_id,
                target_type="ehcp.child",
                target_id=str(access.child_id),
                summary=access.page[:255],
            )
        )
        if len(batch) >= BATCH:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0003_signed_records_are_immutable"),
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_views_to_audit_log, migrations.RunPython.noop),
        migrations.DeleteModel(name="ChildAccess"),
    ]
