"""The commissioner feedback report, its CSV export and its PDF governance pack.

The report holds counts, themes and services only (commissioners and governance readers
see it); a figure links to the records behind it only where the viewer may see them.
"""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from audit.services import Kind, record_event
from intelligence import exports, presenters, selectors, services
from intelligence.areas import cached_comparison
from intelligence.forms import GovernancePackForm, ReportPeriodForm
from intelligence.models import ReportPack
from intelligence.periods import comparison_from, quick_periods
from intelligence.report import BadPeriod, cached_report, last_full_quarter
from roles.selectors import areas_of, names_of_areas
from send_portal.csv_export import stream_csv


def _breadcrumbs():
    return [("Home", reverse("home"))]


def _period_asked(request, today):
    """(form, period, compare) from the page's query: the period typed or linked to, or
    the last full quarter; period None when what was typed is refused (the form says why).
    The report and the areas side by side read it the same way."""
    if ReportPeriodForm.asks_for_a_period(request.GET):
        form = ReportPeriodForm(request.GET, today=today)
        if not form.is_valid():
            return form, None, None
        return form, form.cleaned_data["period"], form.cleaned_data["compare"]
    period, compare = last_full_quarter(today), comparison_from(request.GET)
    form = ReportPeriodForm(
        initial={"start": period.start, "end": period.end, "compare": compare}, today=today
    )
    return form, period, compare


@permission_required("intelligence.read_reports", raise_exception=True)
def report(request):
    today = timezone.localdate()
    common = {"quick_periods": quick_periods(today), "breadcrumbs": _breadcrumbs()}
    form, period, compare = _period_asked(request, today)
    if period is None:
        return render(
            request, "intelligence/report/report.html", {**common, "form": form}, status=400
        )
    data = cached_report(period, today, compare, areas=areas_of(request.user))
    return render(
        request,
        "intelligence/report/report.html",
        {
            **data,
            **common,
            **presenters.report_page(data, request.user, period, compare),
            "form": form,
            "pack_form": GovernancePackForm(
                initial={"start": period.start, "end": period.end},
                today=today,
                areas=_pack_areas(request.user),
            ),
        },
    )


@permission_required("intelligence.compare_areas", raise_exception=True)
def areas(request):
    """The areas the reader works in side by side, and in total (intelligence/areas.py)."""
    today = timezone.localdate()
    common = {
        "quick_periods": quick_periods(today),
        "breadcrumbs": [
            *_breadcrumbs(),
            ("Commissioner feedback report", reverse("intelligence:report")),
        ],
    }
    form, period, compare = _period_asked(request, today)
    if period is None:
        return render(
            request, "intelligence/report/areas.html", {**common, "form": form}, status=400
        )
    before = period.compared_with(compare)
    figures = cached_comparison(period, before, areas_of(request.user), today, compare)
    return render(
        request,
        "intelligence/report/areas.html",
        {
            **common,
            **figures,
            "period": period,
            "before": before,
            "compare": compare,
            "compared_heading": presenters.compared_heading(compare),
            "form": form,
        },
    )


# --- CSV --------------------------------------------------------------------------------


def concerns_csv(request):
    try:
        concerns, with_summary, period = exports.concerns_for_export(request.user, request.GET)
    except BadPeriod as error:
        return _bad_period(request, error)
    response = stream_csv(
        exports.concern_header(with_summary),
        exports.concern_rows(concerns, with_summary),
        exports.concerns_csv_name(period),
    )
    record_event(
        Kind.EXPORTED, request=request, summary=exports.concerns_csv_summary(period, with_summary)
    )
    return response


def _bad_period(request, error: BadPeriod):
    return render(
        request,
        "intelligence/report/report.html",
        {"error": str(error), "breadcrumbs": _breadcrumbs()},
        status=400,
    )


# --- The PDF governance pack ------------------------------------------------------------


@permission_required("intelligence.read_reports", raise_exception=True)
@require_POST
def pack_start(request):
    form = GovernancePackForm(request.POST, areas=_pack_areas(request.user))
    if not form.is_valid():
        return render(
            request,
            "intelligence/report/report.html",
            {"error": form.problem(), "breadcrumbs": _breadcrumbs()},
            status=400,
        )
    period = form.cleaned_data["period"]
    pack = services.request_report_pack(request.user, period, form.cleaned_data["area"])
    return redirect("intelligence:pack-status", pack=pack.pk)


def _pack_areas(user) -> list[tuple[int, str]]:
    """The areas a pack may be of: (id, name) of each the person works in, read only when
    there is a choice to make (more than one)."""
    areas = areas_of(user)
    return names_of_areas(areas) if len(areas) > 1 else []


def _own_pack(request, pack_id: uuid.UUID) -> ReportPack:
    pack = selectors.report_pack_for(request.user, pack_id)
    if pack is None:
        raise Http404("No such report pack.")
    return pack


@permission_required("intelligence.read_reports", raise_exception=True)
def pack_status(request, pack):
    pack = _own_pack(request, pack)
    period = {"start": pack.starts_on.isoformat(), "end": pack.ends_on.isoformat()}
    return render(
        request,
        "intelligence/report/pack_status.html",
        {
            "pack": pack,
            "breadcrumbs": [
                *_breadcrumbs(),
                (
                    "Commissioner feedback report",
                    reverse("intelligence:report") + "?" + urlencode(period),
                ),
            ],
        },
    )


@permission_required("intelligence.read_reports", raise_exception=True)
def pack_download(request, pack):
    pack = _own_pack(request, pack)
    if pack.status != ReportPack.Status.READY or not pack.pdf:
        raise Http404("The report pack is not ready.")
    try:
        file = pack.pdf.open("rb")
    except FileNotFoundError:
        raise Http404("The report pack is not ready.") from None
    response = FileResponse(
        file,
        as_attachment=True,
        filename=exports.pack_file_name(pack),
        content_type="application/pdf",
    )
    record_event(Kind.EXPORTED, request=request, summary=exports.pack_summary(pack))
    return response
