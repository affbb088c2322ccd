"""Just enough settings to run the nhsuk_forms tests without the rest of the portal.

    .venv/bin/pytest nhsuk_forms --noconftest --ds=nhsuk_forms.tests.settings_standalone

The project's own settings (send_portal.settings) are what the tests normally run under.
"""

SECRET_KEY = "nhsuk-forms-tests-only"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "crispy_forms",
    "nhsuk_forms",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}]
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
FORM_RENDERER = "nhsuk_forms.renderer.PortalFormRenderer"
ROOT_URLCONF = "nhsuk_forms.tests.urls"
USE_TZ = True
LANGUAGE_CODE = "en-gb"
