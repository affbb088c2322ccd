from django.urls import path

from meetings.views import calendar, dashboard, meeting, series

app_name = "meetings"

urlpatterns = [
    # The DCO's dashboard and chairing
    path("meetings/dashboard/", dashboard.dashboard, name="dashboard"),
    path("meetings/actions/", dashboard.action_list, name="actions"),
    path("meetings/actions/<int:pk>/done/", dashboard.action_complete, name="action-complete"),
    path("meetings/<int:pk>/chair/", dashboard.chair, name="chair"),
    path("meetings/<int:pk>/chair/attendance/", dashboard.attendance_save, name="attendance-save"),
    path("meetings/<int:pk>/chair/guests/", dashboard.guest_add, name="guest-add"),
    path("meetings/items/<int:pk>/record/", dashboard.item_record_save, name="item-record-save"),
    path("meetings/<int:pk>/chair/actions/", dashboard.action_add, name="action-add"),
    path("meetings/<int:pk>/close/", dashboard.meeting_close, name="close"),
    path("meetings/<int:pk>/publish/", dashboard.minutes_publish, name="publish"),
    path("meetings/<int:pk>/approve-previous/", dashboard.minutes_approve, name="approve-previous"),
    # Series
    path("meetings/series/", series.series_list, name="series-list"),
    path("meetings/series/new/", series.series_create, name="series-create"),
    path("meetings/series/<int:pk>/", series.series_detail, name="series"),
    path("meetings/series/<int:pk>/change/", series.series_edit, name="series-edit"),
    path("meetings/<int:pk>/move/", series.meeting_move, name="move"),
    path("meetings/<int:pk>/cancel/", series.meeting_cancel, name="cancel"),
    # A meeting, its agenda, papers, apologies and exports
    path("meetings/", meeting.my_meetings, name="mine"),
    path("meetings/<int:pk>/", meeting.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/new/", meeting.agenda_item_add, name="agenda-item-add"),
    path("meetings/items/<int:pk>/edit/", meeting.agenda_item_edit, name="agenda-item-edit"),
    path("meetings/<int:pk>/papers/new/", meeting.paper_upload, name="paper-upload"),
    path("meetings/papers/<int:pk>/", meeting.paper_download, name="paper"),
    path("meetings/<int:pk>/apologies/", meeting.apologies, name="apologies"),
    path("meetings/<int:pk>/agenda.csv", meeting.agenda_csv, name="agenda-csv"),
    path("meetings/<int:pk>/minutes.pdf", meeting.minutes_pdf, name="minutes-pdf"),
    path("meetings/actions.csv", meeting.actions_csv, name="actions-csv"),
    # Calendars
    path("meetings/calendar/", calendar.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar-feed"),
]
