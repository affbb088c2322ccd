"""What needs doing, for the home page: a line per task the user's roles give them.

Each app says which counts its to-dos need (``PendingToDo``: a ``Counts`` and how to show
it); the home page reads all of them in one statement (``read_to_dos``), so a person with
many to-dos costs no more queries than one with a single to-do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

from ehcp import selectors
from send_portal.counts import Counts, read_together


@dataclass(frozen=True)
class ToDo:
    label: str
    count: int
    href: str
    urgent: int = 0
    urgent_label: str = ""


@dataclass(frozen=True)
class PendingToDo:
    """A to-do whose counts are still to be read: ``make`` turns them into the ToDo."""

    counts: Counts
    make: Callable[[Any], ToDo]


def read_to_dos(pending: list[PendingToDo]) -> list[ToDo]:
    """The to-dos, their counts read in one statement."""
    answers = read_together(*(item.counts for item in pending))
    return [item.make(answer) for item, answer in zip(pending, answers, strict=True)]


def _simple(label: str, counts: Counts, href: str) -> PendingToDo:
    return PendingToDo(counts, lambda count: ToDo(label, count, href))


def to_dos(user) -> list[PendingToDo]:
    items: list[PendingToDo] = []
    if user.has_perm("ehcp.sign_off_plan"):
        items.append(
            _simple(
                "Plans waiting for your medical sign-off",
                selectors.plans_waiting_counts(),
                reverse("ehcp:sign-off-queue"),
            )
        )
    if user.has_perm("ehcp.agree_provision"):
        items.append(
            _simple(
                "Plans waiting for the ICB's agreement",
                selectors.plans_awaiting_agreement_counts(),
                reverse("ehcp:plans-awaiting-agreement"),
            )
        )
    if user.has_perm("ehcp.edit_any_plan"):
        # Those who write the sections amend what the DMO returns.
        items.append(
            _simple(
                "Health sections returned for amendment",
                selectors.plans_returned_counts(),
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
