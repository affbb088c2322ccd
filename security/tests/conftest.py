"""Fixtures for the sign-in security tests."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture
def mfa_required(settings):
    """Tests run in development settings, where the second factor is off; as in production."""
    settings.PORTAL_REQUIRE_MFA = True


@pytest.fixture
def give_authenticator():
    """A confirmed authenticator app for a person, as if they had set it up."""

    def give(user) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)

    return give
