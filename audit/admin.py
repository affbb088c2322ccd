"""The audit log in the Django admin: read-only. Nobody adds, changes or deletes an event;
old events leave only through the retention task (audit/tasks.py)."""

from django.contrib import admin

from audit.models import AuditEvent
from send_portal.admin_base import ReadOnlyAdmin, ValuesFilter


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = (
        "occurred_at",
        "kind",
        "actor",
        "identifier",
        "target_type",
        "target_id",
        "client_address",
        "url_name",
    )
    list_filter = ("kind", ("target_type", ValuesFilter), "occurred_at")
    date_hierarchy = "occurred_at"
    list_select_related = ("actor",)
    search_fields = ("actor__email", "identifier", "target_id", "request_id")
    show_full_result_count = False  # a COUNT(*) of the whole log on every page is slow
