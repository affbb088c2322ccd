from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Messages to people: in the portal (a count in the header) and by email, with calendar
    invitations where a message is about a meeting."""

    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from notifications import receivers, selectors
        from roles.backends import read_with_user

        receivers.connect()
        # The header's unread count, on every signed-in page: read in the user's own query.
        read_with_user("unread_notification_count", selectors.unread_count_of_user_row)
