"""The figures of the commissioner feedback report, for a period and the period before.

Counted in the database (Count with filters, grouped by theme, service and month); a
median is taken in Python over one column of values, so the figures are the same on
SQLite and PostgreSQL. The number of queries is fixed: it does not grow with the number
of concerns, plans or meetings. Figures from other apps are read only through their
selectors; the Social Communication Clinic's only when the ``clinics`` app has them.

Nothing here names a person or quotes a summary: commissioners and governance readers
see this page, and it holds counts, themes and services only.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import statistics
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from intelligence.models import SERVICE_CHOICES, Concern, Escalation
from intelligence.selectors import emerging_rule_text, emerging_themes

SERVICE_LABELS = dict(SERVICE_CHOICES)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def before(self) -> Period:
        """The period of equal length that ends the day before this one starts."""
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)

    def months(self) -> list[datetime.date]:
        """The first day of every calendar month the period touches."""
        month = self.start.replace(day=1)
        found = []
        while month <= self.end:
            found.append(month)
            month += relativedelta(months=1)
        return found

    def __str__(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


class BadPeriod(ValueError):
    pass


def last_full_quarter(today: datetime.date) -> Period:
    """The last calendar quarter that has ended: on 24 Nov 2026, 1 Jul to 30 Sep 2026."""
    this_quarter = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    start = this_quarter - relativedelta(months=3)
    return Period(start, this_quarter - datetime.timedelta(days=1))


def period_from(params, today: datetime.date | None = None) -> Period:
    """The period asked for in GET ``start`` and ``end`` (ISO dates), else the last full
    quarter. Raises BadPeriod with a message for the page."""
    today = today or timezone.localdate()
    default = last_full_quarter(today)
    raw_start, raw_end = params.get("start", "").strip(), params.get("end", "").strip()
    if not raw_start and not raw_end:
        return default
    try:
        start = datetime.date.fromisoformat(raw_start) if raw_start else default.start
    except ValueError:
        raise BadPeriod("The start date must be a real date, for example 2026-07-01.") from None
    try:
        end = datetime.date.fromisoformat(raw_end) if raw_end else default.end
    except ValueError:
        raise BadPeriod("The end date must be a real date, for example 2026-09-30.") from None
    if end < start:
        raise BadPeriod("The end of the period must be the same as or after its start.")
    if (end - start).days > 366 * 5:
        raise BadPeriod("Choose a period of 5 years or less.")
    return Period(start, end)


def median(values) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def percent(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


# --- Concerns ---------------------------------------------------------------------------


def concern_figures(period: Period) -> dict:
    """Concerns raised in the period: totals, by theme, by service, by status. 4 queries."""
    concerns = Concern.objects.filter(raised_on__range=(period.start, period.end))
    totals = concerns.aggregate(concerns=Count("pk"), families=Coalesce(Sum("families"), 0))
    through = Concern.themes.through.objects.filter(
        concern__raised_on__range=(period.start, period.end)
    )
    # A merged theme counts under the theme it joined, so old records keep adding up.
    by_theme = (
        through.annotate(
            theme_key=Coalesce("theme__merged_into_id", "theme_id"),
            theme_name=Coalesce("theme__merged_into__name", "theme__name"),
        )
        .values("theme_key", "theme_name")
        .annotate(count=Count("concern_id", distinct=True))
        .order_by("-count", "theme_name")
    )
    by_service = (
        concerns.values("service").annotate(count=Count("pk")).order_by("-count", "service")
    )
    by_status = dict(concerns.values_list("status").annotate(count=Count("pk")).order_by())
    return {
        "total": totals["concerns"],
        "families": totals["families"],
        "by_theme": [
            {"id": row["theme_key"], "label": row["theme_name"], "count": row["count"]}
            for row in by_theme
        ],
        "by_service": [
            {
                "code": row["service"],
                "label": SERVICE_LABELS.get(row["service"], "Not recorded"),
                "count": row["count"],
            }
            for row in by_service
        ],
        "by_status": [
            {"code": code, "label": label, "count": by_status.get(code, 0)}
            for code, label in Concern.Status.choices
        ],
    }


def concerns_by_month(period: Period) -> list[dict]:
    """Concerns raised in each month the period touches (its first and last months cut to the
    period). One query."""
    rows = dict(
        Concern.objects.filter(raised_on__range=(period.start, period.end))
        .annotate(month=TruncMonth("raised_on"))
        .values_list("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(m.year, m.month): n for m, n in rows.items()}
    return [
        {
            "month": month,
            "label": f"{month:%b %Y}",
            "count": counts.get((month.year, month.month), 0),
        }
        for month in period.months()
    ]


def escalation_figures(period: Period) -> dict:
    """Escalations made in the period, those open at its end, those answered in it, and the
    median days from escalation to response for those answered. 2 queries."""
    start_dt, end_dt = _day_bounds(period)
    counts = Escalation.objects.aggregate(
        raised=Count("pk", filter=Q(escalated_at__gte=start_dt, escalated_at__lt=end_dt)),
        open=Count(
            "pk",
            filter=Q(escalated_at__lt=end_dt)
            & (Q(responded_at__isnull=True) | Q(responded_at__gte=end_dt)),
        ),
        answered=Count("pk", filter=Q(responded_at__gte=start_dt, responded_at__lt=end_dt)),
    )
    waits = Escalation.objects.filter(
        responded_at__gte=start_dt, responded_at__lt=end_dt
    ).values_list("escalated_at", "responded_at")
    counts["median_days"] = median(
        (answered - asked).total_seconds() / 86400 for asked, answered in waits
    )
    return counts


def _day_bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


# --- Health's statutory performance (ehcp), meetings, the clinic -----------------------


def statutory_figures(period: Period) -> dict:
    from ehcp import selectors as ehcp

    advice = ehcp.advice_timeliness_between(period.start, period.end)
    plans = ehcp.plans_issued_between(period.start, period.end)
    sign_offs = ehcp.sign_offs_between(period.start, period.end)
    quality = ehcp.quality_between(period.start, period.end)
    reviews = ehcp.annual_reviews_overdue_on(period.end)
    for row in quality["criteria"]:
        row["percent"] = percent(row["met"], row["rated"])
    return {
        "advice": {
            **advice,
            "percent": percent(advice["on_time"], advice["returned"]),
            "percent_with_exceptions": percent(advice["on_time_or_excepted"], advice["returned"]),
        },
        "plans": {
            **plans,
            "percent": percent(plans["on_time"], plans["issued"]),
            "percent_with_exceptions": percent(plans["on_time_or_excepted"], plans["issued"]),
        },
        "sign_offs": sign_offs,
        "quality": quality,
        "reviews": {
            **reviews,
            "percent_with_health_input": percent(reviews["with_health_input"], reviews["overdue"]),
        },
    }


def meeting_figures(period: Period) -> dict:
    from meetings import selectors as meetings

    actions = meetings.actions_due_between(period.start, period.end)
    return {
        "held": meetings.meetings_held_between(period.start, period.end),
        "attendance": [
            {"label": label, "count": count}
            for label, count in meetings.attendance_between(period.start, period.end).items()
        ],
        "actions": {**actions, "percent": percent(actions["on_time"], actions["due"])},
    }


CLINIC_FUNCTIONS = (
    "referrals_received",
    "waiting_list_size",
    "started_within_target",
    "median_weeks_referral_to_outcome",
    "outcomes_by_kind",
)


def _clinic_selectors():
    """The clinics app's selectors module, or None while it has no such module or functions."""
    try:
        if importlib.util.find_spec("clinics.selectors") is None:
            return None
    except (ImportError, ValueError):
        return None
    module = importlib.import_module("clinics.selectors")
    if not all(hasattr(module, name) for name in CLINIC_FUNCTIONS):
        return None
    return module


def clinic_figures(period: Period) -> dict | None:
    """The Social Communication Clinic's figures, or None when the clinics app has none yet."""
    clinics = _clinic_selectors()
    if clinics is None:
        return None
    started = clinics.started_within_target(period.start, period.end) or {}
    outcomes = clinics.outcomes_by_kind(period.start, period.end) or {}
    choices = getattr(clinics, "Outcome", None)
    labels = dict(choices.choices) if choices is not None else {}
    outcomes = [{"label": str(labels.get(k, k)), "count": v} for k, v in outcomes.items()]
    return {
        "referrals": clinics.referrals_received(period.start, period.end),
        "waiting": clinics.waiting_list_size(period.end),
        "started": started.get("started", 0),
        "within": started.get("within", 0),
        "percent_within": percent(started.get("within", 0), started.get("started", 0)),
        "median_weeks": clinics.median_weeks_referral_to_outcome(period.start, period.end),
        "outcomes": list(outcomes),
    }


# --- The whole report -------------------------------------------------------------------


def build_report(period: Period, today: datetime.date | None = None) -> dict:
    """Every figure of the report for ``period``, with the period before for comparison."""
    today = today or timezone.localdate()
    before = period.before()
    current = concern_figures(period)
    previous = concern_figures(before)
    previous_themes = {row["id"]: row["count"] for row in previous["by_theme"]}
    for row in current["by_theme"]:
        row["before"] = previous_themes.get(row["id"], 0)
    previous_services = {row["code"]: row["count"] for row in previous["by_service"]}
    for row in current["by_service"]:
        row["before"] = previous_services.get(row["code"], 0)
    emerging_on = min(today, period.end)
    return {
        "period": period,
        "before": before,
        "concerns": current,
        "concerns_before": previous,
        "trend": concerns_by_month(period),
        "emerging": emerging_themes(emerging_on),
        "emerging_on": emerging_on,
        "emerging_rule": emerging_rule_text(),
        "escalations": escalation_figures(period),
        "escalations_before": escalation_figures(before),
        "statutory": statutory_figures(period),
        "statutory_before": statutory_figures(before),
        "meetings": meeting_figures(period),
        "clinic": clinic_figures(period),
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
)


def _generation() -> int:
    from django.core.cache import cache

    return cache.get_or_set(_GENERATION_KEY, 0, timeout=None)


def records_changed(**kwargs) -> None:
    """Signal receiver: a counted record was saved or deleted; later reports count afresh."""
    from django.core.cache import cache

    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, timeout=None)


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


def cached_report(period: Period, today: datetime.date | None = None) -> dict:
    """``build_report``, reused for REPORT_CACHE_SECONDS while no counted record changes."""
    from django.core.cache import cache

    today = today or timezone.localdate()
    key = f"intelligence:report:{_generation()}:{period.start}:{period.end}:{today}"
    data = cache.get(key)
    if data is None:
        data = build_report(period, today)
        cache.set(key, data, timeout=REPORT_CACHE_SECONDS)
    return data
