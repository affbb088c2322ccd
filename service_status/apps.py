from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ServiceStatusConfig(AppConfig):
    """Is the background machinery running? Heartbeats from the worker, beat's schedules."""

    name = "service_status"
    verbose_name = "Service status and schedules"

    def ready(self) -> None:
        from service_status.schedules import install_schedules

        # Every migrate (a new installation, a deployment, the test database) makes sure
        # each periodic task the code declares exists in beat's database schedule.
        post_migrate.connect(install_schedules, sender=self, dispatch_uid="install_schedules")
