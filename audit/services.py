"""Writing to the audit log: the only way rows get there."""

from __future__ import annotations

import logging

from django.db import models
from simple_history.models import HistoricalRecords

from audit.models import AuditEvent
from send_portal.request_id import current_request_id

logger = logging.getLogger("portal.audit")

Kind = AuditEvent.Kind


def client_address(request) -> str | None:
    """The client's address as the lockout sees it (django-axes asks
    ``security.lockout.client_address``): behind TRUSTED_PROXY_COUNT proxies, so a forged
    X-Forwarded-For is not believed."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def current_request():
    """The request being served on this thread, if any.

    django-simple-history's HistoryRequestMiddleware (in MIDDLEWARE) keeps it for the
    length of the request; outside a request (a Celery task, a management command)
    there is none.
    """
    return getattr(HistoricalRecords.context, "request", None)


def record_event(
    kind: str,
    *,
    request=None,
    actor=None,
    target: models.Model | None = None,
    summary: str = "",
    identifier: str = "",
) -> AuditEvent:
    """Add one event to the audit log.

    ``actor`` defaults to the request's signed-in user. ``target`` is the object the
    event is about (a child, a plan version, a role assignment); only its type and id
    are kept. ``summary`` must not hold personal or clinical text. Without ``request``
    the request being served, if any, supplies the actor and where it came from, so a
    service or signal receiver deep below a view still records them.
    """
    if request is None:
        request = current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    match = getattr(request, "resolver_match", None) if request is not None else None
    event = AuditEvent.objects.create(
        kind=kind,
        actor=actor,
        identifier=identifier[:254],
        client_address=client_address(request),
        request_id=current_request_id(),
        url_name=(match.view_name if match else "")[:120],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:255],
    )
    logger.info(
        "audit %s actor=%s target=%s:%s",
        kind,
        actor.pk if actor is not None else "-",
        event.target_type or "-",
        event.target_id or "-",
    )
    return event
