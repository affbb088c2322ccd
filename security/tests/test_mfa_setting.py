"""PORTAL_REQUIRE_MFA: on in production and not to be turned off there; off in the demo."""

import pytest

from tests.settings_process import run_with_settings

PRINT = "from django.conf import settings; print(settings.PORTAL_REQUIRE_MFA)"
PRODUCTION = {
    "PORTAL_ENVIRONMENT": "production",
    "SECRET_KEY": "a-long-random-secret-for-this-test-only-0123456789abcdef",
    "ALLOWED_HOSTS": "portal.example.nhs.uk",
}


def _settings_with(tmp_path, **environment):
    return run_with_settings(tmp_path, PRINT, **environment)


@pytest.mark.parametrize(
    ("environment", "required"),
    [
        ({}, "False"),
        ({"PORTAL_REQUIRE_MFA": "true"}, "True"),
        (PRODUCTION, "True"),
        ({**PRODUCTION, "PORTAL_REQUIRE_MFA": "true"}, "True"),
    ],
)
def test_the_second_factor_is_required_in_production_and_optional_in_the_demo(
    tmp_path, environment, required
):
    result = _settings_with(tmp_path, **environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == required


def test_production_refuses_to_start_without_the_second_factor(tmp_path):
    result = _settings_with(tmp_path, **PRODUCTION, PORTAL_REQUIRE_MFA="false")

    assert result.returncode != 0
    assert "PORTAL_REQUIRE_MFA cannot be turned off in production" in result.stderr
