import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0016_children_in_the_upgrade_area")]

    operations = [
        migrations.AlterField(
            model_name="child",
            name="area",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="roles.localarea",
                verbose_name="local area",
            ),
        ),
    ]
