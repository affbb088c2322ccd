"""Who may see and remove people's second factors in the admin: administrators only.

View and delete only. Adding or changing an authenticator for someone else would let the
administrator hold that person's second factor; removing one (a lost phone) makes the person
set up a new one at their next sign-in. Backup codes are removed with the authenticator and
are not in the admin at all (security/admin.py).
"""

import rules

from roles.rules import is_administrator
from security import selectors
from security.models import Provider

# The rules backend answers "may this user see the app in the admin?" with a rule named
# after the app.
rules.add_perm("otp_totp", is_administrator)
rules.add_perm("otp_totp.view_totpdevice", is_administrator)
rules.add_perm("otp_totp.delete_totpdevice", is_administrator)
# How each organisation's people sign in, and the links of federated sign-ins to accounts:
# administrators set the first and may remove a link (the next sign-in links afresh), never
# make one by hand (a link is made by the person signing in: security/services.py).
rules.add_perm("security", is_administrator)
for _action in ("view", "add", "change", "delete"):
    rules.add_perm(f"security.{_action}_organisationsignin", is_administrator)
rules.add_perm("security.view_federatedidentity", is_administrator)
rules.add_perm("security.delete_federatedidentity", is_administrator)


# --- How a person may sign in -------------------------------------------------------------
# Plain functions rather than permissions: they are asked before anyone is signed in, of
# the account a password or a provider's token names.


def may_use_password(user) -> bool:
    """A person may sign in with the portal's own password only if every organisation they
    work for today lets its people do so: someone of an organisation that signs in with
    CIS2 or Entra ID cannot fall back to a password the organisation does not allow."""
    return all(method == Provider.PORTAL for method, _ in selectors.sign_in_methods_of(user))


def may_sign_in_with(user, provider: str, tenant: str = "") -> bool:
    """A person may sign in through a provider if an organisation they work for today signs
    in with it (for Entra ID, with that very tenant)."""
    return (provider, tenant if provider == Provider.ENTRA else "") in selectors.sign_in_methods_of(
        user
    )
