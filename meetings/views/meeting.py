"""A person's meetings, a meeting's page, its agenda, papers, apologies and exports.

Every view asks for a permission named in meetings/rules.py; the object-level ones
("meetings.see_meeting" and friends) get the meeting from the id in the address, so
changing the id in the address never shows another meeting to someone who may not see it.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from audit.services import Kind, record_event
from ehcp import selectors as ehcp_selectors
from meetings import exports, presenters, selectors, services
from meetings.forms import AgendaItemForm, PaperForm
from meetings.models import AgendaItem, Meeting, Paper
from roles.selectors import areas_of
from session_security.step_up import (
    recent_password_required_for_download,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


def _reachable(request):
    """The meetings the person may reach at all (another area's id answers 404)."""
    return selectors.meetings_reachable_by(request.user).select_related("series__chair_role")


def _meeting_of_item(request, pk: int) -> Meeting:
    return get_object_or_404(_reachable(request), agenda_items=pk)


def _meeting_of_paper(request, pk: int) -> Meeting:
    return get_object_or_404(_reachable(request), papers=pk)


def _meeting(request, pk: int) -> Meeting:
    return get_object_or_404(_reachable(request), pk=pk)


def _load(pk: int) -> Meeting:
    try:
        return selectors.meeting_for_page(pk)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None


def _crumbs(meeting: Meeting | None = None) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home")), ("My meetings", reverse("meetings:mine"))]
    if meeting is not None:
        crumbs.append((str(meeting), reverse("meetings:meeting", args=[meeting.pk])))
    return crumbs


# --- My meetings --------------------------------------------------------------------------


@permission_required("meetings.view_meetings", raise_exception=True)
def my_meetings(request):
    now = timezone.now()
    page = Paginator(selectors.upcoming_meetings_for(request.user, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = presenters.my_meeting_rows(list(page), request.user, now)
    return render(
        request,
        "meetings/meeting/my_meetings.html",
        {"page": page, "rows": rows, "breadcrumbs": [("Home", reverse("home"))]},
    )


# --- A meeting's page ---------------------------------------------------------------------


@permission_required("meetings.see_meeting", fn=_meeting, raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = _load(pk)
    record = presenters.meeting_record(meeting, request.user)
    return render(
        request,
        "meetings/meeting/detail.html",
        {"record": record, "meeting": meeting, "breadcrumbs": _crumbs()},
    )


# --- The agenda ---------------------------------------------------------------------------


def _agenda_form_page(request, meeting: Meeting, item: AgendaItem | None):
    form = AgendaItemForm(request.POST or None, meeting=meeting, user=request.user, item=item)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "presenter": data["presenter"],
            "minutes_allotted": data["minutes_allotted"],
            "assessment": data.get("assessment"),
        }
        try:
            if item is None:
                saved = services.add_agenda_item(meeting, request.user, **fields)
            else:
                saved = services.edit_agenda_item(item, request.user, **fields)
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            verb = "added to" if item is None else "changed on"
            messages.success(request, f"Item {saved.position}, “{saved.title}”, {verb} the agenda.")
            return redirect("meetings:meeting", pk=meeting.pk)
    elif request.method != "POST":
        try:
            services.check_agenda_open(meeting, request.user)
        except services.RefusedChange as refusal:
            messages.error(request, str(refusal))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting/agenda_item_form.html",
        {"form": form, "meeting": meeting, "item": item, "breadcrumbs": _crumbs(meeting)},
    )


@permission_required("meetings.edit_agenda", fn=_meeting, raise_exception=True)
def agenda_item_add(request, pk: int):
    meeting = _meeting(request, pk)
    return _agenda_form_page(request, meeting, None)


@permission_required("meetings.edit_agenda", fn=_meeting_of_item, raise_exception=True)
def agenda_item_edit(request, pk: int):
    items = AgendaItem.objects.filter(meeting__in=_reachable(request)).select_related(
        "meeting__series__chair_role"
    )
    item = get_object_or_404(items, pk=pk)
    return _agenda_form_page(request, item.meeting, item)


# --- Papers -------------------------------------------------------------------------------


@permission_required("meetings.edit_agenda", fn=_meeting, raise_exception=True)
def paper_upload(request, pk: int):
    meeting = _meeting(request, pk)
    form = PaperForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            paper = services.upload_paper(
                meeting,
                request.user,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                agenda_item=form.cleaned_data["agenda_item"],
            )
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Paper “{paper.title}” uploaded.")
            return redirect("meetings:meeting", pk=meeting.pk)
    elif request.method != "POST":
        try:
            services.check_agenda_open(meeting, request.user, what="papers")
        except services.RefusedChange as refusal:
            messages.error(request, str(refusal))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(
        request,
        "meetings/meeting/paper_form.html",
        {"form": form, "meeting": meeting, "breadcrumbs": _crumbs(meeting)},
    )


def paper_filename(paper: Paper) -> str:
    """The download's name: the paper's title, slugified, with the stored file's extension.
    Never the uploaded file's name, which may name a child."""
    extension = paper.file.name.rsplit(".", 1)[-1].lower() if "." in paper.file.name else "bin"
    return f"{slugify(paper.title)[:80] or 'paper'}.{extension}"


@never_cache
@permission_required("meetings.see_meeting", fn=_meeting_of_paper, raise_exception=True)
def paper_download(request, pk: int):
    paper = get_object_or_404(Paper.objects.filter(meeting__in=_reachable(request)), pk=pk)
    try:
        handle = paper.file.open("rb")
    except (FileNotFoundError, ValueError):
        logger.warning("The stored file of meeting paper %s is missing", paper.pk)
        raise Http404("The file of this paper is missing.") from None
    response = FileResponse(
        handle, as_attachment=True, filename=paper_filename(paper), content_type=paper.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Apologies ----------------------------------------------------------------------------


@require_POST
@permission_required("meetings.send_apologies", fn=_meeting, raise_exception=True)
def apologies(request, pk: int):
    meeting = _meeting(request, pk)
    action = request.POST.get("action")
    try:
        if action == "send":
            services.send_apologies(meeting, request.user)
            text = f"Your apologies for {meeting} have been sent to the chair."
        elif action == "withdraw":
            services.withdraw_apologies(meeting, request.user)
            text = f"Your apologies for {meeting} have been withdrawn: you are expected there."
        else:
            return HttpResponseBadRequest("Say whether to send or withdraw apologies.")
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, text)
    next_page = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_page = reverse("meetings:meeting", args=[meeting.pk])
    return redirect(next_page)


# --- Exports ------------------------------------------------------------------------------


@never_cache
@permission_required("meetings.see_meeting", fn=_meeting, raise_exception=True)
@recent_password_required_for_download  # a panel's agenda names the children whose cases it hears
def agenda_csv(request, pk: int):
    meeting = _meeting(request, pk)
    items = list(meeting.agenda_items.order_by("position", "pk"))
    cases = ehcp_selectors.panel_case_summaries(i.assessment_id for i in items)
    response = exports.agenda_csv(meeting, items, cases)
    record_event(Kind.EXPORTED, request=request, target=meeting, summary="Meeting agenda CSV")
    return response


@never_cache
@permission_required("meetings.see_meeting", fn=_meeting, raise_exception=True)
@recent_password_required_for_download  # minutes may discuss named children
def minutes_pdf(request, pk: int):
    meeting = _load(pk)
    record = presenters.meeting_record(meeting, request.user)
    response = exports.minutes_pdf({"record": record, "meeting": meeting}, meeting)
    record_event(Kind.EXPORTED, request=request, target=meeting, summary="Meeting minutes PDF")
    return response


@never_cache
@permission_required("meetings.view_actions", raise_exception=True)
@recent_password_required_for_download
def actions_csv(request):
    include_closed = request.GET.get("status") == "all"
    response = exports.actions_csv(
        selectors.actions_for_export(areas_of(request.user), include_closed), include_closed
    )
    record_event(
        Kind.EXPORTED,
        request=request,
        summary="Meeting actions CSV, " + ("all actions" if include_closed else "open actions"),
    )
    return response
