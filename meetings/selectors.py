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
        .prefetch_related("required_roles")
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
        if item.next_meeting is not None:
            item.next_meeting.series = item  # already loaded, with its required roles
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


def attendance_forecast(meetings: list[Meeting]) -> dict[int, list[Attendance]]:
    """For each upcoming meeting, who is expected: its attendance rows, plus an unsaved
    row for every current core member without one, carrying the roles they hold today.

    Three queries for any number of meetings of any size (members, their roles, the rows).
    """
    today = timezone.localdate()
    series_ids = {m.series_id for m in meetings}
    members = list(SeriesMember.objects.filter(series_id__in=series_ids).select_related("role"))
    chair_roles = {m.series_id: m.series.chair_role_id for m in meetings}
    roles_by_series: dict[int, set[int]] = {}
    users_by_series: dict[int, set[int]] = {}
    for member in members:
        if member.role_id:
            roles_by_series.setdefault(member.series_id, set()).add(member.role_id)
        else:
            users_by_series.setdefault(member.series_id, set()).add(member.user_id)
    for series_id, role_id in chair_roles.items():
        if role_id:
            roles_by_series.setdefault(series_id, set()).add(role_id)
    all_role_ids = set().union(*roles_by_series.values()) if roles_by_series else set()
    all_user_ids = set().union(*users_by_series.values()) if users_by_series else set()
    assignments = list(
        RoleAssignment.objects.current(today)
        .filter(user__is_active=True)
        .filter(Q(role_id__in=all_role_ids) | Q(user_id__in=all_user_ids))
        .select_related("user", "role")
    )
    codes_by_user: dict[int, set[str]] = {}
    users: dict[int, User] = {}
    holders_by_role: dict[int, set[int]] = {}
    for assignment in assignments:
        codes_by_user.setdefault(assignment.user_id, set()).add(assignment.role.code)
        users[assignment.user_id] = assignment.user
        holders_by_role.setdefault(assignment.role_id, set()).add(assignment.user_id)
    rows_by_meeting: dict[int, list[Attendance]] = {m.pk: [] for m in meetings}
    for row in Attendance.objects.filter(meeting__in=meetings).select_related("user"):
        rows_by_meeting[row.meeting_id].append(row)
    forecast: dict[int, list[Attendance]] = {}
    for meeting in meetings:
        rows = rows_by_meeting[meeting.pk]
        recorded = {row.user_id for row in rows if row.user_id}
        core = set(users_by_series.get(meeting.series_id, set()))
        for role_id in roles_by_series.get(meeting.series_id, set()):
            core |= holders_by_role.get(role_id, set())
        expected = [
            Attendance(
                meeting=meeting,
                user=users[user_id],
                is_core_member=True,
                role_codes=sorted(codes_by_user.get(user_id, ())),
            )
            for user_id in sorted(core - recorded)
            if user_id in users
        ]
        forecast[meeting.pk] = rows + expected
    return forecast


#: The roles whose presence counts as "health attended" in the reports.
HEALTH_ROLE_CODES = frozenset({"dmo", "dco", "clinical-lead", "health-professional"})


def health_attendance(meetings_qs: QuerySet[Meeting]) -> dict[int, bool]:
    """For each meeting of ``meetings_qs`` (by id): was someone present who held the DMO,
    DCO, Clinical Lead or health professional role on the day (the roles kept on the
    attendance row)? For the reports on who attended the SEND Panel for health.

    One query however many meetings: each meeting joined to its present attendance rows.
    """
    from django.db.models import FilteredRelation

    rows = (
        Meeting.objects.filter(pk__in=meetings_qs.values("pk"))
        .annotate(
            present=FilteredRelation(
                "attendance", condition=Q(attendance__status=Attendance.Status.PRESENT)
            )
        )
        .values_list("pk", "present__role_codes")
        .order_by()
    )
    result: dict[int, bool] = {}
    for meeting_id, codes in rows:
        result[meeting_id] = result.get(meeting_id, False) or bool(
            HEALTH_ROLE_CODES.intersection(codes or ())
        )
    return result


def actions_for_export(include_closed: bool = False) -> QuerySet[Action]:
    """Open actions (overdue first), or every action with ``include_closed``, each with its
    meeting, series, item and owner: the actions CSV. One query."""
    actions = open_actions() if not include_closed else Action.objects.all()
    return actions.select_related("owner", "meeting__series", "agenda_item").order_by(
        "due_on", "pk"
    )


def own_attendance(user: User, meeting_ids) -> dict[int, Attendance]:
    """``user``'s attendance row in each of ``meeting_ids`` that has one (by meeting id):
    whether they have sent apologies. One query."""
    return {
        row.meeting_id: row
        for row in Attendance.objects.filter(meeting_id__in=list(meeting_ids), user=user)
    }
