from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        # Sign-in, sign-out, lockout and second-factor events go to the audit log from
        # signals, so every way in (the sign-in page, the admin, a test) is recorded.
        from security import receivers  # noqa: F401
