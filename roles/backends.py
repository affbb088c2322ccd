"""Sign-in by email and password, with no permissions of its own.

Django's ModelBackend also answers permission questions from per-user and
group permissions; the portal has none of those (permissions follow from role
assignments through the rules backend), so this backend only authenticates,
and loads the signed-in user for each request.
"""

from collections.abc import Callable

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import Aggregate, CharField, Expression, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone

from roles.models import RoleAssignment, User
from roles.selectors import (
    current_area_ids_query,
    remember_current_area_ids,
    remember_current_area_names,
    remember_current_role_codes,
)


class JoinedCodes(Aggregate):
    """Role codes joined with commas (codes are slugs, which have none)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


_ANNOTATIONS = ("role_codes_today", "area_ids_today", "area_names_today")

#: What the floors above read with the user on every request, by the attribute it is kept
#: in on the user: each a function giving an expression over the user's row (OuterRef("pk")),
#: registered from the app's ``ready()`` (``read_with_user``). This floor cannot import
#: them, and each would otherwise cost every page a query or a cache round trip of its own.
_READ_WITH_USER: dict[str, Callable[[], Expression]] = {}


def read_with_user(name: str, expression: Callable[[], Expression]) -> None:
    """Read ``expression()`` in the signed-in user's query and keep it on the user as
    ``name`` (notifications: the header's unread count). Its value is as of the start of
    the request."""
    if name in _ANNOTATIONS or hasattr(User, name):
        raise ValueError(f"{name!r} is already a name of the user")
    _READ_WITH_USER[name] = expression
    _compiled.clear()  # compiled again with it


def _annotations() -> tuple[str, ...]:
    return _ANNOTATIONS + tuple(_READ_WITH_USER)


class JoinedNames(JoinedCodes):
    """Names joined with the unit separator, which no name holds (names may hold commas:
    "Bournemouth, Christchurch and Poole")."""

    template = "%(function)s(%(expressions)s, '\x1f')"


#: A user id no row has, standing in for the real one in the compiled SQL.
_ANY_USER = -2_147_483_000


def _user_with_roles_and_areas(today):
    """The user (by ``_ANY_USER``), the codes of the roles they hold ``today`` and the ids
    of the areas they work in, as one query."""
    codes = (
        RoleAssignment.objects.current(today)
        .filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(codes=JoinedCodes("role__code"))
        .values("codes")
    )
    # One row: every area id joined (grouping by a constant groups nothing).
    area_ids = (
        current_area_ids_query(today, OuterRef(OuterRef("pk")))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(ids=JoinedCodes(Cast("pk", CharField())))
        .values("ids")
    )
    # Their names, for the header ("SEND Health Coordination — Sunderland").
    area_names = (
        current_area_ids_query(today, OuterRef(OuterRef("pk")))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(names=JoinedNames("name"))
        .values("names")
    )
    return User._default_manager.annotate(
        role_codes_today=Subquery(codes),
        area_ids_today=Subquery(area_ids),
        area_names_today=Subquery(area_names),
        **{name: expression() for name, expression in _READ_WITH_USER.items()},
    ).filter(pk=_ANY_USER)


class CompiledUserQuery:
    """The SQL of ``_user_with_roles_and_areas`` for one day and one database, compiled
    once. Building and compiling the two subqueries took more of every signed-in request
    than running them (0.8 of 1.5 ms at scale 100); the SQL differs only by the user id,
    which is a parameter, and by the day, which is the cache's key."""

    def __init__(self, today, using: str):
        compiler = _user_with_roles_and_areas(today).query.get_compiler(using)
        sql, params = compiler.as_sql()
        where = [i for i, value in enumerate(params) if value == _ANY_USER]
        if len(where) != 1:  # pragma: no cover - the query's shape changed; see the tests
            raise RuntimeError("the user query must take the user id once")
        self.today, self.using = today, using
        self.sql, self.params, self.user_at = sql, list(params), where[0]
        # The columns as the ORM selects them, and what it would do to each value on the
        # way out (on SQLite: text to dates, integers to booleans).
        self.names = [alias or column.target.attname for column, _, alias in compiler.select]
        annotations = _annotations()
        self.fields = sum(1 for name in self.names if name not in annotations)
        if self.names[self.fields :] != list(annotations):  # pragma: no cover - as above
            raise RuntimeError("the user's columns must come before the annotations")
        self.converters = compiler.get_converters([column for column, _, _ in compiler.select])
        self.compiler = compiler

    def user(self, user_id):
        params = list(self.params)
        params[self.user_at] = user_id
        # On PostgreSQL psycopg prepares this statement once it has run a few times on a
        # connection (send_portal/settings.py), so it is not planned on every request: planning
        # took 0.6 ms of its 0.9 (scale 100).
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not rows:
            return None
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        row = rows[0]
        user = User.from_db(self.using, self.names[: self.fields], row[: self.fields])
        for name, value in zip(self.names[self.fields :], row[self.fields :], strict=True):
            setattr(user, name, value)
        return user


_compiled: dict[str, CompiledUserQuery] = {}


def compiled_user_query(today, using: str) -> CompiledUserQuery:
    found = _compiled.get(using)
    if found is None or found.today != today:
        found = _compiled[using] = CompiledUserQuery(today, using)
    return found


class EmailPasswordBackend(ModelBackend):
    def get_user(self, user_id):
        """The user, with the codes of the roles they hold today and the ids of the local
        areas they work in read in the same query: every page asks for them (the menu, the
        permission rules, the selectors' area scope), which would be queries of their own on
        every request. Inactive users are refused, as by ModelBackend."""
        today = timezone.localdate()
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        using = router.db_for_read(User)
        user = compiled_user_query(today, using).user(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_current_role_codes(user, today, user.role_codes_today)
        remember_current_area_ids(user, today, user.area_ids_today)
        remember_current_area_names(user, today, user.area_names_today)
        return user

    def user_can_authenticate(self, user) -> bool:
        # An account a system acts through (a council's case system, is_system_account)
        # never signs in or holds a session, whatever password or cookie it is sent.
        return super().user_can_authenticate(user) and not getattr(user, "is_system_account", False)

    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False
