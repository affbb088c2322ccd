from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks to councils' case systems: their endpoints, and each change delivered,
    retried and logged. On the top floor, above ``case_systems`` (whose case systems own the
    endpoints and whose changes feed says what a change looks like); nothing imports it."""

    name = "webhooks"
    verbose_name = "Webhooks to case systems"

    def ready(self):
        from ehcp.signals import case_changed
        from webhooks.receivers import queue_webhooks

        case_changed.connect(queue_webhooks, dispatch_uid="webhooks_queue_on_case_change")
