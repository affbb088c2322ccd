"""Who may read the audit log. Nobody may change it: there is no rule for that to name."""

import rules

from roles.rules import is_administrator

rules.add_perm("audit.see_audit_log", is_administrator)
# The Django admin's read-only list of the same rows (audit/admin.py); the rules backend
# answers "may this user see the app in the admin?" with a rule named after the app.
rules.add_perm("audit", is_administrator)
rules.add_perm("audit.view_auditevent", is_administrator)
