from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Work for Celery, written in the same transaction as the change that calls for it."""

    name = "outbox"
    verbose_name = "Background work waiting to be sent"

    def ready(self) -> None:
        # Celery's task signals record how each message's task ended (in the worker too:
        # Celery's Django fix-up runs django.setup(), which calls this).
        from outbox import receivers  # noqa: F401
