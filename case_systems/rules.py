"""Who may administer case systems: the administrator, in the admin (register, change the
scopes and rate limit, rotate the secret, revoke). Nobody deletes one: the audit log's
API calls point at it."""

import rules

from roles.rules import is_administrator

rules.add_perm("case_systems", is_administrator)
rules.add_perm("case_systems.view_casesystem", is_administrator)
rules.add_perm("case_systems.add_casesystem", is_administrator)
rules.add_perm("case_systems.change_casesystem", is_administrator)
