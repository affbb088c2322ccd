"""What needs doing in the clinic, for the home page (read with the other to-dos)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from clinics import selectors
from clinics.models import Referral
from roles.selectors import areas_of
from send_portal.to_dos import PendingToDo, ToDo


def to_dos(user) -> list[PendingToDo]:
    if not user.has_perm("clinics.triage_referral"):
        return []
    href = (
        f"{reverse('clinics:referrals')}?{urlencode({'status': Referral.Status.AWAITING_TRIAGE})}"
    )
    return [
        PendingToDo(
            selectors.awaiting_triage_counts(areas_of(user)),
            lambda count: ToDo("Referrals waiting for triage", count, href),
        )
    ]
