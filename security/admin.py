"""Authenticator apps in the admin: an administrator may see who has one and remove it.

django-otp registers its own admin pages for its devices; they are replaced here. Its TOTP
page would let an administrator add a device for someone else, and its backup-code page lists
the codes themselves. What is left: a read-only list, and removal, which takes the backup
codes too and is recorded in the audit log.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import (
    people_admin,  # noqa: F401  (people, organisations and role assignments)
    services,
)

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(TOTPDeviceAdmin):
    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]
    actions = ["delete_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": ["user", "name", "confirmed", "created_at", "last_used_at"]})]

    def get_urls(self):
        # Not the QR code and set-up pages of django-otp's admin: they show the secret.
        return admin.ModelAdmin.get_urls(self)

    def delete_model(self, request, obj):
        services.remove_second_factor(obj.user, request=request)

    def delete_queryset(self, request, queryset):
        for person in {device.user for device in queryset.select_related("user")}:
            services.remove_second_factor(person, request=request)
