from django.contrib import admin

from service_status.models import Heartbeat


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "last_seen", "worker_hostname", "beats")
    readonly_fields = ("name", "last_seen", "worker_hostname", "beats")
