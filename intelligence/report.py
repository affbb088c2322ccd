"""The figures of the commissioner feedback report, for a period and the period before.

Counted in the database (Count with filters, grouped by theme, service and month); a
median is taken in Python over one column of values, so the figures are the same on
SQLite and PostgreSQL. The number of queries is fixed: it does not grow with the number
of concerns, plans or meetings. Figures from other apps are read only through their
selectors; the Social Communication Clinic's only when the ``clinics`` app has them, and
the Tribunal's health recommendations (counts only) from ``tribunal.selectors``.

Nothing here names a person or quotes a summary: commissioners and governance readers
see this page, and it holds counts, themes and services only.

Every figure is of the areas the reader may see (``areas``: ids of local areas, from
``roles.selectors.areas_of``; None counts every area, for the tests and the tools only):
a South Tyneside DCO's report counts South Tyneside's advice, plans, sign-offs, quality reviews,
annual reviews, Tribunal recommendations, concerns, meetings and clinic, and
the cache keeps each set of areas' figures apart.
"""

from __future__ import annotations

import datetime
import logging
import statistics

from django.db.models import Case, Count, F, IntegerField, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from intelligence.models import SERVICE_CHOICES, Concern, Escalation
from intelligence.periods import COMPARE_BEFORE, Period
from intelligence.periods import EARLIEST_REPORT_DAY as EARLIEST_REPORT_DAY  # re-exported
from intelligence.periods import BadPeriod as BadPeriod  # re-exported
from intelligence.periods import last_full_quarter as last_full_quarter  # re-exported
from intelligence.periods import period_from as period_from  # re-exported
from intelligence.selectors import emerging_rule_text, emerging_themes
from send_portal.counts import Counts, read_together

logger = logging.getLogger(__name__)

SERVICE_LABELS = dict(SERVICE_CHOICES)


def median(values) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def percent(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


# --- Concerns ---------------------------------------------------------------------------
#
# The report shows a period beside the period before it. Each table is read once for both:
# a CASE names the period a row falls in, and the figures of each are counted from that
# (``which`` is the period's position in ``periods``).


def _which_period(field: str, periods: list[Period]) -> Case:
    return Case(
        *(
            When(**{f"{field}__range": (p.start, p.end)}, then=Value(i))
            for i, p in enumerate(periods)
        ),
        output_field=IntegerField(),
    )


def _in_areas(rows, areas, path: str = "area_id"):
    return rows if areas is None else rows.filter(**{f"{path}__in": sorted(areas)})


def _any_period(field: str, periods: list[Period]) -> Q:
    found = Q()
    for p in periods:
        found |= Q(**{f"{field}__range": (p.start, p.end)})
    return found


def _concern_counts(periods: list[Period], areas=None) -> list[dict]:
    """Concerns raised in each of ``periods``: totals, by service, by status and by month.
    One query, grouped by period, service, status and month."""
    rows = (
        _in_areas(Concern.objects.filter(_any_period("raised_on", periods)), areas)
        .annotate(which=_which_period("raised_on", periods), month=TruncMonth("raised_on"))
        .values_list("which", "service", "status", "month")
        .annotate(count=Count("pk"), families=Sum("families"))
        .order_by()
    )
    found = [{"total": 0, "families": 0, "service": {}, "status": {}, "month": {}} for _ in periods]
    for which, service, status, month, count, families in rows:
        if which is None:
            continue
        into = found[which]
        into["total"] += count
        into["families"] += families or 0
        into["service"][service] = into["service"].get(service, 0) + count
        into["status"][status] = into["status"].get(status, 0) + count
        key = (month.year, month.month)
        into["month"][key] = into["month"].get(key, 0) + count
    return found


def _theme_counts(periods: list[Period], areas=None) -> list[list[dict]]:
    """For each of ``periods``, the concerns raised in it under each theme. One query.

    A merged theme counts under the theme it joined, so old records keep adding up; a
    concern under two themes that were merged counts once."""
    through = _in_areas(
        Concern.themes.through.objects.filter(_any_period("concern__raised_on", periods)),
        areas,
        "concern__area_id",
    )
    rows = (
        through.annotate(theme_key=Coalesce("theme__merged_into_id", "theme_id"))
        .values("theme_key")
        .annotate(
            theme_name=Max(Coalesce("theme__merged_into__name", "theme__name")),
            **{
                f"in_{i}": Count(
                    "concern_id",
                    distinct=True,
                    filter=Q(concern__raised_on__range=(p.start, p.end)),
                )
                for i, p in enumerate(periods)
            },
        )
        .order_by()
    )
    rows = list(rows)
    found = []
    for i in range(len(periods)):
        themes = [
            {"id": row["theme_key"], "label": row["theme_name"], "count": row[f"in_{i}"]}
            for row in rows
            if row[f"in_{i}"]
        ]
        themes.sort(key=lambda row: (-row["count"], row["label"]))
        found.append(themes)
    return found


def _figures_from(counts: dict, themes: list[dict]) -> dict:
    return {
        "total": counts["total"],
        "families": counts["families"],
        "by_theme": themes,
        "by_service": [
            {
                "code": code,
                "label": SERVICE_LABELS.get(code, "Not recorded"),
                "count": count,
            }
            for code, count in sorted(counts["service"].items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "by_status": [
            {"code": code, "label": label, "count": counts["status"].get(code, 0)}
            for code, label in Concern.Status.choices
        ],
    }


def _trend_from(counts: dict, period: Period) -> list[dict]:
    return [
        {
            "month": month,
            "label": f"{month:%b %Y}",
            "count": counts["month"].get((month.year, month.month), 0),
        }
        for month in period.months()
    ]


def concern_figures_for(periods: list[Period], areas=None) -> list[dict]:
    """``concern_figures`` of each of ``periods``, with its ``trend`` by month. 2 queries."""
    counts = _concern_counts(periods, areas)
    themes = _theme_counts(periods, areas)
    return [
        {**_figures_from(c, t), "trend": _trend_from(c, p)}
        for c, t, p in zip(counts, themes, periods, strict=True)
    ]


def concern_figures(period: Period, areas=None) -> dict:
    """Concerns raised in the period: totals, by theme, by service, by status. 2 queries."""
    figures = concern_figures_for([period], areas)[0]
    del figures["trend"]
    return figures


def concerns_by_month(period: Period, areas=None) -> list[dict]:
    """Concerns raised in each month the period touches (its first and last months cut to the
    period). One query."""
    return _trend_from(_concern_counts([period], areas)[0], period)


def escalation_figures_for(
    periods: list[Period], counted: dict | None = None, areas=None
) -> list[dict]:
    """For each of ``periods``: escalations made in it, those open at its end, those answered
    in it, and the median days from escalation to response for those answered. 2 queries,
    or 1 given ``counted`` (``escalation_counts`` already read with other counts)."""
    bounds = [_day_bounds(p) for p in periods]
    from ehcp.selectors import DaysBetween

    counts = counted if counted is not None else escalation_counts(periods, areas).read()

    answered_in = Q()
    which = []
    for i, (start_dt, end_dt) in enumerate(bounds):
        answered_in |= Q(responded_at__gte=start_dt, responded_at__lt=end_dt)
        which.append(When(responded_at__gte=start_dt, responded_at__lt=end_dt, then=Value(i)))
    waits: list[list[float]] = [[] for _ in periods]
    # The days waited are worked out by the database (DaysBetween): reading each pair of
    # timestamps into Python took longer than the query.
    for i, days in (
        _in_areas(Escalation.objects.filter(answered_in), areas)
        .annotate(
            which=Case(*which, output_field=IntegerField()),
            days=DaysBetween(F("responded_at"), F("escalated_at")),
        )
        .values_list("which", "days")
    ):
        if i is not None:
            waits[i].append(days)
    return [
        {
            "raised": counts[f"raised_{i}"],
            "open": counts[f"open_{i}"],
            "answered": counts[f"answered_{i}"],
            "median_days": median(waits[i]),
        }
        for i in range(len(periods))
    ]


def escalation_counts(periods: list[Period], areas=None) -> Counts:
    """The counts of ``escalation_figures_for`` (raised, open at the end, answered), to be
    read with others (send_portal.counts)."""
    aggregates = {}
    for i, (start_dt, end_dt) in enumerate(_day_bounds(p) for p in periods):
        aggregates[f"raised_{i}"] = Count(
            "pk", filter=Q(escalated_at__gte=start_dt, escalated_at__lt=end_dt)
        )
        aggregates[f"open_{i}"] = Count(
            "pk",
            filter=Q(escalated_at__lt=end_dt)
            & (Q(responded_at__isnull=True) | Q(responded_at__gte=end_dt)),
        )
        aggregates[f"answered_{i}"] = Count(
            "pk", filter=Q(responded_at__gte=start_dt, responded_at__lt=end_dt)
        )
    return Counts(_in_areas(Escalation.objects.all(), areas), aggregates)


def escalation_figures(period: Period, areas=None) -> dict:
    """Escalations made in the period, those open at its end, those answered in it, and the
    median days from escalation to response for those answered. 2 queries."""
    return escalation_figures_for([period], areas=areas)[0]


def _day_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


# --- Health's statutory performance (ehcp), meetings, the clinic -----------------------


def statutory_counts(periods: list[Period], areas=None) -> list[Counts]:
    """The one-row counts of ``statutory_figures_for``: advice in time and plans issued (both
    periods at once), then the annual reviews overdue at the end of each period."""
    from ehcp import selectors as ehcp

    spans = [(p.start, p.end) for p in periods]
    return [
        ehcp.advice_timeliness_counts(spans, areas),
        ehcp.plans_issued_counts(spans, areas),
        *(ehcp.annual_reviews_overdue_counts(p.end, areas) for p in periods),
    ]


def statutory_figures_for(
    periods: list[Period], counted: list | None = None, areas=None
) -> list[dict]:
    """Health's statutory figures for each of ``periods``, each table read once for all: 4
    queries, or 3 given ``counted`` (``statutory_counts`` already read with other counts)."""
    from ehcp import selectors as ehcp

    if counted is None:
        counted = read_together(*statutory_counts(periods, areas))
    advice, plans, *reviews = counted
    spans = [(p.start, p.end) for p in periods]
    sign_offs = ehcp.sign_offs_for(spans, areas)
    quality = ehcp.quality_for(spans, areas)
    return [
        _statutory(*figures)
        for figures in zip(advice, plans, sign_offs, quality, reviews, strict=True)
    ]


def _statutory(advice, plans, sign_offs, quality, reviews) -> dict:
    for row in quality["criteria"]:
        row["percent"] = percent(row["met"], row["rated"])
    return {
        "advice": deadline_figures(advice, "returned"),
        "plans": deadline_figures(plans, "issued"),
        "sign_offs": sign_offs,
        "quality": quality,
        "reviews": {
            **reviews,
            "percent_with_health_input": percent(reviews["with_health_input"], reviews["overdue"]),
        },
    }


def deadline_figures(counts: dict, counted: str) -> dict:
    """Advice or plans against their statutory deadline: the counts with the share in time,
    and in time or with an exception (and, where counted, with the exception cases left out,
    as England's published figure)."""
    figures = {
        **counts,
        "percent": percent(counts["on_time"], counts[counted]),
        "percent_with_exceptions": percent(counts["on_time_or_excepted"], counts[counted]),
    }
    if "without_exception" in counts:
        figures["percent_leaving_out"] = percent(
            counts["on_time_without_exception"], counts["without_exception"]
        )
    return figures


def statutory_figures(period: Period, areas=None) -> dict:
    return statutory_figures_for([period], areas=areas)[0]


def meeting_figures(period: Period, actions: dict | None = None, areas=None) -> dict:
    """Meetings held against planned, attendance, and actions done by their due date.
    ``actions``: ``actions_due_counts`` already read with other counts."""
    from meetings import selectors as meetings

    if actions is None:
        actions = meetings.actions_due_between(period.start, period.end, areas)
    attendance = meetings.attendance_between(period.start, period.end, areas)
    return {
        "held": meetings.meetings_held_between(period.start, period.end, areas),
        "attendance": [{"label": label, "count": count} for label, count in attendance.items()],
        "actions": {**actions, "percent": percent(actions["on_time"], actions["due"])},
    }


def clinic_figures(period: Period, counted: dict | None = None, areas=None) -> dict:
    """The Social Communication Clinic's figures (clinics.selectors.figures_between).
    ``counted``: ``referral_counts`` already read with other counts."""
    from clinics import selectors as clinics

    labels = dict(clinics.Outcome.choices)
    figures = clinics.figures_between(period.start, period.end, counts=counted, areas=areas)
    return {
        "referrals": figures["referrals"],
        "waiting": figures["waiting"],
        "started": figures["started"],
        "within": figures["within"],
        "percent_within": percent(figures["within"], figures["started"]),
        "median_weeks": figures["median_weeks"],
        "outcomes": [
            {"label": str(labels.get(k, k)), "count": v} for k, v in figures["outcomes"].items()
        ],
    }


def tribunal_counts(periods: list[Period], areas=None) -> list[Counts]:
    """The one-row counts of the Tribunal's health recommendations made in each period."""
    from tribunal import selectors as tribunal

    return [tribunal.recommendation_counts(p.start, p.end, areas) for p in periods]


def tribunal_figures(counted: dict) -> dict:
    """Appeals with health recommendations, responses sent within reg 6's 5 weeks (of the
    responses sent) and whether health followed them in full, in part or not."""
    return {
        **counted,
        "percent_in_time": percent(counted["responded_in_time"], counted["responded"]),
        "not_responded": counted["recommendations"] - counted["responded"],
    }


# --- The whole report -------------------------------------------------------------------


def build_report(
    period: Period,
    today: datetime.date | None = None,
    compare: str = COMPARE_BEFORE,
    *,
    areas,
) -> dict:
    """Every figure of the report for ``period``, beside the period it is compared with
    (``intelligence.periods``: the period before, or the same period a year earlier), of
    the areas ``areas`` (None: every area)."""
    today = today or timezone.localdate()
    before = period.compared_with(compare)
    # Each table is read once for the period and the one before (see concern_figures_for).
    current, previous = concern_figures_for([period, before], areas)
    trend = current.pop("trend")
    del previous["trend"]
    previous_themes = {row["id"]: row["count"] for row in previous["by_theme"]}
    for row in current["by_theme"]:
        row["before"] = previous_themes.get(row["id"], 0)
    previous_services = {row["code"]: row["count"] for row in previous["by_service"]}
    for row in current["by_service"]:
        row["before"] = previous_services.get(row["code"], 0)
    # The one-row counts of seven tables, for both periods, in one statement
    # (send_portal/counts.py); the figures that need rows or groups read their own.
    from clinics.selectors import referral_counts
    from meetings.selectors import actions_due_counts

    statutory_parts = statutory_counts([period, before], areas)
    *statutory_counted, escalations_counted, actions, referrals, tribunal, tribunal_before = (
        read_together(
            *statutory_parts,
            escalation_counts([period, before], areas),
            actions_due_counts(period.start, period.end, areas),
            referral_counts(period.start, period.end, areas),
            *tribunal_counts([period, before], areas),
        )
    )
    escalations, escalations_before = escalation_figures_for(
        [period, before], counted=escalations_counted, areas=areas
    )
    statutory, statutory_before = statutory_figures_for([period, before], statutory_counted, areas)
    emerging_on = min(today, period.end)
    return {
        "period": period,
        "before": before,
        "compare": compare,
        "concerns": current,
        "concerns_before": previous,
        "trend": trend,
        "emerging": emerging_themes(areas, emerging_on),
        "emerging_on": emerging_on,
        "emerging_rule": emerging_rule_text(),
        "escalations": escalations,
        "escalations_before": escalations_before,
        "statutory": statutory,
        "statutory_before": statutory_before,
        "meetings": meeting_figures(period, actions, areas),
        "clinic": clinic_figures(period, referrals, areas),
        "tribunal": tribunal_figures(tribunal),
        "tribunal_before": tribunal_figures(tribunal_before),
    }


# --- Caching the figures ------------------------------------------------------------------

#: How long a computed report is reused at most. Any saved change to the records the report
#: counts starts a new generation at once (in this process; another process's copy lives
#: out its time): a commissioner sees a concern logged a minute ago, and a repeated view of
#: a quarter costs no aggregate queries. Changes made in bulk (QuerySet.update) wait for it.
REPORT_CACHE_SECONDS = 300
_GENERATION_KEY = "intelligence:report:generation"

#: The models whose rows the figures count (app label, model name).
COUNTED_MODELS = (
    ("intelligence", "Concern"),
    ("intelligence", "Escalation"),
    ("intelligence", "Theme"),
    ("ehcp", "AdviceRequest"),
    ("ehcp", "Assessment"),
    ("ehcp", "ClockException"),
    ("ehcp", "SignOff"),
    ("ehcp", "QualityReview"),
    ("ehcp", "AnnualReview"),
    ("meetings", "Meeting"),
    ("meetings", "Attendance"),
    ("meetings", "Action"),
    ("clinics", "Referral"),
    ("tribunal", "Recommendation"),
)


def _generation() -> int:
    from django.core.cache import cache

    return cache.get_or_set(_GENERATION_KEY, 0, timeout=None)


def records_changed(**kwargs) -> None:
    """Signal receiver: a counted record was saved or deleted; later reports count afresh.

    The cache being out of reach (Redis down) must not stop the record being saved: the
    figures cached before then live out their REPORT_CACHE_SECONDS at most."""
    from django.core.cache import cache

    try:
        try:
            cache.incr(_GENERATION_KEY)
        except ValueError:
            cache.set(_GENERATION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 (any cache backend's connection error)
        logger.warning("report cache out of reach: figures not marked as changed")


def connect_cache_invalidation() -> None:
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for app_label, model_name in COUNTED_MODELS:
        if not apps.is_installed(app_label):
            continue
        model = apps.get_model(app_label, model_name)
        uid = f"intelligence-report-{app_label}-{model_name}"
        post_save.connect(records_changed, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(records_changed, sender=model, dispatch_uid=uid + "-delete")
    m2m_changed.connect(
        records_changed, sender=Concern.themes.through, dispatch_uid="intelligence-report-themes"
    )


def _cached(name: str, compute):
    """``compute()``, kept for REPORT_CACHE_SECONDS under ``name`` while no counted record
    changes; with the cache out of reach (Redis down), computed each time."""
    from django.core.cache import cache

    try:
        key = f"intelligence:{_generation()}:{name}"
        data = cache.get(key)
    except Exception:  # noqa: BLE001 (any cache backend's connection error)
        logger.warning("report cache out of reach: figures computed afresh")
        return compute()
    if data is None:
        data = compute()
        try:
            cache.set(key, data, timeout=REPORT_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("report cache out of reach: figures not kept")
    return data


def areas_key(areas) -> str:
    """The areas in a cache key: each set of areas' figures kept apart ("all" for every
    area)."""
    return "all" if areas is None else "-".join(str(pk) for pk in sorted(areas)) or "none"


def cached_report(
    period: Period,
    today: datetime.date | None = None,
    compare: str = COMPARE_BEFORE,
    *,
    areas,
) -> dict:
    """``build_report`` of the areas ``areas``, reused for REPORT_CACHE_SECONDS while no
    counted record changes. With the cache out of reach (Redis down), the figures are
    computed for each view."""
    today = today or timezone.localdate()
    return _cached(
        f"report:{areas_key(areas)}:{period.start}:{period.end}:{compare}:{today}",
        lambda: build_report(period, today, compare, areas=areas),
    )


def cached_emerging_themes(areas, today: datetime.date | None = None) -> list:
    """``emerging_themes`` of ``areas``, kept as the report's figures are: the concerns list
    shows them on every view, and a region's 15 months of theme links take tens of
    milliseconds."""
    today = today or timezone.localdate()
    return _cached(f"emerging:{areas_key(areas)}:{today}", lambda: emerging_themes(areas, today))
