"""The concern log, fast entry and CSV import, themes, escalations and "you said, we did"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from intelligence import importing, selectors, services
from intelligence.filters import ConcernFilter
from intelligence.forms import (
    AnswerForm,
    ConcernForm,
    ConcernMeetingForm,
    EscalateForm,
    ImportAreaForm,
    ImportForm,
    MergeForm,
    OutcomeForm,
    ThemeForm,
)
from intelligence.models import Concern, Theme
from intelligence.presenters import status_history
from intelligence.report import cached_emerging_themes
from roles.selectors import areas_of
from send_portal.paging import page_by_ids

PAGE_SIZE = 25


def _crumbs(*more):
    return [("Home", reverse("home")), ("Concerns", reverse("intelligence:concerns")), *more]


def _refused(form, refusal: services.RefusedChange, field: str | None = None) -> None:
    for problem in refusal.problems:
        form.add_error(field, problem)


@permission_required("intelligence.list_concerns", raise_exception=True)
def concern_list(request):
    filters = ConcernFilter(
        request.GET or None,
        queryset=selectors.concerns_visible_to(request.user),
        areas=areas_of(request.user),
    )
    concerns = filters.qs
    page = page_by_ids(concerns.order_by("-raised_on", "-pk"), request.GET.get("page"), PAGE_SIZE)
    return render(
        request,
        "intelligence/concern_list.html",
        {
            "filters": filters.form,
            "page": page,
            "emerging": cached_emerging_themes(areas_of(request.user)),
            "emerging_rule": selectors.emerging_rule_text(),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@permission_required("intelligence.log_concerns", raise_exception=True)
def concern_create(request):
    form = ConcernForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_concern(
                area=form.chosen_area(),
                raised_on=data["raised_on"],
                source=data["source"],
                service=data["service"],
                provider=data["provider"],
                themes=data["themes"],
                summary=data["summary"],
                families=data["families"],
                logged_by=request.user,
            )
        except services.RefusedChange as refusal:
            _refused(form, refusal, "summary" if refusal.problems[0].startswith("Remove") else None)
        else:
            messages.success(request, "The concern has been logged.")
            if "save" in request.POST:
                return redirect("intelligence:concerns")
            # Fast entry: the next concern starts from the same date and source.
            form = ConcernForm(
                initial={
                    "raised_on": data["raised_on"],
                    "source": data["source"],
                    "area": form.chosen_area(),
                },
                user=request.user,
            )
    return render(
        request, "intelligence/concern_form.html", {"form": form, "breadcrumbs": _crumbs()}
    )


@permission_required("intelligence.import_concerns", raise_exception=True)
def concern_import(request):
    today = timezone.localdate()
    form, preview, text, area = ImportForm(user=request.user), None, "", None
    if request.method == "POST" and "confirm" in request.POST:
        text = request.POST.get("csv_text", "")
        # The area chosen with the file, posted back with it and checked again.
        confirmed = ImportAreaForm(request.POST, user=request.user)
        if not confirmed.is_valid():
            raise Http404("No such local area.")
        area = confirmed.chosen_area()
        try:
            count = importing.import_rows(text, request.user, today, area)
        except services.RefusedChange as refusal:
            messages.error(request, str(refusal))
            preview = importing.preview(text, today, area)
        else:
            messages.success(request, f"{count} concerns imported.")
            return redirect("intelligence:concerns")
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            text = form.cleaned_data["file"]
            area = form.chosen_area()
            preview = importing.preview(text, today, area)
    return render(
        request,
        "intelligence/concern_import.html",
        {
            "form": form,
            "preview": preview,
            "csv_text": text,
            "area": area,
            "columns": importing.COLUMNS,
            "breadcrumbs": _crumbs(),
        },
    )


def _concern(request, pk: int) -> Concern:
    """The concern among those of the person's areas: another area's id answers 404."""
    return get_object_or_404(selectors.concerns_in_my_areas(request.user), pk=pk)


@permission_required("intelligence.see_concern", fn=_concern, raise_exception=True)
def concern_detail(request, pk: int):
    concern = get_object_or_404(
        selectors.concerns_in_my_areas(request.user).select_related(
            "logged_by", "provider", "meeting__series", "area"
        ),
        pk=pk,
    )
    return render(
        request,
        "intelligence/concern_detail.html",
        {
            "concern": concern,
            "escalations": concern.escalations.select_related("escalated_by", "responded_by"),
            "attach_form": _attach_form(request.user, concern),
            "history": status_history(concern.history.select_related("history_user")),
            "breadcrumbs": _crumbs(),
        },
    )


def _attach_form(user, concern):
    """Offered to those who record meetings' outcomes while the concern is open and an
    intelligence-sharing meeting is coming (or was in the last three months)."""
    if concern.status == Concern.Status.CLOSED or not user.has_perm("intelligence.record_outcome"):
        return None
    from meetings.selectors import intelligence_meetings

    # The meetings of the concern's own area.
    offered = list(intelligence_meetings([concern.area_id]))
    if not offered:
        return None
    return ConcernMeetingForm(
        meetings=intelligence_meetings([concern.area_id], limit=None),
        offered=offered,
        concern=concern,
    )


def _escalation_page(request, form, *, concern=None, theme=None):
    return render(
        request,
        "intelligence/escalate_form.html",
        {"form": form, "concern": concern, "theme": theme, "breadcrumbs": _crumbs()},
    )


@permission_required("intelligence.escalate", raise_exception=True)
def concern_escalate(request, pk: int):
    concern = _concern(request, pk)
    form = EscalateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalate(request.user, form.cleaned_data["question"], concern=concern)
        except services.RefusedChange as refusal:
            _refused(form, refusal, "question")
        else:
            messages.success(request, "Escalated: the commissioners will answer in the portal.")
            return redirect("intelligence:concern", pk=pk)
    return _escalation_page(request, form, concern=concern)


@permission_required("intelligence.escalate", raise_exception=True)
def theme_escalate(request, pk: int):
    theme = get_object_or_404(Theme, pk=pk)
    form = EscalateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.escalate(
                request.user, form.cleaned_data["question"], theme=theme, area=form.chosen_area()
            )
        except services.RefusedChange as refusal:
            _refused(form, refusal, "question")
        else:
            messages.success(request, f"The theme “{theme}” has been escalated.")
            return redirect("intelligence:themes")
    return _escalation_page(request, form, theme=theme)


@permission_required("intelligence.record_outcome", raise_exception=True)
def concern_outcome(request, pk: int):
    from meetings.selectors import intelligence_meetings

    concern = _concern(request, pk)
    form = OutcomeForm(
        request.POST or None, meetings=intelligence_meetings([concern.area_id], limit=None)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_meeting_outcome(
                concern, form.cleaned_data["meeting"], form.cleaned_data["outcome"], request.user
            )
        except services.RefusedChange as refusal:
            _refused(form, refusal, "outcome")
        else:
            messages.success(request, "The meeting's outcome has been recorded.")
            return redirect("intelligence:concern", pk=pk)
    return render(
        request,
        "intelligence/outcome_form.html",
        {"form": form, "concern": concern, "breadcrumbs": _crumbs()},
    )


@require_POST
@permission_required("intelligence.escalate", raise_exception=True)
def concern_close(request, pk: int):
    services.close_concern(_concern(request, pk), request.user)
    messages.success(request, "The concern is closed.")
    return redirect("intelligence:concern", pk=pk)


@permission_required("intelligence.list_concerns", raise_exception=True)
def theme_list(request):
    form = ThemeForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("intelligence.manage_themes"):
            raise PermissionDenied
        if form.is_valid():
            form.save()
            messages.success(request, f"The theme “{form.instance}” has been added.")
            return redirect("intelligence:themes")
    # The themes are shared across the ICB; the concerns counted are the person's areas'.
    themes = Theme.objects.select_related("merged_into").annotate(
        concern_count=Count(
            "concerns", filter=Q(concerns__area_id__in=sorted(areas_of(request.user)))
        )
    )
    return render(
        request,
        "intelligence/theme_list.html",
        {"themes": themes, "form": form, "breadcrumbs": _crumbs()},
    )


@permission_required("intelligence.manage_themes", raise_exception=True)
def theme_merge(request, pk: int):
    theme = get_object_or_404(Theme, pk=pk)
    form = MergeForm(request.POST or None, theme=theme)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                into = services.merge_themes(theme, form.cleaned_data["into"])
        except services.RefusedChange as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, f"“{theme}” is merged into “{into}”; its history is kept.")
            return redirect("intelligence:themes")
    return render(
        request,
        "intelligence/theme_merge.html",
        {"form": form, "theme": theme, "breadcrumbs": _crumbs()},
    )


@permission_required("intelligence.list_escalations", raise_exception=True)
def escalation_list(request):
    areas = areas_of(request.user)
    items = selectors.escalations(areas)
    # The longest waiting first, a page at a time: a region has thousands waiting.
    waiting = Paginator(selectors.escalations_waiting(areas), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "intelligence/escalation_list.html",
        {
            "page": waiting,
            "can_answer": request.user.has_perm("intelligence.answer_escalations"),
            "answered": items.filter(responded_at__isnull=False).order_by("-responded_at")[:25],
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@permission_required("intelligence.answer_escalations", raise_exception=True)
def escalation_answer(request, pk: int):
    escalation = get_object_or_404(selectors.escalations(areas_of(request.user)), pk=pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer(
                escalation, form.cleaned_data["response"], form.cleaned_data["action"], request.user
            )
        except services.RefusedChange as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, "Your response is recorded and shows in “you said, we did”.")
            return redirect("intelligence:escalations")
    return render(
        request,
        "intelligence/answer_form.html",
        {
            "form": form,
            "escalation": escalation,
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Escalations", reverse("intelligence:escalations")),
            ],
        },
    )


@permission_required("intelligence.read_you_said_we_did", raise_exception=True)
def you_said_we_did(request):
    you_said = selectors.you_said_we_did(areas_of(request.user))
    page = Paginator(you_said, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "intelligence/you_said_we_did.html",
        {"page": page, "breadcrumbs": [("Home", reverse("home"))]},
    )


@require_POST
@permission_required("intelligence.record_outcome", raise_exception=True)
def concern_attach(request, pk: int):
    from meetings.selectors import intelligence_meetings

    concern = _concern(request, pk)
    form = ConcernMeetingForm(
        request.POST, meetings=intelligence_meetings([concern.area_id], limit=None), concern=concern
    )
    if not form.is_valid():
        # The page offers only meetings of the list: anything else is a hand-made post.
        raise Http404("No such meeting.")
    meeting = form.cleaned_data["meeting"]
    try:
        services.attach_to_meeting(concern, meeting, request.user)
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Added to the concerns for {meeting}.")
    return redirect("intelligence:concern", pk=pk)


@permission_required("intelligence.record_outcome", raise_exception=True)
def meeting_concerns(request, pk: int):
    """The concerns an intelligence-sharing meeting is to discuss, and what it decided."""
    from meetings.selectors import intelligence_meetings

    meeting = get_object_or_404(intelligence_meetings(areas_of(request.user), limit=None), pk=pk)
    concerns = (
        selectors.concerns_in_my_areas(request.user)
        .filter(meeting=meeting)
        .select_related("logged_by")
        .prefetch_related("themes")
        .order_by("raised_on", "pk")
    )
    return render(
        request,
        "intelligence/meeting_concerns.html",
        {"meeting": meeting, "concerns": concerns, "breadcrumbs": _crumbs()},
    )
