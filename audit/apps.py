from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self) -> None:
        # Role changes are recorded from model signals, so every way the admin saves an
        # assignment (its own page, the person page's inline) is covered.
        from audit import receivers  # noqa: F401
