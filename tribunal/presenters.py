"""How an appeal, its evidence and its responses read on the pages: what is due next, how
it stands against its date, and the appeal's history in order."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tribunal import statutory
from tribunal.statutory import DeadlineStatus

#: NHS.UK tag colour for each state of a deadline ({% status_tag %} draws the tag).
DEADLINE_COLOURS = {
    DeadlineStatus.ON_TRACK: "blue",
    DeadlineStatus.DUE_SOON: "yellow",
    DeadlineStatus.OVERDUE: "red",
    DeadlineStatus.MET: "green",
    DeadlineStatus.MISSED: "orange",
}


@dataclass(frozen=True)
class Due:
    on: datetime.date
    status: DeadlineStatus

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def colour(self) -> str:
        return DEADLINE_COLOURS[self.status]


def _due(on: datetime.date | None, done_on: datetime.date | None, today) -> Due | None:
    if on is None:
        return None
    return Due(on, statutory.deadline_status(on, done_on, today))


class AppealRow:
    """A row of the appeals list (from ``selectors.appeal_rows``)."""

    def __init__(self, appeal, today: datetime.date):
        self.appeal = appeal
        self.evidence_due = _due(getattr(appeal, "next_evidence_due", None), None, today)
        self.response_due = _due(getattr(appeal, "next_response_due", None), None, today)

    @property
    def waiting_on_health(self) -> bool:
        return bool(self.evidence_due or self.response_due)


class EvidenceRow:
    def __init__(self, asked, today: datetime.date, may_open: bool = True):
        self.asked = asked
        self.may_open = may_open
        self.due = _due(asked.due_on, asked.sent_on, today)


class ResponseRow:
    def __init__(self, recommendation, today: datetime.date):
        self.recommendation = recommendation
        self.due = _due(recommendation.response_due, recommendation.sent_on, today)

    @property
    def stage_label(self) -> str:
        return {
            "waiting": "Response not drafted",
            "drafted": "Waiting for approval",
            "approved": "Approved, not sent",
            "sent": "Sent",
        }[self.recommendation.stage]


@dataclass(frozen=True)
class Event:
    on: datetime.date
    what: str


def _day(moment) -> datetime.date:
    return timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment


def history(appeal, evidence_requests, witnesses, recommendations) -> list[Event]:
    """What happened on the appeal, newest first, from the records already loaded."""
    events = [Event(appeal.registered_on, "Appeal registered by the Tribunal")]
    if appeal.decided_on:
        events.append(Event(appeal.decided_on, "The Tribunal decided the appeal"))
    for asked in evidence_requests:
        events.append(Event(_day(asked.requested_at), f"Evidence asked of {asked.provider}"))
        if asked.written_at:
            events.append(Event(_day(asked.written_at), f"Evidence written by {asked.provider}"))
        if asked.sent_on:
            events.append(Event(asked.sent_on, "Evidence sent to the Tribunal"))
    for witness in witnesses:
        if witness.confirmed_on:
            events.append(Event(witness.confirmed_on, f"{witness.name} confirmed as a witness"))
    for made in recommendations:
        events.append(Event(made.made_on, "Health recommendation made"))
        if made.drafted_at:
            events.append(Event(_day(made.drafted_at), "Response drafted"))
        if made.approved_at:
            events.append(Event(_day(made.approved_at), "Response approved"))
        if made.sent_on:
            events.append(Event(made.sent_on, "Response sent to the family and the council"))
    return sorted(events, key=lambda event: event.on, reverse=True)
