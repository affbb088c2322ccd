"""Who may do what, written once.

Each predicate asks whether the user *currently* holds a role (today, in
Europe/London, inside the assignment's dates). Permissions are named
``<app>.<verb>_<thing>`` and combine predicates. Views, templates and the
navigation ask for a permission by name (``user.has_perm(...)``); nothing else
in the portal tests a role name. Other apps write their own permissions in
their own ``rules.py`` from the predicates here.
"""

import rules

from roles.models import RoleCode
from roles.selectors import areas_of, current_role_codes


def _holds(code: str):
    @rules.predicate(name=f"holds_{code.replace('-', '_')}")
    def predicate(user) -> bool:
        return code in current_role_codes(user)

    return predicate


is_dmo = _holds(RoleCode.DMO)
is_dco = _holds(RoleCode.DCO)
is_clinical_lead = _holds(RoleCode.CLINICAL_LEAD)
is_health_professional = _holds(RoleCode.HEALTH_PROFESSIONAL)
is_send_officer = _holds(RoleCode.SEND_OFFICER)
is_sendiass_officer = _holds(RoleCode.SENDIASS_OFFICER)
is_commissioner = _holds(RoleCode.COMMISSIONER)
is_governance_reader = _holds(RoleCode.GOVERNANCE_READER)
is_parent_carer_forum = _holds(RoleCode.PARENT_CARER_FORUM)
is_administrator = _holds(RoleCode.ADMINISTRATOR)


@rules.predicate
def has_a_current_role(user) -> bool:
    return bool(current_role_codes(user))


@rules.predicate
def record_is_in_my_areas(user, record) -> bool:
    """The record belongs to a local area the user works in today: its own ``area_id``, or
    its child's (``record.child.area_id``) for records that belong through the child. A
    record of no area, or no record, is in nobody's areas."""
    if record is None:
        return False
    area_id = getattr(record, "area_id", None)
    if area_id is None and getattr(record, "child_id", None) is not None:
        area_id = record.child.area_id
    return area_id is not None and area_id in areas_of(user)


#: The three named health roles with a statutory duty.
is_designated_health_role = is_dmo | is_dco | is_clinical_lead
#: People who may read identifiable clinical records, subject to each app's object rules.
is_clinical = is_designated_health_role | is_health_professional

# --- The roles app's own permissions -------------------------------------------------

# Who holds which role is working information for everyone in the partnership.
rules.add_perm("roles.view_role_directory", has_a_current_role)
rules.add_perm("roles.view_person", has_a_current_role)
rules.add_perm("roles.view_role_history", has_a_current_role)
rules.add_perm("roles.use_admin_site", is_administrator)

# --- Django admin model permissions for the roles app's models --------------------
# Roles are fixed by code (permissions are written against them): their wording may
# be edited, but they are not added or removed. People and assignments are never
# deleted, so the history of who held each role stays: deactivate or end instead.
rules.add_perm("roles.view_user", is_administrator)
rules.add_perm("roles.add_user", is_administrator)
rules.add_perm("roles.change_user", is_administrator)
rules.add_perm("roles.view_organisation", is_administrator)
rules.add_perm("roles.add_organisation", is_administrator)
rules.add_perm("roles.change_organisation", is_administrator)
rules.add_perm("roles.delete_organisation", is_administrator)
rules.add_perm("roles.view_role", is_administrator)
rules.add_perm("roles.change_role", is_administrator)
rules.add_perm("roles.view_roleassignment", is_administrator)
rules.add_perm("roles.add_roleassignment", is_administrator)
rules.add_perm("roles.change_roleassignment", is_administrator)
# Areas and ICBs are ended by unticking "active" (LocalArea), never deleted: children belong
# to them (PROTECT).
rules.add_perm("roles.view_integratedcareboard", is_administrator)
rules.add_perm("roles.add_integratedcareboard", is_administrator)
rules.add_perm("roles.change_integratedcareboard", is_administrator)
rules.add_perm("roles.view_localarea", is_administrator)
rules.add_perm("roles.add_localarea", is_administrator)
rules.add_perm("roles.change_localarea", is_administrator)
# The rules backend answers "may this user see the app in the admin?" with a rule
# named after the app.
rules.add_perm("roles", is_administrator)


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


# Everyone may see their own page, even with no current role (to see why).
rules.set_perm("roles.view_person", has_a_current_role | is_self)
