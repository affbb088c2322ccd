"""What needs doing with plans and advice, for the home page (send_portal/to_dos.py reads
it with every other app's to-dos, in one statement; ehcp/apps.py registers it)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from ehcp import selectors
from send_portal.counts import Counts
from send_portal.to_dos import PendingToDo, ToDo


def _simple(label: str, counts: Counts, href: str) -> PendingToDo:
    return PendingToDo(counts, lambda count: ToDo(label, count, href))


def to_dos(user) -> list[PendingToDo]:
    items: list[PendingToDo] = []
    if user.has_perm("ehcp.sign_off_plan"):
        items.append(
            _simple(
                "Plans waiting for your medical sign-off",
                selectors.plans_waiting_counts(user),
                reverse("ehcp:sign-off-queue"),
            )
        )
    if user.has_perm("ehcp.agree_provision"):
        items.append(
            _simple(
                "Plans waiting for the ICB's agreement",
                selectors.plans_awaiting_agreement_counts(user),
                reverse("ehcp:plans-awaiting-agreement"),
            )
        )
    if user.has_perm("ehcp.edit_any_plan"):
        # Those who write the sections amend what the DMO returns.
        items.append(
            _simple(
                "Health sections returned for amendment",
                selectors.plans_returned_counts(user),
                reverse("ehcp:plans-returned"),
            )
        )
    if user.has_perm("ehcp.view_advice_requests"):
        href = reverse("ehcp:advice-list")
        items.append(
            PendingToDo(
                selectors.open_advice_counts(user, timezone.localdate()),
                lambda counts: ToDo(
                    "Requests for health advice waiting",
                    counts["open"],
                    href,
                    counts["overdue"],
                    "overdue",
                ),
            )
        )
    return items
