"""What a meeting's page offers is asked of meetings/rules.py: who may, and what the
meeting's state allows now, in one permission each."""

import pytest
import time_machine

from meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_the_chair_may_chair_rearrange_and_publish_only_in_the_states_that_allow_it(meeting, dco):
    offers = (
        "meetings.chair_meeting_now",
        "meetings.rearrange_meeting",
        "meetings.publish_minutes",
    )

    def allowed():
        return tuple(dco.has_perm(permission, meeting) for permission in offers)

    assert allowed() == (True, True, False)
    meeting.status = Meeting.Status.IN_PROGRESS
    assert allowed() == (True, False, False)
    meeting.status = Meeting.Status.CLOSED
    assert allowed() == (False, False, True)
    meeting.minutes_published_at = meeting.ends_at
    assert allowed() == (False, False, False)


def test_a_member_sends_apologies_and_adds_to_the_agenda_only_before_time(meeting, dmo):
    assert dmo.has_perm("meetings.send_apologies_now", meeting)
    assert dmo.has_perm("meetings.edit_agenda_now", meeting)
    with time_machine.travel(meeting.starts_at):
        assert not dmo.has_perm("meetings.send_apologies_now", meeting)
        assert not dmo.has_perm("meetings.edit_agenda_now", meeting)


def test_no_one_outside_the_meeting_is_offered_anything(meeting, health_professional_a):
    for permission in (
        "meetings.chair_meeting_now",
        "meetings.rearrange_meeting",
        "meetings.publish_minutes",
        "meetings.edit_agenda_now",
        "meetings.send_apologies_now",
    ):
        assert not health_professional_a.has_perm(permission, meeting), permission


def test_an_action_is_marked_done_by_its_owner_or_whoever_chairs_its_meeting(
    meeting, dco, dmo, clinical_lead
):
    from meetings import services

    meeting.status = Meeting.Status.IN_PROGRESS
    meeting.save()
    action = services.add_action(meeting, "Write to the trust.", dmo, meeting.starts_at.date())

    assert dmo.has_perm("meetings.complete_action", action)  # its owner
    assert dco.has_perm("meetings.complete_action", action)  # chairs the café
    assert not clinical_lead.has_perm("meetings.complete_action", action)  # a member only
