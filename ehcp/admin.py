"""Administration for the ehcp app: the quality criteria administrators extend (views of
children's records are in the audit log; the reminders sent are notifications' deliveries).
Clinical records are changed in the portal's own pages, where the rules and the history
apply, never in the admin."""

from django.contrib import admin

from ehcp.models import QualityCriterion
from send_portal.admin_base import NamedListEditableAdmin


@admin.register(QualityCriterion)
class QualityCriterionAdmin(NamedListEditableAdmin):
    list_display = ("text", "source", "display_order", "is_active")
    list_editable = ("display_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("text", "source")
