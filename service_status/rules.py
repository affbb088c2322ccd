import rules

from roles.rules import is_administrator

rules.add_perm("service_status.view_status", is_administrator)

# The admin for beat's schedules and the heartbeat record.
rules.add_perm("service_status", is_administrator)
rules.add_perm("service_status.view_heartbeat", is_administrator)
rules.add_perm("django_celery_beat", is_administrator)
for _model in (
    "periodictask",
    "intervalschedule",
    "crontabschedule",
    "solarschedule",
    "clockedschedule",
):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"django_celery_beat.{_action}_{_model}", is_administrator)
