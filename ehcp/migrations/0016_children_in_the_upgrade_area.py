"""The children of a one-area database belong to its area (roles/upgrade.py), and so do the
past versions of their records (the history shows where the child was known)."""

from django.db import migrations

from roles.upgrade import upgrade_area


def forwards(apps, schema_editor):
    Child = apps.get_model("ehcp", "Child")
    HistoricalChild = apps.get_model("ehcp", "HistoricalChild")
    if not Child.objects.filter(area__isnull=True).exists():
        return
    area = upgrade_area(apps)
    Child.objects.filter(area__isnull=True).update(area=area)
    HistoricalChild.objects.filter(area__isnull=True).update(area=area)


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0015_child_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
