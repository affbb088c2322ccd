"""Each referral and appointment takes its child's area (ehcp 0016 gave every child one), and
so do the past versions of their records."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Child = apps.get_model("ehcp", "Child")
    for model in ("Referral", "HistoricalReferral", "Appointment", "HistoricalAppointment"):
        rows = apps.get_model("clinics", model).objects.filter(area__isnull=True)
        rows.update(area=Subquery(Child.objects.filter(pk=OuterRef("child_id")).values("area")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0003_referral_and_appointment_area"),
        ("ehcp", "0017_child_area_required"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
