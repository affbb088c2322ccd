"""The governance packs in the Django admin, read-only: who asked for which period, how its
build went and when. A pack holds anonymous figures only; the admin shows no figure and
offers no download (only the person who asked may download it)."""

from django.contrib import admin

from intelligence.models import ReportPack
from send_portal.admin_base import ReadOnlyAdmin


@admin.register(ReportPack)
class ReportPackAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "asked_by", "starts_on", "ends_on", "status", "finished_at")
    list_filter = ("status",)
    date_hierarchy = "created_at"
    list_select_related = ("requested_by",)
    fields = (
        "id",
        "asked_by",
        "starts_on",
        "ends_on",
        "status",
        "progress",
        "error",
        "created_at",
        "started_at",
        "finished_at",
    )
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="Asked for by")
    def asked_by(self, pack: ReportPack) -> str:
        return pack.requested_by.display_name
