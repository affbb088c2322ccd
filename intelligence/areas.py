"""The ICB's page: the figures of each local area a reader may see, side by side and in
total, for a period and the period it is compared with.

Each measure is read once for every area (grouped by the area in the database), so the
page makes the same number of queries for two areas as for thirteen: the areas' names,
advice, plans, sign-offs, quality grades, annual reviews overdue at the end of each period,
concerns, their themes, and the clinic's referrals and waits. A median is taken in Python
over one column of values, per area and over all of them (the whole's median is not the
median of the areas' medians).

Counts, themes and services only, as the commissioner report: no child is named.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from intelligence.models import Concern
from intelligence.national_figures import PLANS_WITHIN_20_WEEKS
from intelligence.periods import Period
from intelligence.report import _cached, areas_key, deadline_figures, median, percent
from send_portal.counts import Counts

PERIODS = ("now", "before")


def _median(values) -> float | None:
    """The report's median, to one decimal place."""
    middle = median(values)
    return None if middle is None else round(middle, 1)


def _concern_counts(periods: list[Period], areas) -> Counts:
    aggregates = {
        f"raised_{i}": Count("pk", filter=Q(raised_on__range=(p.start, p.end)))
        for i, p in enumerate(periods)
    }
    return Counts(
        Concern.objects.filter(area_id__in=sorted(areas)),
        aggregates,
        shape=lambda counts: [counts[f"raised_{i}"] for i in range(len(periods))],
    )


def _themes_by_area(period: Period, areas) -> dict[int, Counter]:
    """For each area: the concerns raised in ``period`` under each theme (a merged theme
    counts under the one it joined). One query."""
    rows = (
        Concern.themes.through.objects.filter(
            concern__area_id__in=sorted(areas),
            concern__raised_on__range=(period.start, period.end),
        )
        .annotate(theme_name=Coalesce("theme__merged_into__name", "theme__name"))
        .values_list("concern__area_id", "theme_name")
        .annotate(n=Count("concern_id", distinct=True))
        .order_by()
    )
    found: dict[int, Counter] = {}
    for area, theme, n in rows:
        found.setdefault(area, Counter())[theme] += n
    return found


def _commonest(themes: Counter | None) -> dict | None:
    if not themes:
        return None
    name, count = min(themes.items(), key=lambda item: (-item[1], item[0]))
    return {"name": name, "count": count}


def _sum(rows: list[dict]) -> dict:
    total: dict = {}
    for row in rows:
        for key, value in row.items():
            total[key] = total.get(key, 0) + value
    return total


def _quality(grades: dict[str, int]) -> dict:
    from ehcp.models import QualityReview

    reviewed = sum(grades.values())
    good = grades.get(QualityReview.Grade.OUTSTANDING, 0) + grades.get(QualityReview.Grade.GOOD, 0)
    return {"reviewed": reviewed, "good_or_better": good, "percent": percent(good, reviewed)}


def compare_areas(period: Period, before: Period, areas) -> dict:
    """Each area of ``areas`` (ids) and all of them together, for ``period`` and ``before``:
    a fixed number of queries, whatever the number of areas."""
    from clinics import selectors as clinics
    from ehcp import selectors as ehcp
    from ehcp.models import AdviceRequest, AnnualReview, Assessment
    from roles.selectors import names_of_areas

    periods = [period, before]
    spans = [(p.start, p.end) for p in periods]
    named = names_of_areas(areas)
    ids = [pk for pk, _ in named]
    if not ids:  # someone who works in no area today: nothing to count, no whole
        return {"areas": [], "total": None, "rows": [], "england": PLANS_WITHIN_20_WEEKS}

    advice_counts = ehcp.advice_timeliness_counts(spans, ids)
    advice = advice_counts.read_by(ehcp.area_field(AdviceRequest))
    plan_counts = ehcp.plans_issued_counts(spans, ids, leaving_out_exceptions=True)
    plans = plan_counts.read_by(ehcp.area_field(Assessment))
    sign_offs = ehcp.sign_off_days_by_area(spans, ids)
    grades = ehcp.quality_grades_by_area(spans, ids)
    review_counts = [ehcp.annual_reviews_overdue_counts(p.end, ids) for p in periods]
    reviews = [c.read_by(ehcp.area_field(AnnualReview)) for c in review_counts]
    concern_counts = _concern_counts(periods, ids)
    concerns = concern_counts.read_by("area_id")
    themes = _themes_by_area(period, ids)
    clinic_counts = [clinics.referral_counts(p.start, p.end, ids) for p in periods]
    clinic = [c.read_by("area_id") for c in clinic_counts]
    weeks = [clinics.weeks_to_outcome_by_area(p.start, p.end, ids) for p in periods]

    def raw(pk) -> dict:
        """What was read for one area, before any percentage or median."""
        return {
            "advice": advice.get(pk, advice_counts.zeros()),
            "plans": plans.get(pk, plan_counts.zeros()),
            "days": sign_offs.get(pk, [[] for _ in periods]),
            "grades": grades.get(pk, [{} for _ in periods]),
            "reviews": [
                found.get(pk, c.zeros()) for found, c in zip(reviews, review_counts, strict=True)
            ],
            "concerns": concerns.get(pk, concern_counts.zeros()),
            "clinic": [
                found.get(pk, c.zeros()) for found, c in zip(clinic, clinic_counts, strict=True)
            ],
            "weeks": [found.get(pk, []) for found in weeks],
            "themes": themes.get(pk, Counter()),
        }

    each = {pk: raw(pk) for pk in ids}
    rows = [{"id": pk, "name": name, **_shape(each[pk])} for pk, name in named]
    total = {
        "name": "All areas",
        "is_total": True,
        **_shape(_pooled(list(each.values()), len(periods))),
    }
    return {
        "areas": rows,
        "total": total,
        # A table's rows: each area, then the whole when there is more than one.
        "rows": [*rows, total] if len(rows) > 1 else rows,
        "england": PLANS_WITHIN_20_WEEKS,
    }


def _pooled(raws: list[dict], how_many: int) -> dict:
    """Every area's counts added and values (days, weeks) put together: the whole's median
    is taken over all of them, not from the areas' medians."""

    def added(key):
        return [_sum([r[key][i] for r in raws]) for i in range(how_many)]

    def joined(key):
        return [[v for r in raws for v in r[key][i]] for i in range(how_many)]

    themes: Counter = Counter()
    for r in raws:
        themes.update(r["themes"])
    return {
        "advice": added("advice"),
        "plans": added("plans"),
        "days": joined("days"),
        "grades": added("grades"),
        "reviews": added("reviews"),
        "concerns": [sum(r["concerns"][i] for r in raws) for i in range(how_many)],
        "clinic": added("clinic"),
        "weeks": joined("weeks"),
        "themes": themes,
    }


def _shape(raw: dict) -> dict:
    shaped = {
        name: {
            "advice": deadline_figures(raw["advice"][i], "returned"),
            "plans": deadline_figures(raw["plans"][i], "issued"),
            "sign_offs": {
                "signed_off": len(raw["days"][i]),
                "median_days": _median(raw["days"][i]),
            },
            "quality": _quality(raw["grades"][i]),
            "reviews": raw["reviews"][i],
            "concerns": {"raised": raw["concerns"][i]},
            "clinic": {**raw["clinic"][i], "median_weeks": _median(raw["weeks"][i])},
        }
        for i, name in enumerate(PERIODS)
    }
    shaped["now"]["concerns"]["commonest_theme"] = _commonest(raw["themes"])
    return shaped


def cached_comparison(
    period: Period, before: Period, areas, today: datetime.date, compare: str
) -> dict:
    """``compare_areas``, kept as the report's figures are (intelligence.report._cached)."""
    return _cached(
        f"areas:{areas_key(areas)}:{period.start}:{period.end}:{compare}:{today}",
        lambda: compare_areas(period, before, areas),
    )
