"""Meeting series and meetings for tests, made through the services (as the portal makes them)."""

import datetime

from django.utils import timezone

from meetings import services
from meetings.models import MeetingKind, MeetingSeries, SeriesMember
from roles.models import Role, RoleCode
from tests.factories import the_test_area


def make_series(
    *,
    name="SEND Health Café",
    kind=MeetingKind.HEALTH_CAFE,
    chair=RoleCode.DCO,
    rrule="FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU",
    starts_on=None,
    start_time=datetime.time(10, 0),
    member_roles=(RoleCode.DCO, RoleCode.DMO, RoleCode.CLINICAL_LEAD),
    member_users=(),
    quorum_minimum=2,
    required_roles=(),
    materialise=True,
    area=None,
    **extra,
) -> MeetingSeries:
    series = MeetingSeries.objects.create(
        area=area or the_test_area(),
        name=name,
        kind=kind,
        chair_role=Role.objects.get(code=chair) if chair else None,
        rrule=rrule,
        starts_on=starts_on or timezone.localdate(),
        start_time=start_time,
        quorum_minimum=quorum_minimum,
        place="Jarrow Focus, Cambrian Street, Jarrow",
        **extra,
    )
    for code in member_roles:
        SeriesMember.objects.create(series=series, role=Role.objects.get(code=code))
    for user in member_users:
        SeriesMember.objects.create(series=series, user=user)
    if required_roles:
        series.required_roles.set(Role.objects.filter(code__in=required_roles))
    if materialise:
        services.materialise(series)
    return series


def in_three_weeks() -> datetime.date:
    """The day three weeks from today: far enough ahead that "before the meeting" and
    "before the agenda locks" hold whatever day the tests run on."""
    return timezone.localdate() + datetime.timedelta(days=21)


def next_meeting(series):
    return series.meetings.filter(starts_at__gte=timezone.now()).order_by("starts_at").first()


def refusal_for(user, series) -> int:
    """How a page of ``series`` refuses ``user``, who may not do what they ask there: 403
    when they work in the series' area, 404 from outside it, as if it did not exist
    (meetings.selectors.meetings_reachable_by)."""
    from roles.selectors import areas_of

    return 403 if series.area_id in areas_of(user) else 404
