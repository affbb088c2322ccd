from django.apps import AppConfig


class SessionSecurityConfig(AppConfig):
    name = "session_security"
    verbose_name = "Sessions and step-up"

    def ready(self) -> None:
        # Sign-in starts a session's record and sign-out ends it, however either happens.
        from session_security import receivers  # noqa: F401
