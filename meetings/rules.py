"""Who may do what with meetings.

The DCO runs the meetings (series, dashboard, chairing); whoever holds a series'
chair role chairs that series' meetings; core members see their meetings and send
their own apologies.
"""

import rules

from roles.rules import has_a_current_role, is_administrator, is_clinical_lead, is_dco
from roles.selectors import areas_of


def _chairs(user, meeting) -> bool:
    from roles.selectors import current_role_codes

    role = meeting.series.chair_role if meeting is not None else None
    return (
        role is not None
        and meeting.series.area_id in areas_of(user)
        and role.code in current_role_codes(user)
    )


@rules.predicate
def meeting_is_in_my_areas(user, meeting) -> bool:
    """The meeting's series belongs to an area the user works in (read with the user: no
    query). The DCO runs the meetings of their own areas only."""
    return meeting is not None and meeting.series.area_id in areas_of(user)


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


# What the meeting's state allows, whoever asks: each is the one rule in meetings.services,
# so that a page offering a button and the service refusing the change never disagree.


@rules.predicate
def may_be_chaired(_user, meeting) -> bool:
    from meetings.services import can_be_chaired

    return meeting is not None and can_be_chaired(meeting)


@rules.predicate
def may_be_rearranged(_user, meeting) -> bool:
    from meetings.services import can_be_rearranged

    return meeting is not None and can_be_rearranged(meeting)


@rules.predicate
def minutes_wait_to_be_published(_user, meeting) -> bool:
    from meetings.services import minutes_may_be_published

    return meeting is not None and minutes_may_be_published(meeting)


@rules.predicate
def takes_apologies_now(_user, meeting) -> bool:
    from meetings.services import takes_apologies

    return meeting is not None and takes_apologies(meeting)


@rules.predicate
def agenda_is_open(user, meeting) -> bool:
    from meetings.services import agenda_is_open_to

    return meeting is not None and agenda_is_open_to(meeting, user)


@rules.predicate
def owns_the_action(user, action) -> bool:
    return action is not None and action.owner_id == user.pk


@rules.predicate
def chairs_the_actions_meeting(user, action) -> bool:
    # The DCO or the series' chair: whoever may chair the meeting that agreed the action.
    return action is not None and user.has_perm("meetings.chair_meeting", action.meeting)


runs_meetings = is_dco
# A meeting's page: the DCO of its area (a DCO named in person on another area's series is
# a member there, no more).
runs_the_meeting = is_dco & meeting_is_in_my_areas
may_chair = runs_the_meeting | chairs_the_meeting
may_edit_agenda = runs_the_meeting | chairs_the_meeting | is_member_of_the_meeting

# Portal permissions use their own verbs ("see", "chair", ...) so that they never collide
# with the admin's model permissions (view_meeting, change_meetingseries, ...).

rules.add_perm("meetings.view_dashboard", is_dco | is_clinical_lead)
rules.add_perm("meetings.manage_series", runs_meetings)
rules.add_perm("meetings.view_meetings", has_a_current_role)
rules.add_perm(
    "meetings.see_meeting",
    runs_the_meeting
    | chairs_the_meeting
    | is_member_of_the_meeting
    | owns_an_action_of_the_meeting,
)
rules.add_perm("meetings.chair_meeting", may_chair)
rules.add_perm("meetings.edit_agenda", may_edit_agenda)
rules.add_perm("meetings.send_apologies", is_member_of_the_meeting)

# What a meeting's page offers its viewer now: who may (above) and what the meeting's state
# allows (the predicates above), the state asked first as it needs no query.
rules.add_perm("meetings.chair_meeting_now", may_be_chaired & may_chair)
rules.add_perm("meetings.rearrange_meeting", may_be_rearranged & may_chair)
rules.add_perm("meetings.publish_minutes", minutes_wait_to_be_published & may_chair)
rules.add_perm("meetings.edit_agenda_now", may_edit_agenda & agenda_is_open)
rules.add_perm("meetings.send_apologies_now", takes_apologies_now & is_member_of_the_meeting)
rules.add_perm("meetings.view_actions", is_dco | is_clinical_lead)
rules.add_perm("meetings.complete_action", owns_the_action | chairs_the_actions_meeting)

# Django admin: series and their schedules for administrators.
rules.add_perm("meetings", is_administrator)
for _model in ("meetingseries", "seriesmember", "meeting", "meetingreminder"):
    rules.add_perm(f"meetings.view_{_model}", is_administrator)
rules.add_perm("meetings.change_meetingseries", is_administrator)
