"""How a referral shows on the waiting list: weeks waited and the NICE 3-month target."""

from __future__ import annotations

import datetime

from clinics import statutory
from clinics.models import Referral

_TAGS = {
    statutory.ON_TRACK: ("On track", "green"),
    statutory.BREACHING: ("Breaching 3 months", "red"),
    statutory.MET: ("Started within 3 months", "blue"),
    statutory.MISSED: ("Started after 3 months", "orange"),
}
_WAITING = {
    Referral.Status.AWAITING_TRIAGE,
    Referral.Status.MORE_INFORMATION,
    Referral.Status.WAITING,
}


class ReferralRow:
    def __init__(self, referral: Referral, today: datetime.date):
        self.referral = referral
        self.today = today

    def __getattr__(self, name):
        return getattr(self.referral, name)

    @property
    def weeks_waited(self) -> int:
        return self.referral.weeks_waited(self.today)

    @property
    def target_applies(self) -> bool:
        return self.referral.status in _WAITING or self.referral.assessment_started_on is not None

    @property
    def target_label(self) -> str:
        return _TAGS[self.referral.nice_status(self.today)][0]

    @property
    def target_colour(self) -> str:
        return _TAGS[self.referral.nice_status(self.today)][1]

    @property
    def is_breaching(self) -> bool:
        return self.referral.nice_status(self.today) == statutory.BREACHING
