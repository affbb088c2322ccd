"""The admin's base for a model shown for reading only (every app's admin uses it)."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A model shown in the admin for reading only: its rows are written by the portal's own
    services (and, for some, protected by a database trigger), never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
