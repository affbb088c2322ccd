"""What needs doing, for the home page: a line per task the user's roles give them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from ehcp import selectors


@dataclass(frozen=True)
class ToDo:
    label: str
    count: int
    href: str
    urgent: int = 0
    urgent_label: str = ""


def to_dos(user) -> list[ToDo]:
    items: list[ToDo] = []
    if user.has_perm("ehcp.sign_off_plan"):
        items.append(
            ToDo(
                "Plans waiting for your medical sign-off",
                selectors.plans_waiting_count(),
                reverse("ehcp:sign-off-queue"),
            )
        )
    if user.has_perm("ehcp.agree_provision"):
        items.append(
            ToDo(
                "Plans waiting for the ICB's agreement",
                selectors.plans_awaiting_agreement().count(),
                reverse("ehcp:plans-awaiting-agreement"),
            )
        )
    if user.has_perm("ehcp.edit_any_plan"):
        # Those who write the sections amend what the DMO returns.
        items.append(
            ToDo(
                "Health sections returned for amendment",
                selectors.plans_returned_count(),
                reverse("ehcp:plans-returned"),
            )
        )
    if user.has_perm("ehcp.view_advice_requests"):
        # Only the open requests are read (an index of them by due date), not every request.
        counts = (
            selectors.advice_requests_visible_to(user)
            .filter(submitted_at__isnull=True)
            .aggregate(
                # Counting the due date (never empty), not the id: the index alone answers.
                open=Count("due_on"),
                overdue=Count("due_on", filter=Q(due_on__lt=timezone.localdate())),
            )
        )
        items.append(
            ToDo(
                "Requests for health advice waiting",
                counts["open"],
                reverse("ehcp:advice-list"),
                counts["overdue"],
                "overdue",
            )
        )
    return items
