"""Reads of the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from audit.models import AuditEvent


def events_for_log() -> QuerySet[AuditEvent]:
    """Every event, newest first, with who did it, in one query whatever the page size."""
    return AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-pk")


def child_record_views(child=None) -> QuerySet[AuditEvent]:
    """Views of children's records, newest first; of one child's record when ``child`` is given."""
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHILD_RECORD_VIEWED)
    if child is not None:
        events = events.filter(target_type=child._meta.label_lower, target_id=str(child.pk))
    return events.order_by("-occurred_at", "-pk")
