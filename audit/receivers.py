"""Events recorded from model signals: changes to who holds which role.

A role assignment grants access to children's records, so every assignment made or
changed is an audit event, whichever admin page saved it. The person who made the
change is the signed-in user of the request being served (``current_request``).
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from audit.models import AuditEvent
from audit.services import record_event
from roles.models import RoleAssignment

_COMPARED = ("role__code", "organisation_id", "user_id", "starts_on", "ends_on")


def _describe(values: dict) -> str:
    ends = values["ends_on"].isoformat() if values["ends_on"] else "no end date"
    return (
        f"role {values['role__code']} at organisation {values['organisation_id']} "
        f"for person {values['user_id']}, {values['starts_on'].isoformat()} to {ends}"
    )


def _values_of(assignment: RoleAssignment) -> dict:
    return {
        "role__code": assignment.role.code,
        "organisation_id": assignment.organisation_id,
        "user_id": assignment.user_id,
        "starts_on": assignment.starts_on,
        "ends_on": assignment.ends_on,
    }


@receiver(pre_save, sender=RoleAssignment, dispatch_uid="audit_role_assignment_before")
def remember_assignment_before_change(sender, instance, raw=False, **kwargs):
    instance._audit_before = None
    if raw or instance.pk is None:
        return
    instance._audit_before = (
        RoleAssignment.objects.filter(pk=instance.pk).values(*_COMPARED).first()
    )


@receiver(post_save, sender=RoleAssignment, dispatch_uid="audit_role_assignment_saved")
def record_role_change(sender, instance, created, raw=False, **kwargs):
    if raw:  # loading a fixture is not anybody changing a role
        return
    after = _values_of(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        summary = f"Assigned: {_describe(after)}"
    elif before == after:
        return  # saved without a change to the role, organisation, person or dates
    else:
        summary = f"Changed: {_describe(after)} (was {_describe(before)})"
    record_event(AuditEvent.Kind.ROLE_CHANGED, target=instance, summary=summary)
