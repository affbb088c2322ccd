"""The DCO's chair dashboard, chairing a meeting item by item, and the action log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from meetings import presenters, selectors, services
from meetings.forms import (
    ActionForm,
    AttendanceForm,
    GuestForm,
    ItemRecordForm,
    default_action_due,
)
from meetings.models import Action, AgendaItem, Meeting
from meetings.views.breadcrumbs import back_to_meetings
from roles.selectors import areas_of
from send_portal.paging import requested_page

PAGE_SIZE = 25


@permission_required("meetings.view_dashboard", raise_exception=True)
def dashboard(request):
    page = presenters.meetings_dashboard(requested_page(request), areas_of(request.user))
    if page is None:
        return redirect("meetings:dashboard")
    return render(
        request,
        "meetings/dashboard.html",
        {
            "dashboard": page,
            # Asked once: each series card offers chairing to those who manage series.
            "can_manage_series": request.user.has_perm("meetings.manage_series"),
            "today": timezone.localdate(),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


# Each page reads its meeting, item or action among those the person may reach at all
# (selectors.meetings_reachable_by): another area's id answers 404, as if it did not exist.


def _meeting(request, pk):
    meetings = selectors.meetings_reachable_by(request.user)
    return get_object_or_404(meetings.select_related("series__chair_role"), pk=pk)


def _items(request):
    return AgendaItem.objects.filter(
        meeting__in=selectors.meetings_reachable_by(request.user)
    ).select_related("meeting__series")


def _item_meeting(request, pk):
    return get_object_or_404(_items(request), pk=pk).meeting


def _chair_context(
    request,
    meeting,
    *,
    item_forms=None,
    action_form=None,
    guest_form=None,
    attendance_form=None,
    **notes,
) -> dict:
    """What the chair's page shows; the page and each of its parts are drawn from it."""
    meeting = selectors.meeting_for_page(meeting.pk)
    attendance = list(meeting.attendance.all())
    item_forms = item_forms or {}
    items = []
    for number, item in enumerate(meeting.agenda_items.all(), start=1):
        form = item_forms.get(item.pk) or ItemRecordForm(
            item=item,
            initial={
                "minutes": item.minutes,
                "decision": item.decision,
                "panel_decision": item.panel_decision,
                "edit_count": item.edit_count,
            },
        )
        items.append((number, item, form))
    return {
        "meeting": meeting,
        "attendance": attendance,
        "attendance_form": attendance_form or AttendanceForm(attendance=attendance),
        "quorum": services.quorum(meeting, attendance),
        "items": items,
        "actions": list(meeting.actions.all()),
        "action_form": action_form
        or ActionForm(meeting=meeting, initial={"due_on": default_action_due(meeting)}),
        "guest_form": guest_form or GuestForm(),
        "previous": selectors.previous_meeting(meeting),
        **notes,
    }


def _chair_page(request, meeting, **forms):
    context = _chair_context(request, meeting, **forms)
    context["breadcrumbs"] = back_to_meetings(request.user) + [
        (str(context["meeting"]), reverse("meetings:meeting", args=[meeting.pk]))
    ]
    return render(request, "meetings/chair.html", context)


def _wants_part(request) -> bool:
    """Sent by static/js/chair.mjs, which asks for JSON: answer with the parts, not a page."""
    return request.headers.get("Accept", "").startswith("application/json")


def _chair_parts(request, meeting, parts, *, ok: bool, message: str, **forms) -> JsonResponse:
    """The changed parts of the chair's page, drawn fresh, for chair.mjs to put in place.

    ``parts`` names them: "quorum", "attendance", "guest", "actions" or an agenda item's
    pk. The answer is 200 whether or not the save worked (``ok`` says which, ``message``
    is announced): the request itself succeeded, and the part shows the errors.
    """
    context = _chair_context(request, meeting, **forms)
    drawn = {}
    for part in parts:
        if isinstance(part, int):
            number, item, form = next(entry for entry in context["items"] if entry[1].pk == part)
            drawn[f"chair-item-{part}"] = render_to_string(
                "meetings/chair/item.html",
                {**context, "number": number, "item": item, "form": form},
                request,
            )
        else:
            drawn[f"chair-{part}"] = render_to_string(
                f"meetings/chair/{part}.html", context, request
            )
    return JsonResponse({"ok": ok, "message": message, "parts": drawn})


def _saved_at() -> str:
    return f"Saved at {timezone.localtime():%H:%M}."


@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def chair(request, pk: int):
    meeting = _meeting(request, pk)
    refusal = None
    if request.method == "POST":
        try:
            services.open_meeting(
                meeting,
                early_start_confirmed=request.POST.get("confirm_early") == "yes",
            )
        except services.EarlyStart as early:
            # Asked again, with the reason: a start well before time is confirmed on the page.
            refusal = str(early)
        except services.RefusedChange as refused:
            messages.error(request, str(refused))
            return redirect("meetings:meeting", pk=pk)
        else:
            messages.success(request, "The meeting has started. Each part saves on its own.")
            return redirect("meetings:chair", pk=pk)
    if meeting.status == Meeting.Status.SCHEDULED:
        return render(
            request,
            "meetings/chair_start.html",
            {
                "meeting": meeting,
                "early": services.starts_well_before(meeting),
                "refusal": refusal,
                "breadcrumbs": back_to_meetings(request.user),
            },
        )
    return _chair_page(request, meeting)


def _problem(form) -> str:
    """What is announced when a part is not saved: its first error."""
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    return f"Not saved: {errors[0]}" if errors else "Not saved."


def _back_to_chair(pk, anchor=""):
    return redirect(reverse("meetings:chair", args=[pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def attendance_save(request, pk: int):
    meeting = _meeting(request, pk)
    form = AttendanceForm(request.POST, attendance=list(meeting.attendance.select_related("user")))
    try:
        if not form.is_valid():
            raise services.RefusedChange(_problem(form).removeprefix("Not saved: "))
        services.record_attendance(meeting, form.statuses())
    except services.RefusedChange as refusal:
        if _wants_part(request):
            return _chair_parts(
                request,
                meeting,
                ["attendance"],
                ok=False,
                message=str(refusal),
                attendance_error=str(refusal),
                attendance_form=form,
            )
        if form.errors:
            # Without JavaScript the page comes back with the answers as sent and the error.
            return _chair_page(
                request, meeting, attendance_form=form, attendance_error=str(refusal)
            )
        messages.error(request, str(refusal))
    else:
        if _wants_part(request):
            return _chair_parts(
                request,
                meeting,
                ["quorum", "attendance"],
                ok=True,
                message="Attendance saved.",
                saved_attendance=_saved_at(),
            )
        messages.success(request, "Attendance saved.")
    return _back_to_chair(pk, "attendance")


@require_POST
@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def guest_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = GuestForm(request.POST)
    if form.is_valid():
        try:
            services.add_guest(
                meeting, form.cleaned_data["name"], form.cleaned_data["organisation"]
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            added = f"{form.cleaned_data['name']} added as a guest."
            if _wants_part(request):
                return _chair_parts(
                    request,
                    meeting,
                    ["quorum", "attendance", "guest"],
                    ok=True,
                    message=added,
                    saved_guest=added,
                )
            messages.success(request, added)
            return _back_to_chair(pk, "attendance")
    if _wants_part(request):
        return _chair_parts(
            request, meeting, ["guest"], ok=False, message=_problem(form), guest_form=form
        )
    return _chair_page(request, meeting, guest_form=form)


@require_POST
@permission_required("meetings.chair_meeting", fn=_item_meeting, raise_exception=True)
def item_record_save(request, pk: int):
    item = get_object_or_404(_items(request), pk=pk)
    form = ItemRecordForm(request.POST, item=item)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.save_item_record(
                    item,
                    form.cleaned_data["minutes"],
                    form.cleaned_data["decision"],
                    form.cleaned_data["edit_count"],
                )
                decision = form.cleaned_data.get("panel_decision", "").strip()
                if item.assessment_id and decision and decision != item.panel_decision:
                    services.record_panel_decision(item, decision, request.user)
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            saved = f"Minutes of “{item.title}” saved."
            if _wants_part(request):
                return _chair_parts(
                    request,
                    item.meeting,
                    [item.pk],
                    ok=True,
                    message=saved,
                    saved_item=_saved_at(),
                )
            messages.success(request, saved)
            return _back_to_chair(item.meeting_id, f"item-{item.pk}")
    if _wants_part(request):
        return _chair_parts(
            request,
            item.meeting,
            [item.pk],
            ok=False,
            message=_problem(form),
            item_forms={item.pk: form},
        )
    return _chair_page(request, item.meeting, item_forms={item.pk: form})


@require_POST
@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def action_add(request, pk: int):
    meeting = _meeting(request, pk)
    form = ActionForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.add_action(
                meeting,
                form.cleaned_data["description"],
                form.cleaned_data["owner"],
                form.cleaned_data["due_on"],
                form.cleaned_data["agenda_item"],
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            added = f"Action added for {form.cleaned_data['owner']}."
            if _wants_part(request):
                return _chair_parts(
                    request, meeting, ["actions"], ok=True, message=added, saved_action=added
                )
            messages.success(request, added)
            return _back_to_chair(pk, "actions")
    if _wants_part(request):
        return _chair_parts(
            request, meeting, ["actions"], ok=False, message=_problem(form), action_form=form
        )
    return _chair_page(request, meeting, action_form=form)


@require_POST
@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def meeting_close(request, pk: int):
    meeting = _meeting(request, pk)
    if request.POST.get("confirm") != "yes":
        # "Close the meeting" on the chair's page asks first: closing cannot be undone.
        return render(
            request,
            "meetings/chair_close.html",
            {
                "meeting": meeting,
                "without_minutes": meeting.agenda_items.filter(minutes="").count(),
                "breadcrumbs": back_to_meetings(request.user)
                + [(str(meeting), reverse("meetings:chair", args=[meeting.pk]))],
            },
        )
    try:
        services.close_meeting(meeting)
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
        return _back_to_chair(pk)
    messages.success(
        request,
        "The meeting is closed. Publish the minutes within 5 working days: you will be "
        "reminded if they are not out by then.",
    )
    return redirect("meetings:meeting", pk=pk)


@require_POST
@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def minutes_publish(request, pk: int):
    meeting = _meeting(request, pk)
    try:
        services.publish_minutes(meeting)
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The minutes are published and members have been told.")
    return redirect("meetings:meeting", pk=pk)


@require_POST
@permission_required("meetings.chair_meeting", fn=_meeting, raise_exception=True)
def minutes_approve(request, pk: int):
    meeting = _meeting(request, pk)
    previous = selectors.previous_meeting(meeting)
    try:
        if previous is None:
            raise services.RefusedChange("There is no earlier meeting of this series to approve.")
        services.approve_minutes(previous, meeting)
    except services.RefusedChange as refusal:
        if _wants_part(request):
            # The part goes as it is: the refusal is announced and shown in its place.
            return _chair_parts(
                request,
                meeting,
                ["previous"],
                ok=False,
                message=str(refusal),
                previous_error=str(refusal),
            )
        messages.error(request, str(refusal))
    else:
        approved = f"The minutes of {previous} are recorded as approved."
        if _wants_part(request):
            return _chair_parts(
                request,
                meeting,
                ["previous"],
                ok=True,
                message=approved,
                approved_previous=approved,
            )
        messages.success(request, approved)
    return _back_to_chair(pk)


@permission_required("meetings.view_actions", raise_exception=True)
def action_list(request):
    status = request.GET.get("status", "open")
    page = Paginator(selectors.actions_log(status, areas_of(request.user)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/action_list.html",
        {
            "page": page,
            "status": status,
            "statuses": Action.Status.choices,
            "today": timezone.localdate(),
            "breadcrumbs": back_to_meetings(request.user),
        },
    )


def _action(request, pk):
    actions = Action.objects.filter(meeting__in=selectors.meetings_reachable_by(request.user))
    return get_object_or_404(actions.select_related("meeting__series__chair_role"), pk=pk)


@require_POST
@permission_required("meetings.complete_action", fn=_action, raise_exception=True)
def action_complete(request, pk: int):
    action = _action(request, pk)
    try:
        services.complete_action(action)
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "The action is marked as done.")
    next_page = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_page, allowed_hosts={request.get_host()}):
        next_page = reverse("meetings:actions")
    return redirect(next_page)
