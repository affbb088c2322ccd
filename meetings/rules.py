"""Who may do what with meetings.

The DCO runs the meetings (series, dashboard, chairing); whoever holds a series'
chair role chairs that series' meetings; core members see their meetings and send
their own apologies.
"""

import rules

from roles.rules import has_a_current_role, is_administrator, is_clinical_lead, is_dco


def _chairs(user, meeting) -> bool:
    from roles.selectors import current_role_codes

    role = meeting.series.chair_role if meeting is not None else None
    return role is not None and role.code in current_role_codes(user)


@rules.predicate
def chairs_the_meeting(user, meeting) -> bool:
    return meeting is not None and _chairs(user, meeting)


@rules.predicate
def is_member_of_the_meeting(user, meeting) -> bool:
    from meetings.selectors import is_core_member

    return meeting is not None and is_core_member(user, meeting.series)


@rules.predicate
def owns_an_action_of_the_meeting(user, meeting) -> bool:
    # Action reminders link to the meeting that agreed the action.
    return meeting is not None and meeting.actions.filter(owner_id=user.pk).exists()


runs_meetings = is_dco

# Portal permissions use their own verbs ("see", "chair", ...) so that they never collide
# with the admin's model permissions (view_meeting, change_meetingseries, ...).

rules.add_perm("meetings.view_dashboard", is_dco | is_clinical_lead)
rules.add_perm("meetings.manage_series", runs_meetings)
rules.add_perm("meetings.view_meetings", has_a_current_role)
rules.add_perm(
    "meetings.see_meeting",
    runs_meetings | chairs_the_meeting | is_member_of_the_meeting | owns_an_action_of_the_meeting,
)
rules.add_perm("meetings.chair_meeting", runs_meetings | chairs_the_meeting)
rules.add_perm(
    "meetings.edit_agenda", runs_meetings | chairs_the_meeting | is_member_of_the_meeting
)
rules.add_perm("meetings.send_apologies", is_member_of_the_meeting)
rules.add_perm("meetings.view_actions", is_dco | is_clinical_lead)

# Django admin: series and their schedules for administrators.
rules.add_perm("meetings", is_administrator)
for _model in ("meetingseries", "seriesmember", "meeting", "meetingreminder"):
    rules.add_perm(f"meetings.view_{_model}", is_administrator)
rules.add_perm("meetings.change_meetingseries", is_administrator)
