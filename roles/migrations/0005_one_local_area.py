"""An existing one-area database becomes one local area (roles/upgrade.py): every assignment
of a role held in an area gets it. A fresh installation (nobody in it yet) gets its areas
from the demo, the seed or the admin instead, so nothing is made here."""

from django.db import migrations

from roles.upgrade import upgrade_area

# roles.models.ROLES_NOT_BOUND_TO_AREAS as it stands when this migration was written.
NOT_BOUND_TO_AREAS = ("administrator", "health-professional")


def forwards(apps, schema_editor):
    User = apps.get_model("roles", "User")
    RoleAssignment = apps.get_model("roles", "RoleAssignment")
    if not User.objects.exists():
        return
    area = upgrade_area(apps)
    # Every assignment, past and future too: the history says where the role was held.
    # Those that already name an area or an ICB (a rerun) are left as they are.
    assignment_ids = (
        RoleAssignment.objects.exclude(role__code__in=NOT_BOUND_TO_AREAS)
        .filter(areas__isnull=True, every_area_of_icb__isnull=True)
        .values_list("pk", flat=True)
    )
    Through = RoleAssignment.areas.through
    Through.objects.bulk_create(
        [Through(roleassignment_id=pk, localarea_id=area.pk) for pk in assignment_ids],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("roles", "0004_local_areas")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
