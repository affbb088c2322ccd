"""Sign-in by email and password, with no permissions of its own.

Django's ModelBackend also answers permission questions from per-user and
group permissions; the portal has none of those (permissions follow from role
assignments through the rules backend), so this backend only authenticates.
"""

from django.contrib.auth.backends import ModelBackend


class EmailPasswordBackend(ModelBackend):
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
