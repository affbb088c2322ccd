"""Meeting series: the list, a new series, one series' meetings, moving and cancelling one."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from rules.contrib.views import permission_required

from meetings import selectors, services
from meetings.forms import CancelForm, MoveForm, SeriesForm
from meetings.models import Meeting, MeetingSeries
from meetings.views.breadcrumbs import back_to_meetings
from roles.selectors import areas_of
from send_portal.london_time import long_date_with_weekday

SERIES_PAGE_SIZE = 25


def _managed(request):
    """The series the DCO runs: those of the areas they work in (being named in person on
    another area's series makes them a member there, not the one who runs it)."""
    return selectors.series_for_list(areas_of(request.user))


@permission_required("meetings.manage_series", raise_exception=True)
def series_list(request):
    # A page at a time: a region has hundreds.
    page = Paginator(_managed(request), SERIES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/series_list.html",
        {"page": page, "breadcrumbs": back_to_meetings(request.user)},
    )


@permission_required("meetings.manage_series", raise_exception=True)
def series_create(request):
    form = SeriesForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and "preview" in request.POST and _wants_json(request):
        return _live_preview(form)
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        # "Show the next dates": the dates the chosen pattern makes, nothing saved yet.
        preview = form.next_dates()
    elif request.method == "POST" and form.is_valid():
        series, members = _answers(form)
        created = services.create_series(series, **members)
        messages.success(
            request, f"{series.name}: {created} meetings planned for the next 12 months."
        )
        return redirect("meetings:series", pk=series.pk)
    return render(
        request,
        "meetings/series_form.html",
        {
            "form": form,
            "preview": preview,
            "breadcrumbs": back_to_meetings(request.user)
            + [("Series", reverse("meetings:series-list"))],
        },
    )


def _wants_json(request) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _live_preview(form) -> JsonResponse:
    """The next dates for static/js/series-form.mjs, as the answers so far give them."""
    form.is_valid()
    problems = [error for name in SeriesForm.PATTERN_FIELDS for error in form.errors.get(name, [])]
    data = form.cleaned_data
    if problems or "pattern" not in data or not data.get("starts_on") or not data.get("start_time"):
        return JsonResponse({"ok": False, "message": problems[0] if problems else "", "dates": []})
    return JsonResponse(
        {
            "ok": True,
            "message": f"{data['pattern'].describe()}, at {data['start_time']:%H:%M} London "
            "time. The next dates:",
            "dates": [long_date_with_weekday(moment) for moment in form.next_dates()],
        }
    )


def _answers(form) -> tuple[MeetingSeries, dict]:
    """The series as the form has it (not saved) and its members, for the services."""
    series = form.save(commit=False)
    series.reminder_days = form.cleaned_data["reminder_days"]
    return series, {
        "member_roles": form.cleaned_data["member_roles"],
        "member_users": form.cleaned_data["member_users"],
        "required_roles": form.cleaned_data["required_roles"],
    }


@permission_required("meetings.manage_series", raise_exception=True)
def series_edit(request, pk: int):
    series = get_object_or_404(_managed(request), pk=pk)
    members = list(series.members.all())
    form = SeriesForm(
        request.POST or None,
        user=request.user,
        instance=series,
        initial={
            "member_roles": [m.role_id for m in members if m.role_id],
            "member_users": [m.user_id for m in members if m.user_id],
            "reminder_days": ", ".join(str(days) for days in series.reminder_days),
        },
    )
    preview = None
    if request.method == "POST" and "preview" in request.POST and _wants_json(request):
        return _live_preview(form)
    if request.method == "POST" and form.is_valid() and "preview" in request.POST:
        preview = form.next_dates()
    elif request.method == "POST" and form.is_valid():
        series, members = _answers(form)
        replanned = services.change_series(series, **members)
        messages.success(
            request,
            f"{series.name} saved: {replanned.created} meetings added, {replanned.changed} "
            f"changed and {replanned.cancelled} cancelled; members are told of each change.",
        )
        return redirect("meetings:series", pk=series.pk)
    return render(
        request,
        "meetings/series_form.html",
        {
            "form": form,
            "series": series,
            "preview": preview,
            "breadcrumbs": back_to_meetings(request.user)
            + [
                ("Series", reverse("meetings:series-list")),
                (series.name, reverse("meetings:series", args=[series.pk])),
            ],
        },
    )


@permission_required("meetings.manage_series", raise_exception=True)
def series_detail(request, pk: int):
    series = get_object_or_404(_managed(request).select_related("chair_role", "area"), pk=pk)
    return render(
        request,
        "meetings/series_detail.html",
        {
            "series": series,
            **selectors.series_schedule(series),
            "breadcrumbs": back_to_meetings(request.user)
            + [("Series", reverse("meetings:series-list"))],
        },
    )


def _meeting(request, pk):
    meetings = Meeting.objects.filter(series__in=_managed(request))
    return get_object_or_404(meetings.select_related("series__chair_role"), pk=pk)


@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def meeting_move(request, pk: int):
    meeting = _meeting(request, pk)
    local = timezone.localtime(meeting.starts_at)
    form = MoveForm(
        request.POST or None,
        initial={
            "day": local.date(),
            "time": local.time().strftime("%H:%M"),
            "place": meeting.place,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_meeting(
                meeting, form.cleaned_data["starts_at"], form.cleaned_data["place"]
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The meeting has been moved; members will be told.")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_move.html",
        {"form": form, "meeting": meeting, "breadcrumbs": back_to_meetings(request.user)},
    )


@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def meeting_cancel(request, pk: int):
    meeting = _meeting(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_meeting(meeting, form.cleaned_data["reason"])
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "The meeting has been cancelled; members will be told.")
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting_cancel.html",
        {"form": form, "meeting": meeting, "breadcrumbs": back_to_meetings(request.user)},
    )
