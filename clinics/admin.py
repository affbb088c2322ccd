"""Administration for the clinics app: read-only. Clinical records are changed in the
portal's own pages, where the rules and the history apply, never in the admin."""

from django.contrib import admin

from clinics.models import Appointment, Referral, Reminder, SupportOffer
from send_portal.admin_site import ReadOnlyAdmin


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    # Ids and codes only: the admin is not where children's records are read.
    list_display = ("pk", "received_on", "source", "status", "outcome")
    list_filter = ("status", "source", "outcome")
    date_hierarchy = "received_on"
    exclude = ("reason", "family_email", "triage_note")


@admin.register(Appointment)
class AppointmentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "starts_at", "status")
    list_filter = ("kind", "status")
    date_hierarchy = "starts_at"
    exclude = ("clinical_notes", "family_email")


@admin.register(SupportOffer)
class SupportOfferAdmin(ReadOnlyAdmin):
    list_display = ("pk", "referral_id", "kind", "offered_on", "taken_up")
    list_filter = ("kind", "taken_up")


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ("sent_at", "kind", "appointment_id")
    list_filter = ("kind",)
    exclude = ("recipient",)
