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
from intelligence import charts, exports, tasks
from intelligence.forms import GovernancePackForm, ReportPeriodForm
from intelligence.periods import (
    COMPARE_BEFORE,
    COMPARE_YEAR_EARLIER,
    comparison_from,
    quick_periods,
)
from intelligence.report import BadPeriod, Period, cached_report, last_full_quarter
from send_portal.csv_export import stream_csv


def _breadcrumbs():
    return [("Home", reverse("home"))]


def _links(user, period: Period) -> dict:
    """Where the figures may link to for this viewer: only to lists they may open."""
    dates = {"raised_from": period.start.isoformat(), "raised_to": period.end.isoformat()}
    links = {}
    if user.has_perm("intelligence.list_concerns"):
        links["concerns"] = reverse("intelligence:concerns") + "?" + urlencode(dates)
    if user.has_perm("intelligence.list_escalations"):
        links["escalations"] = reverse("intelligence:escalations")
    if user.has_perm("ehcp.view_advice_requests"):
        links["advice"] = reverse("ehcp:advice-list")
    if user.has_perm("ehcp.view_sign_off_queue"):
        links["sign_off"] = reverse("ehcp:sign-off-queue")
    if user.has_perm("ehcp.view_annual_reviews"):
        links["reviews"] = reverse("ehcp:annual-reviews")
    if user.has_perm("clinics.see_referrals"):
        links["referrals"] = reverse("clinics:referrals")
    if user.has_perm("meetings.view_actions"):
        links["actions"] = reverse("meetings:actions")
    return links


def report_charts(data: dict) -> dict:
    concerns = data["concerns"]
    period = data["period"]
    return {
        "themes": charts.bar_chart(
            [(row["label"], row["count"]) for row in concerns["by_theme"]],
            title=f"Concerns by theme, {period}",
        ),
        "services": charts.bar_chart(
            [(row["label"], row["count"]) for row in concerns["by_service"]],
            title=f"Concerns by service, {period}",
        ),
        "trend": charts.line_chart(
            [(row["label"], row["count"]) for row in data["trend"]],
            title=f"Concerns raised each month, {period}",
        ),
    }


@permission_required("intelligence.read_reports", raise_exception=True)
def report(request):
    today = timezone.localdate()
    common = {"quick_periods": quick_periods(today), "breadcrumbs": _breadcrumbs()}
    if ReportPeriodForm.asks_for_a_period(request.GET):
        form = ReportPeriodForm(request.GET, today=today)
        if not form.is_valid():
            return render(
                request, "intelligence/report/report.html", {**common, "form": form}, status=400
            )
        period, compare = form.cleaned_data["period"], form.cleaned_data["compare"]
    else:
        period, compare = last_full_quarter(today), comparison_from(request.GET)
        form = ReportPeriodForm(
            initial={"start": period.start, "end": period.end, "compare": compare}, today=today
        )
    data = cached_report(period, today, compare)
    dates = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    return render(
        request,
        "intelligence/report/report.html",
        {
            **data,
            **common,
            "form": form,
            "compared_heading": "A year earlier"
            if compare == COMPARE_YEAR_EARLIER
            else "Period before",
            "charts": report_charts(data),
            "links": _links(request.user, period),
            "pack_form": GovernancePackForm(
                initial={"start": period.start, "end": period.end}, today=today
            ),
            "other_comparison": {
                "label": "Compare with the period before"
                if compare == COMPARE_YEAR_EARLIER
                else "Compare with the same period a year earlier",
                "url": reverse("intelligence:report")
                + "?"
                + urlencode(
                    {
                        **dates,
                        "compare": COMPARE_BEFORE
                        if compare == COMPARE_YEAR_EARLIER
                        else COMPARE_YEAR_EARLIER,
                    }
                ),
            },
            "csv_url": reverse("intelligence:concerns-csv") + "?" + urlencode(dates),
        },
    )


# --- CSV --------------------------------------------------------------------------------


def concerns_csv(request):
    try:
        concerns, with_summary, period = exports.concerns_for_export(request.user, request.GET)
    except BadPeriod as error:
        return render(
            request,
            "intelligence/report/report.html",
            {"error": str(error), "breadcrumbs": _breadcrumbs()},
            status=400,
        )
    response = stream_csv(
        exports.concern_header(with_summary),
        exports.concern_rows(concerns, with_summary),
        f"concerns-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv",
    )
    record_event(
        Kind.EXPORTED,
        request=request,
        summary=f"Concerns CSV {period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"
        + (" with summaries" if with_summary else ""),
    )
    return response


# --- The PDF governance pack ------------------------------------------------------------


@permission_required("intelligence.read_reports", raise_exception=True)
@require_POST
def pack_start(request):
    from outbox.services import enqueue

    form = GovernancePackForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "intelligence/report/report.html",
            {"error": form.problem(), "breadcrumbs": _breadcrumbs()},
            status=400,
        )
    period = form.cleaned_data["period"]
    job = tasks.new_job(request.user, period)
    start, end, user_id = period.start.isoformat(), period.end.isoformat(), request.user.pk
    enqueue(tasks.build_report_pack, str(job), start, end, user_id)
    return redirect("intelligence:pack-status", job=job)


def _own_job(request, job: uuid.UUID) -> dict:
    state = tasks.read_job(job)
    if state is None or state.get("user_id") != request.user.pk:
        raise Http404("No such report pack.")
    return state


@permission_required("intelligence.read_reports", raise_exception=True)
def pack_status(request, job):
    state = _own_job(request, job)
    return render(
        request,
        "intelligence/report/pack_status.html",
        {
            "job": job,
            "state": state,
            "refresh": state["status"] in (tasks.QUEUED, tasks.BUILDING),
            "breadcrumbs": [
                *_breadcrumbs(),
                (
                    "Commissioner feedback report",
                    reverse("intelligence:report")
                    + "?"
                    + urlencode({"start": state["start"], "end": state["end"]}),
                ),
            ],
        },
    )


@permission_required("intelligence.read_reports", raise_exception=True)
def pack_download(request, job):
    state = _own_job(request, job)
    path = tasks.pdf_path(job)
    if state["status"] != tasks.READY or not path.is_file():
        raise Http404("The report pack is not ready.")
    name = f"governance-pack-{state['start']}-to-{state['end']}.pdf"
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
    )
    record_event(
        Kind.EXPORTED,
        request=request,
        summary=f"Governance pack PDF {state['start']} to {state['end']}",
    )
    return response
