from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Messages to people: in the portal (a count in the header) and by email, with calendar
    invitations where a message is about a meeting."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from notifications import receivers

        receivers.connect()
