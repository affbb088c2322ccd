from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The portal's front door: the home page with each person's to-dos, "All pages", the
    navigation, "About" and the error pages. It sits on the top floor: it may read every
    app below it, and nothing imports it."""

    name = "home"
    verbose_name = "Home"
