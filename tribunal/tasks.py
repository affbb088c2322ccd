"""Celery tasks of the tribunal app: the reminders before each of health's due dates.

Every reminder goes through ``notifications.delivery.send_once`` (sent once, a failed
email tried again by later runs), in the portal and by email. No message names the child
or the Tribunal's reference: each says what is due and when, and links into the portal,
where access is checked.
"""

from __future__ import annotations

import datetime
import functools

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from notifications.delivery import REMINDER_TASK_RETRY, Due, Message, send_once
from roles.models import RoleCode
from roles.selectors import area_ids_by_user, current_holders, current_holders_by_organisation
from send_portal.london_time import long_date
from send_portal.notifications import portal_url
from tribunal import selectors
from tribunal.models import EvidenceRequest, Recommendation, ReminderKind

#: Reminded from this many days before a due date (local practice, as for health advice).
DUE_SOON_DAYS = 7


@shared_task(**REMINDER_TASK_RETRY)
def send_tribunal_reminders() -> int:
    """Send every Tribunal reminder that should have gone by now and has not; return how
    many. Beat wakes this task every hour; each run works out from the database what is due.

    - evidence due in 7 days, then overdue: to the provider's health professionals, who
      write it, and to the DCOs, who send it;
    - a response due in 7 days, then overdue (reg 6's 5 weeks): to the DCOs;
    - a drafted response waiting for approval: to the DMOs and the commissioners.
    """
    today = timezone.localdate()  # Europe/London, whatever the clocks did overnight
    dcos = InAreas(list(current_holders(RoleCode.DCO, today)), today)
    return send_once(
        _evidence_reminders(today, dcos)
        + _response_reminders(today, dcos)
        + _approval_reminders(today)
    )


class InAreas:
    """People, and the areas each works in (read once, in two queries, when first asked):
    a reminder about an appeal goes only to those working in its child's area."""

    def __init__(self, people: list, today: datetime.date):
        self.people = people
        self.today = today
        self._areas = None

    def of(self, area_id: int) -> list:
        if self._areas is None:
            self._areas = area_ids_by_user([person.pk for person in self.people], self.today)
        return [p for p in self.people if area_id in self._areas.get(p.pk, ())]


def _evidence_reminders(today: datetime.date, dcos) -> list[Due]:
    requests = selectors.evidence_to_remind(today, DUE_SOON_DAYS)
    if not requests:
        return []
    writers = current_holders_by_organisation(
        RoleCode.HEALTH_PROFESSIONAL, {r.provider_id for r in requests}, today
    )
    due = []
    for asked in requests:
        overdue = asked.due_on < today
        kind = ReminderKind.EVIDENCE_OVERDUE if overdue else ReminderKind.EVIDENCE_DUE_SOON
        message = functools.partial(_evidence_message, asked, overdue)
        people = {
            person.pk: person
            for person in [*writers.get(asked.provider_id, []), *dcos.of(asked.area_id_of_child)]
        }
        due += [
            Due(
                kind,
                f"evidence:{asked.pk}",
                message,
                recipient=person,
                about=f"evidence:{asked.pk}",
            )
            for person in people.values()
        ]
    return due


def _response_reminders(today: datetime.date, dcos) -> list[Due]:
    due = []
    for recommendation in selectors.responses_to_remind(today, DUE_SOON_DAYS):
        overdue = recommendation.response_due < today
        kind = ReminderKind.RESPONSE_OVERDUE if overdue else ReminderKind.RESPONSE_DUE_SOON
        message = functools.partial(_response_message, recommendation, overdue)
        due += [
            Due(
                kind,
                f"recommendation:{recommendation.pk}",
                message,
                recipient=person,
                about=f"recommendation:{recommendation.pk}",
            )
            for person in dcos.of(recommendation.area_id_of_child)
        ]
    return due


def _approval_reminders(today: datetime.date) -> list[Due]:
    waiting = selectors.responses_to_approve()
    if not waiting:
        return []
    approvers = InAreas(
        list(
            (
                current_holders(RoleCode.DMO, today) | current_holders(RoleCode.COMMISSIONER, today)
            ).distinct()
        ),
        today,
    )
    return [
        Due(
            ReminderKind.RESPONSE_TO_APPROVE,
            f"recommendation:{recommendation.pk}",
            functools.partial(_approval_message, recommendation),
            recipient=person,
            about=f"recommendation:{recommendation.pk}",
        )
        for recommendation in waiting
        for person in approvers.of(recommendation.area_id_of_child)
    ]


def _evidence_message(asked: EvidenceRequest, overdue: bool, due: Due) -> Message:
    subject = (
        f"Evidence for the Tribunal overdue: it was due on {long_date(asked.due_on)}"
        if overdue
        else f"Evidence for the Tribunal due on {long_date(asked.due_on)}"
    )
    path = reverse("tribunal:evidence", args=[asked.pk])
    return Message(
        title=subject,
        body=f"The Tribunal asked {asked.provider.name} for evidence (request {asked.pk}).",
        link=path,
        email_subject=subject,
        template="tribunal/email/evidence_reminder.txt",
        context={
            "provider": asked.provider.name,
            "due_on": asked.due_on,
            "overdue": overdue,
            "reference": asked.pk,
            "link": portal_url(path),
        },
    )


def _response_message(recommendation: Recommendation, overdue: bool, due: Due) -> Message:
    due_on = long_date(recommendation.response_due)
    subject = (
        f"Response to a Tribunal recommendation overdue: it was due on {due_on}"
        if overdue
        else f"Response to a Tribunal recommendation due on {due_on}"
    )
    path = reverse("tribunal:appeal", args=[recommendation.appeal_id])
    return Message(
        title=subject,
        body="Draft, approve and send health's response to the family and the council.",
        link=path,
        email_subject=subject,
        template="tribunal/email/response_reminder.txt",
        context={
            "due_on": recommendation.response_due,
            "made_on": recommendation.made_on,
            "overdue": overdue,
            "link": portal_url(path),
        },
    )


def _approval_message(recommendation: Recommendation, due: Due) -> Message:
    subject = "A response to a Tribunal recommendation is waiting for your approval"
    path = reverse("tribunal:response-approve", args=[recommendation.pk])
    return Message(
        title=subject,
        body=f"It must be sent by {long_date(recommendation.response_due)}.",
        link=path,
        email_subject=subject,
        template="tribunal/email/approval_reminder.txt",
        context={"due_on": recommendation.response_due, "link": portal_url(path)},
    )
