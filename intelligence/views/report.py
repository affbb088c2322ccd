"""The commissioner feedback report, its CSV export and its PDF governance pack.

The report holds counts, themes and services only (commissioners and governance readers
see it); a figure links to the records behind it only where the viewer may see them.
"""

from __future__ import annotations

import csv
import uuid

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from audit.services import Kind, record_event
from intelligence import charts, tasks
from intelligence.forms import ReportPeriodForm
from intelligence.periods import (
    COMPARE_BEFORE,
    COMPARE_YEAR_EARLIER,
    comparison_from,
    quick_periods,
)
from intelligence.report import BadPeriod, Period, cached_report, last_full_quarter, period_from


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
            "start": dates["start"],
            "end": dates["end"],
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

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


AGGREGATE_HEADERS = ["Date raised", "Source", "Service", "Themes", "Families", "Status"]
FULL_HEADERS = [*AGGREGATE_HEADERS, "Summary"]


def concerns_for_export(user, params):
    """The concerns ``user`` may export, filtered by GET start/end/theme/service/status/source
    (the concern list's own filters), and
    whether the summaries go with them."""
    from intelligence.models import Concern
    from intelligence.rules import sees_all_intelligence

    if sees_all_intelligence.test(user):
        concerns, with_summary = Concern.objects.all(), True
    elif user.has_perm("intelligence.read_reports"):
        # Commissioners, governance readers, the DMO: aggregated and anonymised only.
        concerns, with_summary = Concern.objects.all(), False
    elif user.has_perm("intelligence.list_concerns"):
        concerns, with_summary = Concern.objects.filter(logged_by=user), True
    else:
        raise PermissionDenied
    period = period_from(params)
    concerns = concerns.filter(raised_on__range=(period.start, period.end))
    if params.get("theme", "").isdigit():
        concerns = concerns.filter(themes=int(params["theme"]))
    if params.get("service"):
        concerns = concerns.filter(service=params["service"])
    if params.get("status"):
        concerns = concerns.filter(status=params["status"])
    if params.get("source"):
        concerns = concerns.filter(source=params["source"])
    return concerns.order_by("raised_on", "pk"), with_summary, period


def _theme_names() -> dict[int, str]:
    from intelligence.models import Theme

    return dict(Theme.objects.values_list("pk", "name"))


def _csv_rows(concerns, with_summary: bool):
    from intelligence.models import SERVICE_CHOICES, Concern, ConcernSource

    writer = csv.writer(_Echo())
    yield writer.writerow(FULL_HEADERS if with_summary else AGGREGATE_HEADERS)
    themes = _theme_names()
    sources, services = dict(ConcernSource.choices), dict(SERVICE_CHOICES)
    statuses = dict(Concern.Status.choices)
    through = Concern.themes.through.objects
    fields = ["pk", "raised_on", "source", "service", "families", "status"]
    if with_summary:
        fields.append("summary")
    chunk_size = 2000
    batch: list[dict] = []

    def flush(batch):
        # The themes of one chunk of concerns in one query: memory stays at one chunk.
        theme_ids: dict[int, list[str]] = {}
        for concern_id, theme_id in through.filter(
            concern_id__in=[row["pk"] for row in batch]
        ).values_list("concern_id", "theme_id"):
            theme_ids.setdefault(concern_id, []).append(themes.get(theme_id, ""))
        for row in batch:
            cells = [
                row["raised_on"].isoformat(),
                sources.get(row["source"], row["source"]),
                services.get(row["service"], ""),
                "; ".join(sorted(theme_ids.get(row["pk"], []))),
                row["families"],
                statuses.get(row["status"], row["status"]),
            ]
            if with_summary:
                cells.append(row["summary"])
            yield writer.writerow([safe_cell(cell) for cell in cells])

    for row in concerns.values(*fields).iterator(chunk_size=chunk_size):
        batch.append(row)
        if len(batch) >= chunk_size:
            yield from flush(batch)
            batch = []
    if batch:
        yield from flush(batch)


def concerns_csv(request):
    try:
        concerns, with_summary, period = concerns_for_export(request.user, request.GET)
    except BadPeriod as error:
        return render(
            request,
            "intelligence/report/report.html",
            {"error": str(error), "breadcrumbs": _breadcrumbs()},
            status=400,
        )
    response = StreamingHttpResponse(
        _csv_rows(concerns, with_summary), content_type="text/csv; charset=utf-8"
    )
    name = f"concerns-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
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

    try:
        period = period_from(request.POST)
    except BadPeriod as error:
        return render(
            request,
            "intelligence/report/report.html",
            {"error": str(error), "breadcrumbs": _breadcrumbs()},
            status=400,
        )
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
