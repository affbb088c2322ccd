"""What needs doing with the intelligence log, for the home page (read with the other
to-dos, in the same statement)."""

from __future__ import annotations

from django.urls import reverse

from intelligence import selectors
from roles.selectors import areas_of
from send_portal.to_dos import PendingToDo, ToDo


def to_dos(user) -> list[PendingToDo]:
    if not user.has_perm("intelligence.answer_escalations"):
        return []
    href = reverse("intelligence:escalations")
    return [
        PendingToDo(
            selectors.escalations_waiting_counts(areas_of(user)),
            lambda count: ToDo("Escalations waiting for the ICB's answer", count, href),
        )
    ]
