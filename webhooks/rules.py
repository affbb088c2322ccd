"""Administrators look after the case systems' webhook endpoints and follow their deliveries
up; nobody else sees them (the endpoints' secrets are never shown after they are made)."""

import rules

from roles.rules import is_administrator

rules.add_perm("webhooks", is_administrator)
rules.add_perm("webhooks.view_webhookendpoint", is_administrator)
rules.add_perm("webhooks.add_webhookendpoint", is_administrator)
rules.add_perm("webhooks.change_webhookendpoint", is_administrator)
rules.add_perm("webhooks.delete_webhookendpoint", is_administrator)
rules.add_perm("webhooks.rotate_secret", is_administrator)
rules.add_perm("webhooks.view_webhookdelivery", is_administrator)
rules.add_perm("webhooks.view_webhookattempt", is_administrator)
rules.add_perm("webhooks.send_again", is_administrator)
