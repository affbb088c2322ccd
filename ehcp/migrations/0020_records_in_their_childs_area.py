"""Each assessment, plan and advice request carries its child's local area (set from the
child from now on by the models): existing rows take it from their child, in one UPDATE
each (a correlated subquery, on SQLite as on PostgreSQL). The past versions of the records
take it too, so the history says where the child was known."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):
    Child = apps.get_model("ehcp", "Child")
    Assessment = apps.get_model("ehcp", "Assessment")
    child_area = Subquery(Child.objects.filter(pk=OuterRef("child_id")).values("area_id")[:1])
    Assessment.objects.filter(area__isnull=True).update(area_id=child_area)
    apps.get_model("ehcp", "HistoricalAssessment").objects.filter(area__isnull=True).update(
        area_id=child_area
    )
    assessment_area = Subquery(
        Assessment.objects.filter(pk=OuterRef("assessment_id")).values("area_id")[:1]
    )
    for name in ("Plan", "HistoricalPlan", "AdviceRequest", "HistoricalAdviceRequest"):
        apps.get_model("ehcp", name).objects.filter(area__isnull=True).update(
            area_id=assessment_area
        )


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0019_record_area")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
