"""What needs doing on Tribunal appeals, for the home page (send_portal/to_dos.py reads it
with every other app's to-dos, in one statement; tribunal/apps.py registers it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from send_portal.to_dos import PendingToDo, ToDo
from tribunal import selectors


def to_dos(user) -> list[PendingToDo]:
    items: list[PendingToDo] = []
    if user.has_perm("tribunal.follow_appeals_waiting_on_health"):
        # The DCO gathers what health owes; the ICB's commissioner answers for it.
        href = reverse("tribunal:appeals") + "?waiting=health"
        items.append(
            PendingToDo(
                selectors.waiting_on_health_counts(user, timezone.localdate()),
                lambda counts: ToDo(
                    "Tribunal appeals waiting on health",
                    counts["count"],
                    href,
                    counts["late"],
                    "past a due date",
                ),
            )
        )
    if user.has_perm("tribunal.approve_response"):
        href = reverse("tribunal:appeals") + "?waiting=health"
        items.append(
            PendingToDo(
                selectors.responses_to_approve_counts(user),
                lambda count: ToDo("Tribunal responses waiting for your approval", count, href),
            )
        )
    return items
