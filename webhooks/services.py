"""Everything that changes webhooks: endpoints (added, changed, their secret rotated,
removed, each an audit event) and their deliveries (queued for each change, sent, retried
with back-off, given up).

How a delivery goes, once, however often its task runs:

1. ``queue_deliveries`` (a task queued through the outbox in the transaction of the change,
   ``receivers.py``) makes one ``WebhookDelivery`` per endpoint that should hear of the
   change (unique per endpoint and change), "queued", and queues ``deliver`` for each
   through the outbox in the same transaction;
2. ``deliver`` claims the delivery by a conditional update, queued -> sending; a second
   run of the task (the outbox sends again what it cannot prove finished) finds nothing to
   claim and sends nothing;
3. the POST goes (``sending.post``) and its attempt is logged (``WebhookAttempt``). A 2xx
   answer: delivered. Anything else: waiting, to be tried again after ``RETRY_AFTER``,
   ``MAX_ATTEMPTS`` tries in all (about 21 hours), then failed;
4. ``queue_due_retries`` (beat, every minute) moves deliveries whose time has come back to
   queued and queues ``deliver`` for each through the outbox;
5. a worker that dies mid-send leaves the delivery "sending": it is never sent again on the
   portal's own (it may have arrived), and administrators see it as interrupted and may
   send it again (``send_again``), with the same ``webhook-id`` so the receiver can tell.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from audit.services import Kind, record_event
from case_systems.changes import event
from case_systems.models import CaseSystem
from ehcp.models import CaseChange
from outbox.services import enqueue
from roles.models import User
from send_portal.refusals import RefusedChange
from webhooks import addresses, selectors, sending, signing
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status

#: How long after each failed try the next is made: a receiver down for a deployment hears
#: within minutes, one down for a working day within hours; after the last, the delivery is
#: failed and shown to administrators. Seven tries over about 21 hours.
RETRY_AFTER: tuple[datetime.timedelta, ...] = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=6),
    datetime.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
#: How long a rotated secret still signs too, so the receiver can switch to the new one.
PREVIOUS_SECRET_SIGNS_FOR = datetime.timedelta(hours=24)
#: How many due retries one sweep queues; the rest wait for the next minute's.
RETRY_BATCH = 200
#: Deliveries finished (delivered or failed) are kept this long, then deleted with their log.
KEEP_FINISHED = datetime.timedelta(days=90)

EVENT_KINDS = CaseChange.Kind


def retry_after(attempts: int) -> datetime.timedelta | None:
    """How long to wait after the ``attempts``-th try failed; None: no more tries."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_AFTER[attempts - 1]


# --- Endpoints ---------------------------------------------------------------------------


def _check(url: str, events: Iterable[str]) -> list[str]:
    problem = addresses.url_problem(url)
    if problem:
        raise RefusedChange(problem)
    chosen = set(events)
    unknown = sorted(chosen - set(EVENT_KINDS.values))
    if unknown:
        raise RefusedChange(f"There is no kind of change called {unknown[0]}.")
    if not chosen:
        raise RefusedChange("Choose at least one kind of change to send.")
    return [kind for kind in EVENT_KINDS.values if kind in chosen]


@transaction.atomic
def add_endpoint(
    case_system: CaseSystem,
    url: str,
    events: Iterable[str],
    *,
    description: str = "",
    is_active: bool = True,
    actor: User | None = None,
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint for ``case_system`` and its signing secret, which is returned only
    here: show it once, to be given to the council."""
    if case_system.is_revoked:
        raise RefusedChange("This case system's access is revoked: it has no webhooks.")
    events = _check(url, events)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        case_system=case_system,
        url=url,
        events=events,
        description=description,
        sealed_secret=signing.seal(secret),
        is_active=is_active,
    )
    record_event(
        Kind.WEBHOOK_ENDPOINT_ADDED,
        actor=actor,
        target=endpoint,
        summary=f"{case_system.name}: {', '.join(events)}"[:255],
    )
    return endpoint, secret


@transaction.atomic
def change_endpoint(
    endpoint: WebhookEndpoint,
    *,
    url: str,
    events: Iterable[str],
    description: str,
    is_active: bool,
    actor: User | None = None,
) -> WebhookEndpoint:
    """Change where an endpoint is, what it hears and whether it is on. Its secret stays."""
    events = _check(url, events)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    moved = endpoint.url != url
    endpoint.url, endpoint.events = url, events
    endpoint.description, endpoint.is_active = description, is_active
    endpoint.save(update_fields=["url", "events", "description", "is_active"])
    record_event(
        Kind.WEBHOOK_ENDPOINT_CHANGED,
        actor=actor,
        target=endpoint,
        summary=(
            f"{'Address changed; ' if moved else ''}{'on' if is_active else 'off'}; "
            f"{', '.join(events)}"
        )[:255],
    )
    return endpoint


@transaction.atomic
def rotate_secret(endpoint: WebhookEndpoint, actor: User | None = None) -> str:
    """A new signing secret, returned only here. For ``PREVIOUS_SECRET_SIGNS_FOR`` each
    message is signed with the old one too, so the council can change over without
    refusing a message; a secret that leaked should be replaced at once, and the council
    told to stop accepting the old one."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    secret = signing.new_secret()
    endpoint.sealed_previous_secret = endpoint.sealed_secret
    endpoint.previous_secret_until = now + PREVIOUS_SECRET_SIGNS_FOR
    endpoint.sealed_secret = signing.seal(secret)
    endpoint.secret_rotated_at = now
    endpoint.save(
        update_fields=[
            "sealed_secret",
            "sealed_previous_secret",
            "previous_secret_until",
            "secret_rotated_at",
        ]
    )
    record_event(Kind.WEBHOOK_SECRET_ROTATED, actor=actor, target=endpoint)
    return secret


@transaction.atomic
def remove_endpoint(endpoint: WebhookEndpoint, actor: User | None = None) -> None:
    """The endpoint goes, with its delivery log; the audit event says where it was."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    record_event(
        Kind.WEBHOOK_ENDPOINT_REMOVED,
        actor=actor,
        target=endpoint,
        summary=f"{endpoint.case_system}: {endpoint.url}"[:255],
    )
    endpoint.delete()


# --- Deliveries ------------------------------------------------------------------------------


def body_of(change: CaseChange) -> str:
    """The JSON a webhook carries: the change as the feed lists it (case_systems.changes)."""
    return json.dumps(event(change), separators=(",", ":"), ensure_ascii=False)


@transaction.atomic
def queue_deliveries(change_id: int) -> int:
    """A delivery for each endpoint that should hear of the change, each queued to send
    through the outbox in this transaction; return how many. Run twice, the second run
    finds them made and queues nothing."""
    change = CaseChange.objects.filter(pk=change_id).first()
    if change is None:
        return 0
    made = set(WebhookDelivery.objects.filter(change=change).values_list("endpoint", flat=True))
    endpoints = [e for e in selectors.endpoints_to_tell(change) if e.pk not in made]
    if not endpoints:
        return 0
    body = body_of(change)
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(endpoint=endpoint, change=change, body=body) for endpoint in endpoints
    )
    for delivery in deliveries:
        enqueue("webhooks.tasks.deliver", delivery.pk)
    return len(deliveries)


def _claim(delivery_id: int, now: datetime.datetime) -> bool:
    """Take a queued delivery to send it, unless someone else has (or it is not queued)."""
    claimed = WebhookDelivery.objects.filter(pk=delivery_id, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now
    )
    return claimed == 1


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime.datetime) -> list[str]:
    """The secret, and the previous one while a rotation settles. ``SecretUnreadable`` if
    the secret cannot be unsealed; a previous one that cannot (``SECRET_KEY`` changed, and
    the secret was replaced for that reason) is left out."""
    secrets = [signing.unseal(endpoint.sealed_secret)]
    if endpoint.sealed_previous_secret and (
        endpoint.previous_secret_until is not None and endpoint.previous_secret_until > now
    ):
        with contextlib.suppress(signing.SecretUnreadable):
            secrets.append(signing.unseal(endpoint.sealed_previous_secret))
    return secrets


def deliver(delivery_id: int, now: datetime.datetime | None = None) -> sending.Answer | None:
    """Send one queued delivery once, and log the attempt; None when there was nothing to
    send (claimed by another run, delivered, waiting for its time, or interrupted)."""
    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint", "change").get(pk=delivery_id)
    endpoint = delivery.endpoint
    # Asked again at the moment of sending: an endpoint switched off, a case system revoked
    # or moved out of the change's area since it was queued hears nothing.
    still_in_reach = selectors.endpoints_in_reach(delivery.change).filter(pk=endpoint.pk)
    if not still_in_reach.exists():
        answer = sending.Answer(None, "Not sent: the endpoint is off or out of reach.", 0)
        _record(delivery, answer, now, give_up=True)
        return answer
    body = delivery.body.encode()
    timestamp = int(now.timestamp())
    try:
        signing_secrets = _signing_secrets(endpoint, now)
    except signing.SecretUnreadable as unreadable:
        # Tried again on the usual schedule: once an administrator makes a new secret, the
        # next try signs with it.
        answer = sending.Answer(None, str(unreadable), 0)
        _record(delivery, answer, now)
        return answer
    headers = signing.headers(str(delivery.message_id), timestamp, body, signing_secrets)
    answer = sending.post(endpoint.url, body, headers, settings.WEBHOOKS_TIMEOUT_SECONDS)
    _record(delivery, answer, now)
    return answer


def _record(
    delivery: WebhookDelivery,
    answer: sending.Answer,
    started_at: datetime.datetime,
    *,
    give_up: bool = False,
) -> None:
    """The attempt in the log and the delivery's next state, together."""
    attempts = delivery.attempts
    wait = None if answer.delivered or give_up else retry_after(attempts)
    finished_at = timezone.now()
    next_attempt_at = finished_at + wait if wait is not None else None
    if answer.delivered:
        status = Status.DELIVERED
    elif next_attempt_at is not None:
        status = Status.WAITING
    else:
        status = Status.FAILED
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=attempts,
            started_at=started_at,
            duration_ms=answer.duration_ms,
            status_code=answer.status_code,
            error=answer.error,
            next_attempt_at=next_attempt_at,
        )
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=Status.SENDING, attempts=attempts
        ).update(
            status=status,
            next_attempt_at=next_attempt_at,
            delivered_at=finished_at if answer.delivered else None,
        )
    if not answer.delivered:
        logger.warning(
            "Webhook delivery %s attempt %s to endpoint %s failed: %s",
            delivery.pk,
            attempts,
            delivery.endpoint_id,
            answer.error,
        )


@transaction.atomic
def queue_due_retries(now: datetime.datetime | None = None) -> int:
    """Queue again, through the outbox, each delivery whose next try is due; delete the
    deliveries finished more than ``KEEP_FINISHED`` ago. Return how many were queued."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status__in=(Status.DELIVERED, Status.FAILED), created_at__lt=now - KEEP_FINISHED
    ).delete()
    due = WebhookDelivery.objects.filter(status=Status.WAITING, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )
    if connection.features.has_select_for_update_skip_locked:
        # Two sweeps at once (a doubled beat) each take different deliveries.
        due = due.select_for_update(skip_locked=True)
    ids = list(due.values_list("pk", flat=True)[:RETRY_BATCH])
    WebhookDelivery.objects.filter(pk__in=ids, status=Status.WAITING).update(status=Status.QUEUED)
    for pk in ids:
        enqueue("webhooks.tasks.deliver", pk)
    return len(ids)


@transaction.atomic
def send_again(delivery: WebhookDelivery, actor: User | None = None) -> None:
    """An administrator sends a failed or interrupted delivery once more (the same message
    id, so the receiver can tell it has it already), after the receiver was mended."""
    now = timezone.now()
    takes = WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.FAILED) | (
        selectors.interrupted(now).filter(pk=delivery.pk)
    )
    if takes.update(status=Status.QUEUED, next_attempt_at=None) != 1:
        raise RefusedChange(
            "Only a delivery that failed, or was interrupted while sending, can be sent again."
        )
    enqueue("webhooks.tasks.deliver", delivery.pk)
    record_event(Kind.WEBHOOK_SENT_AGAIN, actor=actor, target=delivery)
