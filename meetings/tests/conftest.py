"""Meetings for the tests of this folder, made through the services (``factories.py``).

``health_cafe`` and ``cafe_meeting`` start from today. ``cafe``, ``meeting`` and
``other_meeting`` are three weeks ahead, so that "before the meeting" and "before the
agenda locks" hold whatever day the tests run on; time-machine moves the clock where a
test needs another moment. A test module may define its own fixture of the same name.
"""

import pytest

from meetings.models import MeetingKind
from meetings.tests.factories import in_three_weeks, make_series, next_meeting
from roles.models import RoleCode


@pytest.fixture
def health_cafe(dco, dmo, clinical_lead):
    """The bi-monthly Health Café: chaired by the DCO; DCO, DMO and Clinical Lead are members."""
    return make_series()


@pytest.fixture
def cafe_meeting(health_cafe):
    return next_meeting(health_cafe)


@pytest.fixture
def cafe(dco, dmo, clinical_lead):
    """The Health Café from three weeks today: chaired by the DCO; the DCO, DMO and Clinical
    Lead are members; quorum 2."""
    return make_series(starts_on=in_three_weeks())


@pytest.fixture
def meeting(cafe):
    """The first meeting of ``cafe``."""
    return next_meeting(cafe)


@pytest.fixture
def other_meeting(dco, send_officer):
    """A meeting of a series the DMO and the Clinical Lead are not members of."""
    series = make_series(
        name="Intelligence sharing",
        kind=MeetingKind.INTELLIGENCE_SHARING,
        rrule="FREQ=MONTHLY;BYDAY=1WE",
        member_roles=(RoleCode.DCO, RoleCode.SEND_OFFICER),
        quorum_minimum=1,
        starts_on=in_three_weeks(),
    )
    return next_meeting(series)
