from django.urls import path

from clinics import views

app_name = "clinics"

urlpatterns = [
    path("clinic/referrals/", views.referral_list, name="referrals"),
    path("clinic/referrals/new/", views.referral_create, name="referral-create"),
    path("clinic/referrals/<id:pk>/", views.referral_detail, name="referral"),
    path("clinic/referrals/<id:pk>/triage/", views.referral_triage, name="referral-triage"),
    path(
        "clinic/referrals/<id:pk>/appointments/new/",
        views.clinic_appointment_create,
        name="clinic-appointment-create",
    ),
    path(
        "clinic/referrals/<id:pk>/support/new/",
        views.support_offer_create,
        name="support-offer-create",
    ),
    path("clinic/support/<id:pk>/", views.support_offer_take_up, name="support-offer"),
    path("clinic/appointments/", views.appointment_list, name="appointments"),
    path(
        "clinic/appointments/new/",
        views.individual_appointment_create,
        name="individual-appointment-create",
    ),
    path("clinic/appointments/<id:pk>/", views.appointment_detail, name="appointment"),
    path(
        "clinic/appointments/<id:pk>/attendance/",
        views.appointment_attendance,
        name="appointment-attendance",
    ),
    path("clinic/appointments/<id:pk>/notes/", views.appointment_notes, name="appointment-notes"),
    path(
        "clinic/appointments/<id:pk>/outcome/",
        views.appointment_outcome,
        name="appointment-outcome",
    ),
    path(
        "clinic/appointments/<id:pk>/letter.pdf",
        views.appointment_letter,
        name="appointment-letter",
    ),
    path("clinic/waiting-times/", views.waiting_figures, name="figures"),
]
