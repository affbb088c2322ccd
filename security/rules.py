"""Who may see and remove people's second factors in the admin: administrators only.

View and delete only. Adding or changing an authenticator for someone else would let the
administrator hold that person's second factor; removing one (a lost phone) makes the person
set up a new one at their next sign-in. Backup codes are removed with the authenticator and
are not in the admin at all (security/admin.py).
"""

import rules

from roles.rules import is_administrator

# The rules backend answers "may this user see the app in the admin?" with a rule named
# after the app.
rules.add_perm("otp_totp", is_administrator)
rules.add_perm("otp_totp.view_totpdevice", is_administrator)
rules.add_perm("otp_totp.delete_totpdevice", is_administrator)
