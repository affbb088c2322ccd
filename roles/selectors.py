"""Read queries about people and roles, for views, rules and the other apps."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from roles.models import (
    NAME_FIELDS,
    ROLES_NOT_BOUND_TO_AREAS,
    LocalArea,
    Role,
    RoleAssignment,
    RoleCode,
    User,
)


def names_of(*people: str) -> tuple[str, ...]:
    """The ``only()`` paths that read, of each person a query joins through ``people`` (paths
    to a ``User``, as given to ``select_related``), what names them on a page and nothing
    else of their accounts: not their password hashes, not when they last signed in."""
    return tuple(f"{person}__{field}" for person in people for field in NAME_FIELDS)


def current_role_codes(user: User, on: datetime.date | None = None) -> frozenset[str]:
    """The codes of the roles ``user`` holds on ``on`` (today by default).

    Cached on the user object for the date asked, because one page asks many
    permission questions about the same user.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    on = on or timezone.localdate()
    cached = getattr(user, "_current_role_codes", None)
    if cached is not None and cached[0] == on:
        return cached[1]
    codes = frozenset(
        RoleAssignment.objects.current(on).filter(user=user).values_list("role__code", flat=True)
    )
    user._current_role_codes = (on, codes)
    return codes


def remember_current_role_codes(user: User, on: datetime.date, joined: str | None) -> None:
    """Keep on ``user`` the codes of the roles held on ``on``, read with the user itself
    (``roles.backends.EmailPasswordBackend.get_user``): comma-joined, or None for none."""
    user._current_role_codes = (on, frozenset(joined.split(",")) if joined else frozenset())


def current_area_ids_query(on: datetime.date, user_ids) -> QuerySet[LocalArea]:
    """The areas in which the users ``user_ids`` hold a role on ``on``: the areas their
    current assignments name, and every active area of an ICB an assignment covers whole.
    ``user_ids``: a list, or an OuterRef two levels out (the assignments are a subquery of
    this query, itself a subquery of the user's)."""
    current = RoleAssignment.objects.current(on)
    if isinstance(user_ids, (list, tuple, set, frozenset)):
        current = current.filter(user__in=user_ids)
    else:
        current = current.filter(user=user_ids)
    return LocalArea.objects.filter(
        Q(pk__in=current.values("areas"))
        | Q(is_active=True, icb__in=current.values("every_area_of_icb"))
    )


def areas_of(user: User, on: datetime.date | None = None) -> frozenset[int]:
    """The ids of the local areas ``user`` works in on ``on`` (today by default), through
    their current assignments (an ICB-wide assignment counts as every active area of the
    ICB). Empty for someone signed out, inactive or holding no area-bound role.

    Read with the user on every page (roles.backends.EmailPasswordBackend.get_user) and
    cached on the user for the date asked, like the role codes.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    on = on or timezone.localdate()
    cached = getattr(user, "_current_area_ids", None)
    if cached is not None and cached[0] == on:
        return cached[1]
    ids = frozenset(current_area_ids_query(on, [user.pk]).values_list("pk", flat=True))
    user._current_area_ids = (on, ids)
    return ids


def works_in_areas(user: User, on: datetime.date | None = None) -> bool:
    """Whether ``user`` holds a role held in local areas on ``on``: then what they reach of
    children's records is bounded by areas_of (empty areas: nothing). Someone holding only a
    provider's health professional role or the administrator's is bounded otherwise (their
    organisation's requests; nothing clinical)."""
    return bool(current_role_codes(user, on) - ROLES_NOT_BOUND_TO_AREAS)


def remember_current_area_ids(user: User, on: datetime.date, joined: str | None) -> None:
    """Keep on ``user`` the ids of the areas they work in on ``on``, read with the user
    itself (roles.backends): comma-joined, or None for none."""
    user._current_area_ids = (
        on,
        frozenset(int(pk) for pk in joined.split(",")) if joined else frozenset(),
    )


def remember_current_area_names(user: User, on: datetime.date, joined: str | None) -> None:
    """Keep on ``user`` the names of the areas they work in on ``on``, read with the user
    itself (roles.backends): joined with the unit separator, or None for none."""
    user._current_area_names = (on, tuple(sorted(joined.split("\x1f"))) if joined else ())


def area_names(user: User, on: datetime.date | None = None) -> tuple[str, ...]:
    """The names of the local areas ``user`` works in on ``on`` (today by default), in
    alphabetical order: read with the user on every page, else one query."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ()
    on = on or timezone.localdate()
    cached = getattr(user, "_current_area_names", None)
    if cached is not None and cached[0] == on:
        return cached[1]
    names = tuple(
        current_area_ids_query(on, [user.pk]).order_by("name").values_list("name", flat=True)
    )
    user._current_area_names = (on, names)
    return names


def service_name_for(user: User) -> str:
    """The service's name as ``user`` sees it on every page and in every email: the title
    and the places they work in (``place_name``)."""
    return service_name_in(place_name(user, settings.LOCAL_AREA_NAME))


def service_name_in(place: str) -> str:
    """The service's name in ``place`` (an area's name, or the areas a person works in):
    what a family's email is signed with, for their child's area."""
    return f"{settings.SERVICE_TITLE} — {place}"


def names_of_areas(ids) -> list[tuple[int, str]]:
    """(id, name) of the local areas ``ids``, in alphabetical order. One query."""
    return list(
        LocalArea.objects.filter(pk__in=sorted(ids)).order_by("name").values_list("pk", "name")
    )


def place_name(user: User, everywhere: str) -> str:
    """What the header calls the place a person works in: their area ("Sunderland"), their
    two ("South Tyneside and Sunderland"), how many ("13 local areas"); ``everywhere`` (the
    deployment's own name) for someone bound to no area (an administrator, a provider's
    health professional) or signed out."""
    names = area_names(user)
    if not names:
        return everywhere
    if len(names) <= 2:
        return " and ".join(names)
    return f"{len(names)} local areas"


def holds_role(user: User, code: str, on: datetime.date | None = None) -> bool:
    return code in current_role_codes(user, on)


def current_holders(
    code: RoleCode | str, on: datetime.date | None = None, area_id: int | None = None
) -> QuerySet[User]:
    """Active people who hold the role ``code`` on ``on``, e.g. to tell the DMO something;
    with ``area_id``, only those holding it in that local area (named, or across its ICB):
    what is said about a record goes only to people who work in the record's area."""
    on = on or timezone.localdate()
    assignments = RoleAssignment.objects.current(on).filter(role__code=code)
    if area_id is not None:
        assignments = assignments.filter(
            Q(areas=area_id)
            | Q(every_area_of_icb__areas=area_id, every_area_of_icb__areas__is_active=True)
        )
    return (
        User.objects.people()
        .filter(role_assignments__in=assignments)
        .distinct()
        .order_by("full_name")
    )


def area_ids_by_user(user_ids, on: datetime.date | None = None) -> dict[int, frozenset[int]]:
    """{user id: the ids of the areas they work in on ``on``} for many people at once, in two
    queries (as ``areas_of`` for each): to count for each DMO what waits in their areas."""
    on = on or timezone.localdate()
    current = RoleAssignment.objects.current(on).filter(user__in=list(user_ids))
    found: dict[int, set[int]] = {}
    named = current.filter(areas__isnull=False).values_list("user_id", "areas")
    whole_icb = current.filter(every_area_of_icb__areas__is_active=True).values_list(
        "user_id", "every_area_of_icb__areas"
    )
    for user_id, area_id in [*named, *whole_icb]:
        found.setdefault(user_id, set()).add(area_id)
    return {user_id: frozenset(ids) for user_id, ids in found.items()}


def role_directory(
    on: datetime.date | None = None, holders_shown: int | None = None
) -> QuerySet[Role]:
    """Every role with ``current_assignments`` prefetched (holder and organisation), by
    name, and ``current_count``, how many hold it: 2 queries. ``holders_shown``: at most
    that many assignments prefetched per role (a region's directory has hundreds of
    health professionals; the role's own page lists them all)."""
    on = on or timezone.localdate()
    current = (
        RoleAssignment.objects.current(on)
        .of_people()
        .select_related("user", "organisation")
        .order_by("user__full_name", "pk")
    )
    shown = current if holders_shown is None else current[:holders_shown]
    holders = (
        RoleAssignment.objects.current(on)
        .of_people()
        .filter(role=OuterRef("pk"))
        .order_by()
        .values("role")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Role.objects.annotate(
        current_count=Coalesce(Subquery(holders), Value(0))
    ).prefetch_related(Prefetch("assignments", queryset=shown, to_attr="current_assignments"))


def role_history(role: Role) -> QuerySet[RoleAssignment]:
    """Everyone who has held ``role``, newest first."""
    return (
        RoleAssignment.objects.filter(role=role, user__is_system_account=False)
        .select_related("user", "organisation")
        .order_by("-starts_on", "user__full_name")
    )


@dataclass(frozen=True)
class PersonAssignments:
    current: list[RoleAssignment]
    upcoming: list[RoleAssignment]
    past: list[RoleAssignment]


def person_assignments(user: User, on: datetime.date | None = None) -> PersonAssignments:
    """A person's assignments split into current, upcoming and past, in one query."""
    on = on or timezone.localdate()
    assignments = list(
        user.role_assignments.select_related("role", "organisation").order_by("-starts_on")
    )
    return PersonAssignments(
        current=[a for a in assignments if a.is_current(on)],
        upcoming=[a for a in assignments if a.starts_on > on],
        past=[a for a in assignments if a.ends_on is not None and a.ends_on < on],
    )


def current_organisation_ids(user: User, code: str, on: datetime.date | None = None) -> frozenset:
    """The organisations at which ``user`` holds role ``code`` today (cached per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    on = on or timezone.localdate()
    cache = getattr(user, "_current_organisation_ids", None)
    if cache is None or cache[0] != on:
        cache = (on, {})
        user._current_organisation_ids = cache
    if code not in cache[1]:
        cache[1][code] = frozenset(
            RoleAssignment.objects.current(on)
            .filter(user=user, role__code=code)
            .values_list("organisation_id", flat=True)
        )
    return cache[1][code]


def current_assignment(user: User, code: str, on: datetime.date | None = None):
    """The user's current assignment of role ``code`` (the earliest started), or None."""
    on = on or timezone.localdate()
    return (
        RoleAssignment.objects.current(on)
        .filter(user=user, role__code=code)
        .select_related("role", "organisation")
        .order_by("starts_on")
        .first()
    )


def current_holders_by_organisation(
    code: str, organisation_ids, on: datetime.date | None = None
) -> dict[int, list[User]]:
    """Active people holding role ``code`` on ``on`` at each organisation, in one query:
    {organisation id: [user, ...]} (for telling a provider's clinicians something)."""
    on = on or timezone.localdate()
    holders: dict[int, list[User]] = {}
    assignments = (
        RoleAssignment.objects.current(on)
        .of_people()
        .filter(role__code=code, organisation_id__in=list(organisation_ids))
        .select_related("user")
        .order_by("organisation_id", "user_id")
    )
    for assignment in assignments:
        people = holders.setdefault(assignment.organisation_id, [])
        if all(person.pk != assignment.user_id for person in people):
            people.append(assignment.user)
    return holders
