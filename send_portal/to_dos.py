"""What needs doing, for the home page: a line per task the person's roles give them.

Each app says which counts its to-dos need (``PendingToDo``: a ``Counts`` and how to show
it) and registers the function that lists them for a person (``register``, from its
``AppConfig.ready``), so the home page reads every app's to-dos without importing one.
The home page reads all of them in one statement (``read_to_dos``): a person with many
to-dos costs no more queries than one with a single to-do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from send_portal.counts import read_together


@dataclass(frozen=True)
class ToDo:
    label: str
    count: int
    href: str
    urgent: int = 0
    urgent_label: str = ""

    @property
    def urgent_text(self) -> str:
        """What the red tag beside the to-do says: "3 overdue"."""
        return f"{self.urgent} {self.urgent_label}"


@dataclass(frozen=True)
class PendingToDo:
    """A to-do whose counts are still to be read: ``make`` turns them into the ToDo."""

    counts: Any  # send_portal.counts.Counts
    make: Callable[[Any], ToDo]


#: The apps' to-do lists, in the order the apps registered them (INSTALLED_APPS).
_SOURCES: list[Callable[[Any], list[PendingToDo]]] = []


def register(source: Callable[[Any], list[PendingToDo]]) -> None:
    """Add an app's ``to_dos(user)`` to the home page (once, however often ``ready`` runs)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def read_to_dos(pending: list[PendingToDo]) -> list[ToDo]:
    """The to-dos, their counts read in one statement."""
    answers = read_together(*(item.counts for item in pending))
    return [item.make(answer) for item, answer in zip(pending, answers, strict=True)]


def to_dos_for(user) -> list[ToDo]:
    """Every app's to-dos for ``user``, their counts read in one statement."""
    return read_to_dos([item for source in _SOURCES for item in source(user)])
