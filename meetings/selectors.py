"""Read queries about meetings: members, the dashboard, actions, a person's meetings."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingSeries,
    ReminderKind,
    SeriesMember,
)
from notifications.selectors import failed_or_interrupted
from roles.models import RoleAssignment, User
from roles.selectors import areas_of, current_role_codes
from send_portal.counts import Counts

# --- Local areas: whose meetings these are -------------------------------------------------
#
# A series belongs to one local area; its meetings, agendas, attendance, actions and papers
# belong to it through the series. The DCO, the chair's role and the members named by role
# see the series of the areas they work in; a person named in person as a member sees that
# series wherever it is; an action's owner sees the meeting that agreed it. Another area's
# series answer 404 (the views read through the querysets below), as if they did not exist.
#
# ``areas``: the ids of the areas a list is for (``roles.selectors.areas_of(user)``, read
# with the user, so no query), or None for every area (the reminder tasks only).


def _in_areas(rows: QuerySet, areas: Iterable[int] | None, path: str) -> QuerySet:
    return rows if areas is None else rows.filter(**{f"{path}__in": list(areas)})


def _named_in(user: User) -> QuerySet[SeriesMember]:
    return SeriesMember.objects.filter(user_id=user.pk).values("series_id")


def series_reachable_by(user: User) -> QuerySet[MeetingSeries]:
    """The series ``user`` may reach at all: those of their areas and those they are named
    in. Whether they may do a given thing with one is for meetings/rules.py."""
    return MeetingSeries.objects.filter(Q(area_id__in=areas_of(user)) | Q(pk__in=_named_in(user)))


def meetings_reachable_by(user: User) -> QuerySet[Meeting]:
    """The meetings ``user`` may reach at all: of a series they reach, or one that agreed
    an action they own (its reminders link to it)."""
    return Meeting.objects.filter(
        Q(series__area_id__in=areas_of(user))
        | Q(series_id__in=_named_in(user))
        | Q(pk__in=Action.objects.filter(owner_id=user.pk).values("meeting_id"))
    )


def with_covered_area(assignments: QuerySet[RoleAssignment]) -> QuerySet[RoleAssignment]:
    """``assignments``, one row for each area each one covers (named, or an active area of
    the ICB it covers whole), as ``covered_area_id``; None for one that covers no area. In
    the same query: a role held in area A makes its holder a member of area A's series
    only."""
    return assignments.annotate(
        named_area_id=F("areas"),
        icb_area_id=F("every_area_of_icb__areas"),
        icb_area_is_active=F("every_area_of_icb__areas__is_active"),
    )


def covered_area(assignment: RoleAssignment) -> int | None:
    if assignment.named_area_id is not None:
        return assignment.named_area_id
    return assignment.icb_area_id if assignment.icb_area_is_active else None


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
    held_here = RoleAssignment.objects.current(on).filter(role_id__in=role_ids)
    held_here = held_here.filter(
        Q(areas=series.area_id)
        | Q(every_area_of_icb__areas=series.area_id, every_area_of_icb__areas__is_active=True)
    )
    return list(
        User.objects.people()
        .filter(Q(seriesmember__series=series) | Q(role_assignments__in=held_here.values("pk")))
        .distinct()
        .order_by("full_name")
    )


def is_core_member(user: User, series: MeetingSeries) -> bool:
    """Named in person, or holding the chair's or a member role while working in the
    series' area (roles and areas read with the user: the roles held in the area are not
    told apart from those held elsewhere, for no query here)."""
    if not getattr(user, "is_authenticated", False):
        return False
    codes = current_role_codes(user) if series.area_id in areas_of(user) else frozenset()
    if series.chair_role_id and series.chair_role.code in codes:
        return True
    members = SeriesMember.objects.filter(series=series)
    return members.filter(Q(user=user) | Q(role__code__in=codes)).exists()


def series_with_next_meeting(
    areas: Iterable[int] | None,
    now: datetime.datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[MeetingSeries]:
    """Active series of ``areas``, the soonest next meeting first (series with none last,
    then by name), each with ``next_meeting`` (its agenda and attendance prefetched) and
    ``series_count`` (how many active series there are in all). ``offset``/``limit``: one
    page of them.

    A fixed number of queries however many series, meetings and items there are; with a
    limit, the work of a page does not grow with the number of series either.
    """
    from django.db.models import F, Window

    now = now or timezone.now()
    upcoming = Meeting.objects.filter(
        series=OuterRef("pk"), status=Meeting.Status.SCHEDULED, ends_at__gte=now
    ).order_by("starts_at")
    series = (
        _in_areas(MeetingSeries.objects.filter(is_active=True), areas, "area_id")
        .select_related("chair_role", "area")
        .prefetch_related("required_roles")
        .annotate(
            next_meeting_id=Subquery(upcoming.values("pk")[:1]),
            next_meeting_at=Subquery(upcoming.values("starts_at")[:1]),
            series_count=Window(Count("pk")),
        )
        .order_by(F("next_meeting_at").asc(nulls_last=True), "name", "pk")
    )
    if limit is not None:
        series = series[offset : offset + limit]
    series = list(series)
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


def open_actions(areas: Iterable[int] | None) -> QuerySet[Action]:
    """Every open action across the meetings of ``areas``, overdue ones (the earliest due)
    first."""
    return (
        _in_areas(
            Action.objects.filter(status=Action.Status.OPEN), areas, "meeting__series__area_id"
        )
        .select_related("owner", "meeting__series__area", "agenda_item")
        .order_by("due_on", "pk")
    )


def actions_log(status: str, areas: Iterable[int] | None) -> QuerySet[Action]:
    """The action log of ``areas``: actions of ``status`` (every action for any other
    word), the earliest due first."""
    actions = _in_areas(Action.objects.all(), areas, "meeting__series__area_id")
    actions = actions.select_related("owner", "meeting__series__area", "agenda_item")
    if status in Action.Status.values:
        actions = actions.filter(status=status)
    return actions.order_by("due_on", "pk")


def series_for_list(areas: Iterable[int] | None) -> QuerySet[MeetingSeries]:
    """Every series of ``areas``, running ones first, then ended ones, each by name."""
    return (
        _in_areas(MeetingSeries.objects.all(), areas, "area_id")
        .select_related("chair_role", "area")
        .order_by("-is_active", "name", "pk")
    )


def series_schedule(series: MeetingSeries, now: datetime.datetime | None = None) -> dict:
    """A series' page: its members, required roles, meetings to come (the soonest first)
    and the last dozen past (the latest first), as querysets the page reads once each."""
    now = now or timezone.now()
    meetings = series.meetings.order_by("starts_at")
    return {
        "members": series.members.select_related("user", "role"),
        "required_roles": series.required_roles.all(),
        "upcoming": meetings.filter(ends_at__gte=now),
        "past": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:12],
    }


def meetings_awaiting_minutes(areas: Iterable[int] | None) -> QuerySet[Meeting]:
    waiting = Meeting.objects.filter(
        status=Meeting.Status.CLOSED, minutes_published_at__isnull=True
    )
    return (
        _in_areas(waiting, areas, "series__area_id")
        .select_related("series__area")
        .order_by("closed_at")
    )


def _how_many(rows: QuerySet) -> QuerySet:
    """``rows`` counted, as a subquery each row of a short list can carry: the database
    runs it once, where a window count would run over every joined row first."""
    return rows.order_by().values("status").annotate(n=Count("pk")).values("n")


def first_open_actions(limit: int, areas: Iterable[int] | None) -> tuple[list[Action], int]:
    """The ``limit`` open actions of ``areas`` due soonest, and how many are open in all:
    one query."""
    open_count = _how_many(open_actions(areas))
    actions = list(open_actions(areas).annotate(open_count=Subquery(open_count))[:limit])
    return actions, actions[0].open_count if actions else 0


def longest_awaiting_minutes(limit: int, areas: Iterable[int] | None) -> tuple[list[Meeting], int]:
    """The ``limit`` closed meetings whose minutes have waited longest to be published, and
    how many wait in all: one query (a region's DCO had 151; drawing them all was most of
    the dashboard's time)."""
    waiting = _how_many(meetings_awaiting_minutes(areas))
    meetings = list(meetings_awaiting_minutes(areas).annotate(waiting=Subquery(waiting))[:limit])
    return meetings, meetings[0].waiting if meetings else 0


def upcoming_meetings_for(user: User, now: datetime.datetime | None = None) -> list[Meeting]:
    """The meetings of every series ``user`` is a core member of, from now on."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(series__in=member_series(user).values("pk"), ends_at__gte=now)
        .select_related("series__area")
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

    A fixed number of queries for any number of meetings of any size (members, their
    roles, members named in person without a role, the rows).
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
        with_covered_area(
            RoleAssignment.objects.current(today)
            .of_people()
            .filter(Q(role_id__in=all_role_ids) | Q(user_id__in=all_user_ids))
            .select_related("user", "role")
        )
    )
    codes_by_user: dict[int, set[str]] = {}
    users: dict[int, User] = {}
    # (role, area) -> the people holding the role there: a member role counts in the
    # series' own area only.
    holders_by_role: dict[tuple[int, int | None], set[int]] = {}
    for assignment in assignments:
        codes_by_user.setdefault(assignment.user_id, set()).add(assignment.role.code)
        users[assignment.user_id] = assignment.user
        key = (assignment.role_id, covered_area(assignment))
        holders_by_role.setdefault(key, set()).add(assignment.user_id)
    # Members named in person who hold no role today are still members.
    unnamed = all_user_ids - set(users)
    if unnamed:
        users.update({u.pk: u for u in User.objects.filter(pk__in=unnamed, is_active=True)})
    rows_by_meeting: dict[int, list[Attendance]] = {m.pk: [] for m in meetings}
    # Meetings from series_with_next_meeting carry their rows already: no second query.
    prefetched = [getattr(m, "_prefetched_objects_cache", {}).get("attendance") for m in meetings]
    if meetings and all(rows is not None for rows in prefetched):
        for meeting, rows in zip(meetings, prefetched, strict=True):
            rows_by_meeting[meeting.pk] = list(rows)
    else:
        for row in Attendance.objects.filter(meeting__in=meetings).select_related("user"):
            rows_by_meeting[row.meeting_id].append(row)
    forecast: dict[int, list[Attendance]] = {}
    for meeting in meetings:
        rows = rows_by_meeting[meeting.pk]
        recorded = {row.user_id for row in rows if row.user_id}
        core = set(users_by_series.get(meeting.series_id, set()))
        for role_id in roles_by_series.get(meeting.series_id, set()):
            core |= holders_by_role.get((role_id, meeting.series.area_id), set())
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


def actions_for_export(
    areas: Iterable[int] | None, include_closed: bool = False
) -> QuerySet[Action]:
    """Open actions of ``areas`` (overdue first), or every action with ``include_closed``,
    each with its meeting, series, item and owner: the actions CSV. One query."""
    actions = open_actions(areas) if not include_closed else actions_log("", areas)
    return actions.select_related("owner", "meeting__series__area", "agenda_item").order_by(
        "due_on", "pk"
    )


def own_attendance(user: User, meeting_ids) -> dict[int, Attendance]:
    """``user``'s attendance row in each of ``meeting_ids`` that has one (by meeting id):
    whether they have sent apologies. One query."""
    return {
        row.meeting_id: row
        for row in Attendance.objects.filter(meeting_id__in=list(meeting_ids), user=user)
    }


# --- Reminders and calendars (meetings/tasks.py, meetings/calendar.py) -----------------------


def people_of_series(
    series_list, on: datetime.date | None = None
) -> dict[int, tuple[list[User], list[User]]]:
    """For each series (by id): (its core members, as ``core_members`` finds them; who chairs
    it: the holders of its chair role, or the DCO for a series without one, as the DCO runs
    every meeting, meetings/rules.py). Two queries however many series."""
    from roles.models import RoleCode

    on = on or timezone.localdate()
    series_list = list(series_list)
    named: dict[int, dict[int, User]] = {s.pk: {} for s in series_list}
    member_roles: dict[int, set[int]] = {s.pk: set() for s in series_list}
    for member in (
        SeriesMember.objects.filter(series_id__in=list(named))
        .filter(Q(user__isnull=True) | Q(user__is_active=True))
        .select_related("user")
    ):
        if member.user_id:
            named[member.series_id][member.user_id] = member.user
        else:
            member_roles[member.series_id].add(member.role_id)
    role_ids = set().union(*member_roles.values()) | {
        s.chair_role_id for s in series_list if s.chair_role_id
    }
    wanted = Q(role_id__in=role_ids)
    if any(s.chair_role_id is None for s in series_list):
        wanted |= Q(role__code=RoleCode.DCO)
    # (role, area) -> its holders there: reminders go to the members of the series' area only.
    holders: dict[tuple[int, int | None], dict[int, User]] = {}
    dco_holders: dict[int | None, dict[int, User]] = {}
    for assignment in with_covered_area(
        RoleAssignment.objects.current(on)
        .of_people()
        .filter(wanted)
        .select_related("user", "role")
        .order_by("pk")
    ):
        area_id = covered_area(assignment)
        holders.setdefault((assignment.role_id, area_id), {})[assignment.user_id] = assignment.user
        if assignment.role.code == RoleCode.DCO:
            dco_holders.setdefault(area_id, {})[assignment.user_id] = assignment.user
    people = {}
    for series in series_list:
        area_id = series.area_id
        chairs = (
            holders.get((series.chair_role_id, area_id), {})
            if series.chair_role_id
            else dco_holders.get(area_id, {})
        )
        members = dict(named[series.pk])
        for role_id in member_roles[series.pk] | ({series.chair_role_id} - {None}):
            members.update(holders.get((role_id, area_id), {}))
        people[series.pk] = (
            sorted(members.values(), key=lambda user: (user.full_name, user.pk)),
            sorted(chairs.values(), key=lambda user: (user.full_name, user.pk)),
        )
    return people


def longest_reminder_notice() -> datetime.timedelta:
    """How far ahead of a meeting the earliest reminder of any active series goes (the
    longest of its reminder days and its agenda lock). One query."""
    longest = datetime.timedelta(0)
    for days, lock_hours in MeetingSeries.objects.filter(is_active=True).values_list(
        "reminder_days", "agenda_lock_hours"
    ):
        numbers = [d for d in (days or []) if isinstance(d, int) and not isinstance(d, bool)]
        longest = max(
            longest,
            datetime.timedelta(days=max(numbers, default=0)),
            datetime.timedelta(hours=lock_hours),
        )
    return longest


def meetings_for_reminders(now: datetime.datetime, ahead: datetime.timedelta) -> list[Meeting]:
    """The meetings the reminder task looks at, each with its agenda and ``apologies`` (the
    attendance rows of members who sent them): scheduled meetings of active series starting
    within ``ahead``, moved ones still to come, and cancelled ones still to come. Three
    queries however many meetings."""
    return list(
        Meeting.objects.filter(starts_at__gt=now)
        .filter(
            Q(status=Meeting.Status.SCHEDULED, series__is_active=True, starts_at__lte=now + ahead)
            | Q(status=Meeting.Status.SCHEDULED, series__is_active=True, moved=True)
            | Q(status=Meeting.Status.CANCELLED)
        )
        .select_related("series__chair_role")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk")),
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(
                    status=Attendance.Status.APOLOGIES, user__isnull=False
                ),
                to_attr="apologies",
            ),
        )
        .order_by("starts_at", "pk")
    )


def published_minutes(since: datetime.datetime | None = None, meeting_ids=None) -> list[Meeting]:
    """Meetings whose minutes were published (since ``since``, or among ``meeting_ids``),
    each with its attendance as recorded (people prefetched). Two queries."""
    meetings = Meeting.objects.filter(minutes_published_at__isnull=False)
    if since is not None:
        meetings = meetings.filter(minutes_published_at__gte=since)
    if meeting_ids is not None:
        meetings = meetings.filter(pk__in=list(meeting_ids))
    return list(
        meetings.select_related("series__chair_role")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("user"))
        )
        .order_by("starts_at", "pk")
    )


#: How every reminder of the meetings app says which meeting it is about (``about``).
MEETING_ABOUT = "meeting:"


def reminder_about(meeting_id: int) -> str:
    return f"{MEETING_ABOUT}{meeting_id}"


def _meeting_id(about: str) -> int | None:
    number = about.removeprefix(MEETING_ABOUT)
    return int(number) if number.isdigit() else None


def failed_reminders(
    areas: Iterable[int] | None, limit: int = 10, now: datetime.datetime | None = None
) -> list:
    """The meeting and action reminders that did not reach their recipient, newest first, at
    most ``limit``, for the DCO: ``notifications.selectors.failed_or_interrupted`` for the
    deliveries about a meeting ("meeting:12"), each with its recipient, ``will_retry``,
    ``kind_label`` and ``meeting`` (with its series; None for a meeting deleted since).
    Only those about a meeting of ``areas`` (a subquery naming their meetings as the
    deliveries do). One query, and one more for their meetings when there are any."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    rows = failed_or_interrupted(MEETING_ABOUT, now)
    if areas is not None:
        abouts = (
            Meeting.objects.filter(series__area_id__in=list(areas))
            .annotate(about=Concat(Value(MEETING_ABOUT), Cast("pk", CharField())))
            .values("about")
        )
        rows = rows.filter(about__in=abouts)
    rows = list(rows[:limit])
    if not rows:
        return rows
    meeting_ids = {_meeting_id(row.about) for row in rows} - {None}
    meetings = Meeting.objects.select_related("series").in_bulk(meeting_ids)
    labels = dict(ReminderKind.choices)
    for row in rows:
        row.kind_label = labels.get(row.kind, row.kind)
        row.meeting = meetings.get(_meeting_id(row.about))
    return rows


def _holds_in_the_series_area(user: User, on: datetime.date, role, area) -> Exists:
    """``user`` holds the role ``role`` on ``on`` in the area ``area`` (expressions of the
    outer query): an assignment naming the area, or covering its ICB while it is active."""
    return Exists(
        RoleAssignment.objects.current(on)
        .filter(user_id=user.pk, role_id=role)
        .filter(
            Q(areas=area)
            | Q(every_area_of_icb__areas=area, every_area_of_icb__areas__is_active=True)
        )
    )


def member_series(user: User, on: datetime.date | None = None) -> QuerySet[MeetingSeries]:
    """The series ``user`` is a core member of on ``on`` (today): named in person, wherever
    the series is; or holding a member role or the chair's role in the series' own area
    (a DCO of South Tyneside is no member of Sunderland's café). One query."""
    on = on or timezone.localdate()
    by_role = SeriesMember.objects.filter(series=OuterRef("pk"), role__isnull=False).filter(
        _holds_in_the_series_area(user, on, OuterRef("role_id"), OuterRef(OuterRef("area_id")))
    )
    return MeetingSeries.objects.filter(
        Q(pk__in=_named_in(user))
        | Q(Exists(by_role))
        | Q(_holds_in_the_series_area(user, on, OuterRef("chair_role_id"), OuterRef("area_id")))
    )


def calendar_meetings_for(
    user: User, since: datetime.datetime, until: datetime.datetime
) -> list[Meeting]:
    """``user``'s meetings starting from ``since`` to ``until``, cancelled ones included (so
    calendars take them out), each with its series and agenda: the calendar feed. Five
    queries however many meetings."""
    if not user.is_active:
        return []
    return list(
        Meeting.objects.filter(
            series__in=member_series(user).values("pk"), starts_at__gte=since, starts_at__lte=until
        )
        .select_related("series")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("position", "pk"))
        )
        .order_by("starts_at", "pk")
    )


# --- Figures for the commissioner feedback report (intelligence/report.py) ----------------


def meetings_held_between(
    start: datetime.date, end: datetime.date, areas: Iterable[int] | None
) -> list[dict]:
    """For each kind of meeting of ``areas``, how many were planned (not cancelled) with a
    date between ``start`` and ``end`` and how many were held (closed). One query."""
    from meetings.models import MeetingKind

    rows = (
        _in_areas(
            Meeting.objects.filter(occurrence_date__range=(start, end)), areas, "series__area_id"
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .values_list("series__kind")
        .annotate(planned=Count("pk"), held=Count("pk", filter=Q(status=Meeting.Status.CLOSED)))
        .order_by()
    )
    found = {kind: (planned, held) for kind, planned, held in rows}
    return [
        {"kind": kind, "label": label, "planned": found[kind][0], "held": found[kind][1]}
        for kind, label in MeetingKind.choices
        if kind in found
    ]


def attendance_between(
    start: datetime.date, end: datetime.date, areas: Iterable[int] | None
) -> dict[str, int]:
    """People present at meetings of ``areas`` dated between ``start`` and ``end``, counted
    by the role they held on the day (a guest by the organisation they named). One query."""
    from roles.models import RoleCode

    labels = dict(RoleCode.choices)
    counts: dict[str, int] = {}
    # Grouped in the database by the roles held and the guest's organisation: a year's
    # attendance is some 13,000 rows at a region's scale, a few dozen groups.
    present = Attendance.objects.filter(
        meeting__occurrence_date__range=(start, end), status=Attendance.Status.PRESENT
    )
    rows = (
        _in_areas(present, areas, "meeting__series__area_id")
        .values_list("role_codes", "guest_organisation")
        .annotate(present=Count("pk"), people=Count("user_id"))
        .order_by()
    )

    def add(name: str, n: int) -> None:
        if n:
            counts[name] = counts.get(name, 0) + n

    for codes, guest_organisation, present, people in rows:
        if codes:
            for code in codes:
                add(labels.get(code, code), present)
        else:
            add(guest_organisation or "Guest", present - people)  # guests have no user
            add("No role recorded", people)
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def actions_due_between(
    start: datetime.date, end: datetime.date, areas: Iterable[int] | None
) -> dict[str, int]:
    """Actions of ``areas`` due between ``start`` and ``end`` (dropped ones left out): how
    many, how many completed on or before their due date. One query."""
    return actions_due_counts(start, end, areas).read()


def actions_due_counts(
    start: datetime.date, end: datetime.date, areas: Iterable[int] | None
) -> Counts:
    """The counts of ``actions_due_between``, to be read with others (send_portal.counts)."""
    due = Action.objects.filter(due_on__range=(start, end)).exclude(status=Action.Status.DROPPED)
    return Counts(
        _in_areas(due, areas, "meeting__series__area_id"),
        {
            "due": Count("*"),
            "on_time": Count(
                "pk", filter=Q(status=Action.Status.DONE, completed_on__lte=F("due_on"))
            ),
        },
    )


def intelligence_meetings(areas: Iterable[int], limit: int | None = 24) -> QuerySet[Meeting]:
    """Intelligence-sharing meetings of ``areas`` from 3 months ago on, the soonest first,
    for putting a concern on a meeting's list and recording its outcome (``limit=None``:
    all of them)."""
    from meetings.models import MeetingKind

    meetings = (
        Meeting.objects.filter(
            series__area_id__in=list(areas),
            series__kind=MeetingKind.INTELLIGENCE_SHARING,
            starts_at__gte=timezone.now() - datetime.timedelta(days=92),
        )
        .exclude(status=Meeting.Status.CANCELLED)
        .select_related("series")
        .order_by("starts_at")
    )
    return meetings[:limit] if limit else meetings
