"""Administration for the ehcp app: the quality criteria administrators extend, and a read-only
view of the reminders sent (views of children's records are in the audit log). Clinical
records are changed in the portal's own pages, where the rules and the history apply, never
in the admin."""

from django.contrib import admin

from ehcp.models import QualityCriterion, Reminder
from send_portal.admin_base import NamedListEditableAdmin, ReadOnlyAdmin


@admin.register(QualityCriterion)
class QualityCriterionAdmin(NamedListEditableAdmin):
    list_display = ("text", "source", "display_order", "is_active")
    list_editable = ("display_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("text", "source")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "kind", "subject", "recipient")
    list_filter = ("kind",)
    date_hierarchy = "sent_at"
    list_select_related = ("recipient",)
