"""What needs doing in the clinic, for the home page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from clinics import selectors
from clinics.models import Referral
from ehcp.dashboard import ToDo


def to_dos(user) -> list[ToDo]:
    if not user.has_perm("clinics.triage_referral"):
        return []
    query = urlencode({"status": Referral.Status.AWAITING_TRIAGE})
    return [
        ToDo(
            "Referrals waiting for triage",
            selectors.awaiting_triage_count(),
            f"{reverse('clinics:referrals')}?{query}",
        )
    ]
