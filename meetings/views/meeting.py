"""A person's meetings, a meeting's page, its agenda, papers, apologies and exports.

Every view asks for a permission named in meetings/rules.py; the object-level ones
("meetings.see_meeting" and friends) get the meeting from the id in the address, so
changing the id in the address never shows another meeting to someone who may not see it.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
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
from meetings import exports, selectors, services
from meetings.forms import AgendaItemForm, PaperForm
from meetings.models import AgendaItem, Attendance, Meeting, Paper
from roles.models import RoleCode
from roles.selectors import areas_of
from send_portal.london_time import LONDON, long_date
from session_security.step_up import (
    recent_password_required_for_download,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
ROLE_NAMES = dict(RoleCode.choices)


def _reachable(request):
    """The meetings the person may reach at all (another area's id answers 404)."""
    return selectors.meetings_reachable_by(request.user).select_related("series__chair_role")


def _meeting_of_item(request, pk: int) -> Meeting:
    return get_object_or_404(_reachable(request), agenda_items=pk)


def _meeting_of_paper(request, pk: int) -> Meeting:
    return get_object_or_404(_reachable(request), papers=pk)


def _meeting(request, pk: int) -> Meeting:
    return get_object_or_404(_reachable(request), pk=pk)


# --- Presenters -------------------------------------------------------------------------

#: Tag colours of the meeting's status (NHS.UK tag modifiers).
STATUS_COLOURS = {
    Meeting.Status.SCHEDULED: "blue",
    Meeting.Status.CANCELLED: "red",
    Meeting.Status.IN_PROGRESS: "green",
    Meeting.Status.CLOSED: "grey",
}
ATTENDANCE_COLOURS = {
    Attendance.Status.EXPECTED: "grey",
    Attendance.Status.PRESENT: "green",
    Attendance.Status.APOLOGIES: "yellow",
    Attendance.Status.ABSENT: "red",
}


def meeting_tags(meeting: Meeting) -> list[tuple[str, str]]:
    """(label, colour) of the NHS.UK tags that describe a meeting's state."""
    tags = [(meeting.get_status_display(), STATUS_COLOURS[meeting.status])]
    if meeting.moved and not meeting.is_cancelled:
        tags.append(("Moved", "orange"))
    return tags


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    organisation: str
    roles: str
    status: str
    status_label: str
    colour: str
    is_guest: bool
    is_you: bool

    @classmethod
    def of(cls, attendance: Attendance, user) -> AttendanceRow:
        return cls(
            name=attendance.name,
            organisation=attendance.guest_organisation,
            roles=", ".join(ROLE_NAMES.get(code, code) for code in attendance.role_codes),
            status=attendance.status,
            status_label=attendance.get_status_display(),
            colour=ATTENDANCE_COLOURS.get(attendance.status, "grey"),
            is_guest=not attendance.user_id,
            is_you=attendance.user_id == user.pk,
        )


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    planned_start: datetime.datetime
    case: ehcp_selectors.PanelCaseSummary | None
    shows_child: bool
    papers: list

    @property
    def case_label(self) -> str:
        if self.case is None:
            return ""
        return self.case.child_name if self.shows_child else f"Case {self.case.reference}"


@dataclass
class MeetingRecord:
    """What a meeting's page and its minutes PDF show, and what the viewer may do there."""

    meeting: Meeting
    starts: datetime.datetime
    ends: datetime.datetime
    tags: list[tuple[str, str]]
    agenda: list[AgendaRow]
    papers: list[Paper]
    attendance: list[AttendanceRow]
    quorum: services.Quorum | None
    quorum_is_forecast: bool
    minutes_visible: bool
    own_attendance: Attendance | None
    may: dict[str, bool] = field(default_factory=dict)

    @property
    def minutes_state(self) -> str:
        meeting = self.meeting
        if meeting.minutes_approved_at_id:
            on = meeting.minutes_approved_on
            approved_on = f" on {long_date(on)}" if on else ""
            return f"Approved at the meeting {meeting.minutes_approved_at}{approved_on}"
        if meeting.minutes_published_at:
            published = long_date(meeting.minutes_published_at)
            return f"Published on {published}: draft until approved at the next meeting"
        if meeting.status == Meeting.Status.CLOSED:
            return "Draft: not yet published to members"
        if meeting.status == Meeting.Status.IN_PROGRESS:
            return "Draft: being taken during the meeting"
        return "Not taken yet"

    @property
    def minutes_label(self) -> str:
        """Short form for the PDF's running footer."""
        if self.meeting.minutes_approved_at_id:
            return f"Approved at {self.meeting.minutes_approved_at}"
        if self.meeting.minutes_published_at:
            return "Published draft"
        return "Draft"

    @property
    def has_record(self) -> bool:
        return self.meeting.status in (Meeting.Status.IN_PROGRESS, Meeting.Status.CLOSED)

    def attendance_with(self, *statuses: str, guests: bool | None = None) -> list[AttendanceRow]:
        return [
            row
            for row in self.attendance
            if row.status in statuses and (guests is None or row.is_guest == guests)
        ]

    @property
    def present(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.PRESENT, guests=False)

    @property
    def guests(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.PRESENT, guests=True)

    @property
    def apologies(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.APOLOGIES)

    @property
    def absent(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.ABSENT)

    @property
    def not_recorded(self) -> list[AttendanceRow]:
        return self.attendance_with(Attendance.Status.EXPECTED)

    @property
    def panel_items(self) -> list[AgendaRow]:
        return [row for row in self.agenda if row.case is not None]

    @property
    def actions(self):
        return self.meeting.actions.all()


#: What a meeting's page offers, each the permission (meetings/rules.py) that says whether
#: the viewer may do it to this meeting now.
PAGE_OFFERS = {
    "chair": "meetings.chair_meeting_now",
    # Moving and cancelling are the chair's (meetings/views/series.py asks the same).
    "manage": "meetings.rearrange_meeting",
    "publish": "meetings.publish_minutes",
    "edit_agenda": "meetings.edit_agenda_now",
    "send_apologies": "meetings.send_apologies_now",
}


def meeting_record(meeting: Meeting, user, now: datetime.datetime | None = None) -> MeetingRecord:
    """The page's view of ``meeting`` (from selectors.meeting_for_page) for ``user``.

    A fixed number of queries however long the agenda and the attendance list: the
    quorum's required roles, the forecast (before the meeting), who uploaded the papers,
    the panel cases and which of their children the viewer may see.
    """
    now = now or timezone.now()
    items = list(meeting.agenda_items.all())
    papers = list(meeting.papers.all())
    prefetch_related_objects(papers, "uploaded_by")
    papers.sort(key=lambda p: (p.uploaded_at, p.pk))

    cases = ehcp_selectors.panel_case_summaries(i.assessment_id for i in items)
    visible_children = ehcp_selectors.visible_child_ids(user, (c.child_id for c in cases.values()))
    papers_by_item: dict[int, list[Paper]] = {}
    for paper in papers:
        papers_by_item.setdefault(paper.agenda_item_id, []).append(paper)
    agenda, start = [], timezone.localtime(meeting.starts_at, LONDON)
    for item in items:
        case = cases.get(item.assessment_id)
        agenda.append(
            AgendaRow(
                item=item,
                planned_start=start,
                case=case,
                shows_child=case is not None and case.child_id in visible_children,
                papers=papers_by_item.get(item.pk, []),
            )
        )
        start += datetime.timedelta(minutes=item.minutes_allotted)

    quorum, forecast = None, False
    if meeting.status == Meeting.Status.SCHEDULED:
        attendance = selectors.attendance_forecast([meeting])[meeting.pk]
        quorum, forecast = services.quorum(meeting, attendance, forecast=True), True
    else:
        attendance = list(meeting.attendance.all())
        if meeting.status != Meeting.Status.CANCELLED:
            quorum = services.quorum(meeting, attendance)
    own = next((a for a in attendance if a.user_id == user.pk and a.pk), None)

    can_chair = user.has_perm("meetings.chair_meeting", meeting)
    may = {offer: user.has_perm(permission, meeting) for offer, permission in PAGE_OFFERS.items()}
    # Minutes go out only once the meeting's time has come (services.publish_minutes).
    may["publish_now"] = services.has_started(meeting, now)
    may["view_actions"] = user.has_perm("meetings.view_actions")
    may["manage_series"] = user.has_perm("meetings.manage_series")
    return MeetingRecord(
        meeting=meeting,
        starts=timezone.localtime(meeting.starts_at, LONDON),
        ends=timezone.localtime(meeting.ends_at, LONDON),
        tags=meeting_tags(meeting),
        agenda=agenda,
        papers=papers,
        attendance=[AttendanceRow.of(a, user) for a in attendance],
        quorum=quorum,
        quorum_is_forecast=forecast,
        minutes_visible=bool(meeting.minutes_published_at) or can_chair,
        own_attendance=own,
        may=may,
    )


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


@dataclass(frozen=True)
class MyMeetingRow:
    meeting: Meeting
    starts: datetime.datetime
    ends: datetime.datetime
    tags: list[tuple[str, str]]
    sent_apologies: bool
    may_change_apologies: bool


@permission_required("meetings.view_meetings", raise_exception=True)
def my_meetings(request):
    now = timezone.now()
    page = Paginator(selectors.upcoming_meetings_for(request.user, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    own = selectors.own_attendance(request.user, [m.pk for m in page])
    rows = [
        MyMeetingRow(
            meeting=meeting,
            starts=timezone.localtime(meeting.starts_at, LONDON),
            ends=timezone.localtime(meeting.ends_at, LONDON),
            tags=meeting_tags(meeting),
            sent_apologies=meeting.pk in own
            and own[meeting.pk].status == Attendance.Status.APOLOGIES,
            may_change_apologies=services.takes_apologies(meeting, now),
        )
        for meeting in page
    ]
    return render(
        request,
        "meetings/meeting/my_meetings.html",
        {"page": page, "rows": rows, "breadcrumbs": [("Home", reverse("home"))]},
    )


# --- A meeting's page ---------------------------------------------------------------------


@permission_required("meetings.see_meeting", fn=_meeting, raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = _load(pk)
    record = meeting_record(meeting, request.user)
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
    record = meeting_record(meeting, request.user)
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
