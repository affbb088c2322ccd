"""Sign-in by email and password, with no permissions of its own.

Django's ModelBackend also answers permission questions from per-user and
group permissions; the portal has none of those (permissions follow from role
assignments through the rules backend), so this backend only authenticates,
and loads the signed-in user for each request.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Aggregate, CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone

from roles.models import RoleAssignment, User
from roles.selectors import (
    current_area_ids_query,
    remember_current_area_ids,
    remember_current_role_codes,
)


class JoinedCodes(Aggregate):
    """Role codes joined with commas (codes are slugs, which have none)."""

    function = "STRING_AGG"
    template = "%(function)s(%(expressions)s, ',')"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="GROUP_CONCAT", **extra_context)


class EmailPasswordBackend(ModelBackend):
    def get_user(self, user_id):
        """The user, with the codes of the roles they hold today and the ids of the local
        areas they work in read in the same query: every page asks for them (the menu, the
        permission rules, the selectors' area scope), which would be queries of their own on
        every request. Inactive users are refused, as by ModelBackend."""
        today = timezone.localdate()
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
        user = (
            User._default_manager.annotate(
                role_codes_today=Subquery(codes), area_ids_today=Subquery(area_ids)
            )
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_current_role_codes(user, today, user.role_codes_today)
        remember_current_area_ids(user, today, user.area_ids_today)
        return user

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
