"""The deliveries in the Django admin, read-only: which reminder or notice went to whom, when,
and which failed. A delivery names no child (its subject is an id, "advice:12"), and a
family's email address is never shown: a message to a family reads "A family (by email)"."""

from django.contrib import admin

from notifications.models import Delivery
from send_portal.admin_base import ReadOnlyAdmin, ValuesFilter


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "subject", "to", "outcome", "attempts", "sent_at")
    list_filter = ("outcome", ("kind", ValuesFilter))
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    fields = (
        "kind",
        "subject",
        "about",
        "to",
        "outcome",
        "attempts",
        "error",
        "created_at",
        "sent_at",
    )
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description="To")
    def to(self, delivery: Delivery) -> str:
        if delivery.recipient_id is None:
            return "A family (by email)"
        return delivery.recipient.display_name
