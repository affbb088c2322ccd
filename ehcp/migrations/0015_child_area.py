"""Every child belongs to a local area. Three steps for an existing database: the column is
added empty here, filled with the upgrade's area (0016), then required (0017)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0014_reminders_become_deliveries"),
        ("roles", "0005_one_local_area"),
    ]

    operations = [
        migrations.AddField(
            model_name="child",
            name="area",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="roles.localarea",
                verbose_name="local area",
            ),
        ),
        migrations.AddField(
            model_name="historicalchild",
            name="area",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="roles.localarea",
                verbose_name="local area",
            ),
        ),
    ]
