from django.urls import path

from meetings.views import calendar, dashboard, meeting, series

app_name = "meetings"

urlpatterns = [
    # The DCO's dashboard and chairing
    path("meetings/dashboard/", dashboard.dashboard, name="dashboard"),
    path("meetings/actions/", dashboard.action_list, name="actions"),
    path("meetings/actions/<id:pk>/done/", dashboard.action_complete, name="action-complete"),
    path("meetings/<id:pk>/chair/", dashboard.chair, name="chair"),
    path("meetings/<id:pk>/chair/attendance/", dashboard.attendance_save, name="attendance-save"),
    path("meetings/<id:pk>/chair/guests/", dashboard.guest_add, name="guest-add"),
    path("meetings/items/<id:pk>/record/", dashboard.item_record_save, name="item-record-save"),
    path("meetings/<id:pk>/chair/actions/", dashboard.action_add, name="action-add"),
    path("meetings/<id:pk>/close/", dashboard.meeting_close, name="close"),
    path("meetings/<id:pk>/publish/", dashboard.minutes_publish, name="publish"),
    path("meetings/<id:pk>/approve-previous/", dashboard.minutes_approve, name="approve-previous"),
    # Series
    path("meetings/series/", series.series_list, name="series-list"),
    path("meetings/series/new/", series.series_create, name="series-create"),
    path("meetings/series/<id:pk>/", series.series_detail, name="series"),
    path("meetings/series/<id:pk>/change/", series.series_edit, name="series-edit"),
    path("meetings/<id:pk>/move/", series.meeting_move, name="move"),
    path("meetings/<id:pk>/cancel/", series.meeting_cancel, name="cancel"),
    # A meeting, its agenda, papers, apologies and exports
    path("meetings/", meeting.my_meetings, name="mine"),
    path("meetings/<id:pk>/", meeting.meeting_detail, name="meeting"),
    path("meetings/<id:pk>/agenda/new/", meeting.agenda_item_add, name="agenda-item-add"),
    path("meetings/items/<id:pk>/edit/", meeting.agenda_item_edit, name="agenda-item-edit"),
    path("meetings/<id:pk>/papers/new/", meeting.paper_upload, name="paper-upload"),
    path("meetings/papers/<id:pk>/", meeting.paper_download, name="paper"),
    path("meetings/<id:pk>/apologies/", meeting.apologies, name="apologies"),
    path("meetings/<id:pk>/agenda.csv", meeting.agenda_csv, name="agenda-csv"),
    path("meetings/<id:pk>/minutes.pdf", meeting.minutes_pdf, name="minutes-pdf"),
    path("meetings/actions.csv", meeting.actions_csv, name="actions-csv"),
    # Calendars
    path("meetings/calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
