"""Administration for the ehcp app: the quality criteria administrators extend, and a read-only
view of the reminders sent (views of children's records are in the audit log). Clinical
records are changed in the portal's own pages, where the rules and the history apply, never
in the admin."""

from django.contrib import admin

from ehcp.models import QualityCriterion, Reminder


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


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "kind", "subject", "recipient")
    list_filter = ("kind",)
    date_hierarchy = "sent_at"
    list_select_related = ("recipient",)
