"""Administrators see what was handed to Celery and may send a failed message again."""

import rules

from roles.rules import is_administrator

rules.add_perm("outbox", is_administrator)
rules.add_perm("outbox.view_outboxmessage", is_administrator)
rules.add_perm("outbox.send_again", is_administrator)
