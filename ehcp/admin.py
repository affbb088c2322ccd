"""Administration for the ehcp app: the quality criteria administrators extend, and read-only
views of the access log and the reminders sent. Clinical records are changed in the portal's
own pages, where the rules and the history apply, never in the admin."""

from django.contrib import admin

from ehcp.models import ChildAccess, QualityCriterion, Reminder


@admin.register(QualityCriterion)
class QualityCriterionAdmin(admin.ModelAdmin):
    list_display = ("text", "source", "display_order", "is_active")
    list_editable = ("display_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("text", "source")


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ChildAccess)
class ChildAccessAdmin(ReadOnlyAdmin):
    list_display = ("viewed_at", "user", "page", "child_id")
    list_filter = ("page",)
    date_hierarchy = "viewed_at"
    list_select_related = ("user",)
    # Searching by user only: the log is for asking "what did this person open?".
    search_fields = ("user__full_name", "user__email")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "kind", "subject", "recipient")
    list_filter = ("kind",)
    date_hierarchy = "sent_at"
    list_select_related = ("recipient",)
