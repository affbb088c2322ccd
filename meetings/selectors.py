"""Read queries about meetings: members, the dashboard, actions, a person's meetings."""

from __future__ import annotations

import datetime

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from meetings.models import Action, AgendaItem, Attendance, Meeting, MeetingSeries, SeriesMember
from roles.models import RoleAssignment, User
from roles.selectors import current_role_codes


def core_members(series: MeetingSeries, on: datetime.date | None = None) -> list[User]:
    """The named members and the current holders of the member roles (and the chair role)."""
    on = on or timezone.localdate()
    role_ids = list(
        SeriesMember.objects.filter(series=series, role__isnull=False).values_list(
            "role_id", flat=True
        )
    )
    if series.chair_role_id:
        role_ids.append(series.chair_role_id)
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(seriesmember__series=series)
            | Q(
                role_assignments__in=RoleAssignment.objects.current(on).filter(role_id__in=role_ids)
            )
        )
        .distinct()
        .order_by("full_name")
    )


def is_core_member(user: User, series: MeetingSeries) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    codes = current_role_codes(user)
    if series.chair_role_id and series.chair_role.code in codes:
        return True
    members = SeriesMember.objects.filter(series=series)
    return members.filter(Q(user=user) | Q(role__code__in=codes)).exists()


def series_with_next_meeting(now: datetime.datetime | None = None) -> list[MeetingSeries]:
    """Active series, each with ``next_meeting`` (its agenda and attendance prefetched).

    A fixed number of queries however many series, meetings and items there are.
    """
    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        series=OuterRef("pk"), status=Meeting.Status.SCHEDULED, ends_at__gte=now
    ).order_by("starts_at")
    series = list(
        MeetingSeries.objects.filter(is_active=True)
        .select_related("chair_role")
        .annotate(next_meeting_id=Subquery(upcoming.values("pk")[:1]))
        .order_by("name")
    )
    meetings = {
        m.pk: m
        for m in Meeting.objects.filter(
            pk__in=[s.next_meeting_id for s in series if s.next_meeting_id]
        )
        .annotate(
            apologies=Count("attendance", filter=Q(attendance__status=Attendance.Status.APOLOGIES))
        )
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user")),
        )
    }
    for item in series:
        item.next_meeting = meetings.get(item.next_meeting_id)
    return series


def open_actions() -> QuerySet[Action]:
    """Every open action across meetings, overdue ones (the earliest due) first."""
    return (
        Action.objects.filter(status=Action.Status.OPEN)
        .select_related("owner", "meeting__series", "agenda_item")
        .order_by("due_on", "pk")
    )


def meetings_awaiting_minutes() -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(status=Meeting.Status.CLOSED, minutes_published_at__isnull=True)
        .select_related("series")
        .order_by("closed_at")
    )


def upcoming_meetings_for(user: User, now: datetime.datetime | None = None) -> list[Meeting]:
    """The meetings of every series ``user`` is a core member of, from now on."""
    now = now or timezone.now()
    codes = current_role_codes(user)
    series_ids = set(
        SeriesMember.objects.filter(Q(user=user) | Q(role__code__in=codes)).values_list(
            "series_id", flat=True
        )
    ) | set(MeetingSeries.objects.filter(chair_role__code__in=codes).values_list("pk", flat=True))
    return list(
        Meeting.objects.filter(series_id__in=series_ids, ends_at__gte=now)
        .select_related("series")
        .order_by("starts_at")
    )


def meeting_for_page(pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("series__chair_role", "minutes_approved_at__series")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.select_related("assessment__child").order_by(
                    "position", "pk"
                ),
            ),
            Prefetch("attendance", queryset=Attendance.objects.select_related("user")),
            Prefetch("actions", queryset=Action.objects.select_related("owner", "agenda_item")),
            "papers",
        )
        .get(pk=pk)
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same series that was held before this one."""
    return (
        Meeting.objects.filter(
            series_id=meeting.series_id,
            starts_at__lt=meeting.starts_at,
            status=Meeting.Status.CLOSED,
        )
        .order_by("-starts_at")
        .first()
    )
