"""The concerns and escalations of a one-area database belong to its area (roles/upgrade.py),
and so do the past versions of their records."""

from django.db import migrations

from roles.upgrade import upgrade_area


def forwards(apps, schema_editor):
    models = [
        apps.get_model("intelligence", name)
        for name in ("Concern", "HistoricalConcern", "Escalation", "HistoricalEscalation")
    ]
    if not any(model.objects.filter(area__isnull=True).exists() for model in models):
        return
    area = upgrade_area(apps)
    for model in models:
        model.objects.filter(area__isnull=True).update(area=area)


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0007_concern_and_escalation_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
