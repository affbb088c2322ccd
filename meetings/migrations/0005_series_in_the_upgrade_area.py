"""The meeting series of a one-area database belong to its area (roles/upgrade.py); their
meetings, agendas, attendance, actions and papers follow through the series."""

from django.db import migrations

from roles.upgrade import upgrade_area


def forwards(apps, schema_editor):
    MeetingSeries = apps.get_model("meetings", "MeetingSeries")
    if not MeetingSeries.objects.filter(area__isnull=True).exists():
        return
    MeetingSeries.objects.filter(area__isnull=True).update(area=upgrade_area(apps))


class Migration(migrations.Migration):
    dependencies = [("meetings", "0004_series_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
