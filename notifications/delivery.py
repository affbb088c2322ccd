"""Sending a message to a person once: every reminder and notice of the portal.

A domain app says what is due and to whom, as ``Due`` items (a kind, a subject, the
recipient and a builder of the ``Message``), and hands them to ``send_once``; nothing else
in the portal claims, sends or retries a reminder. Beat wakes the reminder tasks often,
but nothing depends on a run firing at a given minute, or only once: each run works out
from the database what should have been sent by now, and ``send_once`` sends only what
has not gone:

1. a first attempt inserts the message's ``Delivery`` row (unique per kind, subject and
   recipient) with outcome "sending", in a savepoint. A run that finds the row taken
   (another run, a second beat, a retried task) skips that message;
2. the message goes: to a person with an account, the notification in the portal and the
   email (``notifications.services.notify``); to an address (a family), the email only.
   The row becomes "sent", or "failed" with the error if the email could not go (the
   notification stays);
3. a later run tries a "failed" row again, if it is still due and has attempts left
   (``selectors.MAX_ATTEMPTS`` in all), by a conditional update that claims it only if
   nobody else has: ``filter(pk=…, outcome=FAILED, attempts=n).update(outcome=SENDING,
   attempts=n + 1)``; only the run whose update counts 1 sends, and only the email (the
   notification exists);
4. a worker killed mid-send leaves its row "sending": it is never sent again (it may have
   gone), and after ``selectors.INTERRUPTED_AFTER`` ``selectors.failed_or_interrupted``
   shows it with the messages that ran out of attempts.

Nothing sent names a child: the builders say what needs doing and link into the portal,
where access is checked; the row holds ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from notifications import selectors
from notifications.models import Delivery
from notifications.services import notify, send_notification_email
from roles.models import User
from send_portal.notifications import Attachment, send_email

logger = logging.getLogger(__name__)

Outcome = Delivery.Outcome
ERROR_MAX = Delivery._meta.get_field("error").max_length

#: How a task that sends through ``send_once`` retries itself: only when the database fails
#: (SQLite busy, a lost connection), as the whole run is safe to repeat. A failed email is
#: not a task failure: its row records it, and the next run tries it again.
REMINDER_TASK_RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 3,
}


@dataclass(frozen=True)
class Message:
    """What a person is told: the email (``email_subject``, the plain-text ``template``
    rendered with ``context``, and ``attachments``) and, for someone with an account, the
    notification in the portal (``title``, the email's subject if empty; ``body``; ``link``,
    a path inside the portal)."""

    email_subject: str
    template: str
    context: dict = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()
    title: str = ""
    body: str = ""
    link: str = ""


@dataclass(frozen=True)
class Due:
    """A message that should have gone by now: ``kind`` ("meetings.meeting-soon"),
    ``subject`` (what it is about: "meeting:12:7d") and either ``recipient`` (a person
    with an account) or ``address`` (someone without one, a family: email only).

    ``message`` builds the message from this item, only when it is sent. ``about`` groups
    deliveries for whoever follows them up ("meeting:12"). ``in_portal=False`` is for a
    notice whose notification the caller made itself, in the transaction of the change it
    tells of, so that it shows at once whatever the worker does: the delivery is its
    email. ``max_attempts=None`` leaves the retries to the caller's task (an outbox task
    retried by its own policy, or sent again by an administrator).
    """

    kind: str
    subject: str
    message: Callable[[Due], Message]
    recipient: User | None = None
    address: str = ""
    about: str = ""
    in_portal: bool = True
    max_attempts: int | None = selectors.MAX_ATTEMPTS

    def __post_init__(self) -> None:
        if (self.recipient is None) == (not self.address):
            raise ValueError("A message goes to a person or to an address, one of the two.")

    @property
    def key(self) -> selectors.ClaimKey:
        if self.recipient is not None:
            return (self.kind, self.subject, self.recipient.pk, "")
        return (self.kind, self.subject, None, self.address)


def send_once(due: Iterable[Due], *, raise_failures: bool = False) -> int:
    """Send each message of ``due`` that has not gone (or retry one that failed and may be
    tried again); return how many went. One query for the claims, then a few for each
    message sent.

    A failed email is recorded on its row and the run goes on. ``raise_failures`` raises
    it instead, once recorded, for a task that sends one message and has no later run to
    try again (an outbox task: its retry policy runs it again, and the next attempt takes
    the failed row by the same conditional update).
    """
    due = list(due)
    if not due:
        return 0
    claims = selectors.claimed({item.subject for item in due})
    sent = 0
    for item in due:
        claim = claims.get(item.key)
        if claim is None:
            row = _claim(item)
            if row is not None:
                sent += _deliver(row, item, first_attempt=True, raise_failures=raise_failures)
        elif _retryable(claim, item) and _claim_retry(claim):
            sent += _deliver(claim, item, first_attempt=False, raise_failures=raise_failures)
    return sent


def pending(due: Iterable[Due]) -> list[Due]:
    """The items of ``due`` that ``send_once`` would send now: not claimed, or failed with
    attempts left. One query; for a caller that must do more work only when something is
    left to send (the DMO's daily count of plans)."""
    due = list(due)
    if not due:
        return []
    claims = selectors.claimed({item.subject for item in due})
    return [
        item for item in due if (claim := claims.get(item.key)) is None or _retryable(claim, item)
    ]


def _claim(item: Due) -> Delivery | None:
    """Insert the message's row, or None if another run has it already."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                kind=item.kind,
                subject=item.subject,
                about=item.about,
                recipient=item.recipient,
                recipient_address="" if item.recipient is not None else item.address,
                outcome=Outcome.SENDING,
                attempts=1,
            )
    except IntegrityError:
        return None


def _retryable(claim: Delivery, item: Due) -> bool:
    return claim.outcome == Outcome.FAILED and (
        item.max_attempts is None or claim.attempts < item.max_attempts
    )


def _claim_retry(claim: Delivery) -> bool:
    """Take a failed message for one more attempt, unless another run just did."""
    taken = Delivery.objects.filter(
        pk=claim.pk, outcome=Outcome.FAILED, attempts=claim.attempts
    ).update(outcome=Outcome.SENDING, attempts=claim.attempts + 1)
    return taken == 1


def _deliver(row: Delivery, item: Due, *, first_attempt: bool, raise_failures: bool) -> int:
    message = item.message(item)
    try:
        if item.recipient is None:
            send_email(
                item.address,
                message.email_subject,
                message.template,
                message.context,
                attachments=message.attachments,
            )
        elif first_attempt and item.in_portal:
            notify(
                item.recipient,
                message.title or message.email_subject,
                message.body,
                message.link,
                email_subject=message.email_subject,
                email_template=message.template,
                email_context=message.context,
                attachments=message.attachments,
            )
        else:
            send_notification_email(
                item.recipient,
                message.email_subject,
                message.template,
                message.context,
                message.attachments,
            )
    except OSError as error:  # smtplib.SMTPException is an OSError
        # The error's text can hold the address: kept (for staff to read) only for people
        # with an account, never for a family.
        name = error.__class__.__name__
        text = (f"{name}: {error}" if item.recipient is not None else name)[:ERROR_MAX]
        Delivery.objects.filter(pk=row.pk).update(outcome=Outcome.FAILED, error=text)
        logger.warning("Delivery %s (%s) failed to send: %s", row.pk, row.kind, name)
        if raise_failures:
            raise
        return 0
    Delivery.objects.filter(pk=row.pk).update(
        outcome=Outcome.SENT, sent_at=timezone.now(), error=""
    )
    return 1
