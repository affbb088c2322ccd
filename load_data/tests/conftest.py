import pytest


@pytest.fixture
def load_data_installed(settings):
    """The apps PORTAL_BENCHMARK=true installs (send_portal/settings.py), so that
    ``manage.py generate_load_data`` exists; without it the portal has no such command."""
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, *settings.BENCHMARK_APPS]
