from django.urls import path

from intelligence.views import concerns, from_appointment, report

app_name = "intelligence"

urlpatterns = [
    # Concerns, themes, escalations
    path("concerns/", concerns.concern_list, name="concerns"),
    path("concerns/new/", concerns.concern_create, name="concern-create"),
    path("concerns/import/", concerns.concern_import, name="concern-import"),
    path("concerns/<id:pk>/", concerns.concern_detail, name="concern"),
    path("concerns/<id:pk>/escalate/", concerns.concern_escalate, name="concern-escalate"),
    path("concerns/<id:pk>/outcome/", concerns.concern_outcome, name="concern-outcome"),
    path("concerns/<id:pk>/close/", concerns.concern_close, name="concern-close"),
    path("concerns/<id:pk>/attach/", concerns.concern_attach, name="concern-attach"),
    path("meetings/<id:pk>/", concerns.meeting_concerns, name="meeting-concerns"),
    path("themes/", concerns.theme_list, name="themes"),
    path("themes/<id:pk>/merge/", concerns.theme_merge, name="theme-merge"),
    path("themes/<id:pk>/escalate/", concerns.theme_escalate, name="theme-escalate"),
    path("escalations/", concerns.escalation_list, name="escalations"),
    path("escalations/<id:pk>/answer/", concerns.escalation_answer, name="escalation-answer"),
    path("you-said-we-did/", concerns.you_said_we_did, name="you-said-we-did"),
    # From a clinic appointment, in one step
    path(
        "concerns/from-appointment/<id:pk>/",
        from_appointment.concern_from_appointment,
        name="concern-from-appointment",
    ),
    # The commissioner feedback report and its exports
    path("reports/", report.report, name="report"),
    path("reports/areas/", report.areas, name="areas"),
    path("reports/concerns.csv", report.concerns_csv, name="concerns-csv"),
    path("reports/pack/", report.pack_start, name="pack-start"),
    path("reports/pack/<uuid:pack>/", report.pack_status, name="pack-status"),
    path("reports/pack/<uuid:pack>/download/", report.pack_download, name="pack-download"),
]
