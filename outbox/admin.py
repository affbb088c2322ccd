from django.contrib import admin, messages
from django.db.models import Q

from outbox.models import OutboxMessage


class StateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"
    FILTERS = {
        "waiting": Q(sent_at__isnull=True),
        "sent": Q(sent_at__isnull=False, finished_at__isnull=True, failed_at__isnull=True),
        "done": Q(finished_at__isnull=False),
        "failed": Q(failed_at__isnull=False),
    }

    def lookups(self, request, model_admin):
        return [(key, key.capitalize()) for key in self.FILTERS]

    def queryset(self, request, queryset):
        return queryset.filter(self.FILTERS[self.value()]) if self.value() else queryset


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """What the portal handed to Celery, and how it ended. Arguments are ids only."""

    list_display = ("task", "created_at", "state", "attempts", "sent_at", "last_error")
    list_filter = (StateFilter, "task")
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_send_again_permission(self, request) -> bool:
        return request.user.has_perm("outbox.send_again")

    @admin.action(description="Send the selected failed messages again", permissions=["send_again"])
    def send_again(self, request, queryset):
        count = queryset.filter(failed_at__isnull=False).update(
            sent_at=None, finished_at=None, failed_at=None, last_error=""
        )
        self.message_user(
            request,
            f"{count} message(s) will be sent by the relay within a minute.",
            messages.SUCCESS,
        )
