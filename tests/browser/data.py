"""Records the journeys start from, made through the portal's own services."""

from __future__ import annotations

import base64
import datetime

from django.utils import timezone
from django_otp.oath import totp

from intelligence import services as intelligence_services
from intelligence.models import Theme
from intelligence.report import last_full_quarter
from tests.factories import the_test_area


def concerns_last_quarter(logged_by):
    period = last_full_quarter(timezone.localdate())
    waiting, communication = Theme.objects.order_by("pk")[:2]
    raised = ((3, waiting, "salt"), (20, waiting, "camhs"), (40, communication, ""))
    for days, theme, service in raised:
        intelligence_services.log_concern(
            area=the_test_area(),
            raised_on=period.start + datetime.timedelta(days=days),
            source="sendiass",
            summary="Families wait too long for an appointment",
            themes=[theme],
            service=service,
            families=2,
            logged_by=logged_by,
        )
    return period


def code_for(secret_as_shown: str) -> str:
    """What an authenticator app shows now for the setup key typed from the page."""
    secret = secret_as_shown.replace(" ", "")
    assert secret, "No setup key was read from the page"
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"
