"""Administrators read the deliveries (which message went to whom, and when) in the admin;
nobody changes them: the rows are written by ``notifications.delivery.send_once`` only."""

import rules

from roles.rules import is_administrator

# The rules backend answers "may this user see the app in the admin?" with a rule named
# after the app.
rules.add_perm("notifications", is_administrator)
rules.add_perm("notifications.view_delivery", is_administrator)
