"""Which endpoints hear of a change, and the deliveries the admin follows up."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ehcp.models import CaseChange
from roles.selectors import current_area_ids_query
from webhooks.models import WebhookDelivery, WebhookEndpoint

#: The scope a case system needs for its endpoints to hear of changes: the same as reading
#: the feed, which the webhooks only push.
CHANGES_SCOPE = "changes:read"
#: A delivery still "sending" this long after its attempt began was interrupted (its worker
#: died): longer than any attempt takes (the timeout) or a worker may run a task.
INTERRUPTED_AFTER = datetime.timedelta(minutes=10)


def endpoints_in_reach(change: CaseChange, on: datetime.date | None = None) -> QuerySet:
    """The active endpoints of case systems whose account works, on ``on``, in the change's
    local area: the same reach as the API's (``roles.selectors.areas_of`` of the account,
    read for every endpoint in one query), so never another council's. A revoked case
    system, or one whose account is inactive, has none."""
    on = on or timezone.localdate()
    works_in_the_area = current_area_ids_query(
        on, OuterRef(OuterRef("case_system__account_id"))
    ).filter(pk=change.area_id)
    return (
        WebhookEndpoint.objects.filter(
            is_active=True,
            case_system__revoked_at__isnull=True,
            case_system__account__is_active=True,
        )
        .filter(Exists(works_in_the_area))
        .select_related("case_system")
        .order_by("pk")
    )


def endpoints_to_tell(change: CaseChange) -> list[WebhookEndpoint]:
    """The endpoints in reach (``endpoints_in_reach``) that want this kind of change and
    whose case system may read the feed. One query."""
    return [
        endpoint
        for endpoint in endpoints_in_reach(change)
        if endpoint.wants(change.kind) and CHANGES_SCOPE in endpoint.case_system.scope_list
    ]


def interrupted(now: datetime.datetime | None = None) -> QuerySet[WebhookDelivery]:
    """Deliveries whose worker stopped mid-send: never sent again by the portal on its own
    (the receiver may have had it), shown to administrators, who may send them again."""
    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - INTERRUPTED_AFTER
    )


def is_interrupted(delivery: WebhookDelivery, now: datetime.datetime | None = None) -> bool:
    """The same as ``interrupted``, for one delivery already read (a row of a list)."""
    now = now or timezone.now()
    return (
        delivery.status == WebhookDelivery.Status.SENDING
        and delivery.claimed_at is not None
        and delivery.claimed_at < now - INTERRUPTED_AFTER
    )
