"""A service's refusal of a change the rules forbid, its message shown to the person.

Every app's services raise :class:`RefusedChange` when asked for a change their rules do
not allow (a closed meeting edited, a plan signed by someone who may not sign it, a
concern that names a child); the view catches it and shows the message on the page, so
the message says why in plain English. Each services module imports it under its own
name (``ehcp.services.RefusedChange``, ``meetings.services.RefusedChange``…): one class,
so a refusal means the same thing wherever it is raised.
"""

from __future__ import annotations


class RefusedChange(Exception):
    """A change the rules do not allow; the message says why, in plain English.

    ``problems`` lists every reason when there are several to put right at once (the
    anonymity check of a concern finds each identifying detail); otherwise it is the
    message alone.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]
