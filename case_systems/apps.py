from django.apps import AppConfig


class CaseSystemsConfig(AppConfig):
    """The API for councils' case systems (``/api/v1/``): each case system's credentials,
    scopes and rate limit, the account it acts through, and the endpoints, which call the
    same services, selectors and rules as the pages. It sits on the top floor beside
    ``home``: it may read every app below it, and nothing imports it."""

    name = "case_systems"
    verbose_name = "Case systems (the API)"

    def ready(self):
        # drf-spectacular finds its extensions by their import: the security scheme.
        from case_systems import schema  # noqa: F401
