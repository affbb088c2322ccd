"""How the commissioner feedback report shows to its viewer: its charts, the links from its
figures (only to lists the viewer may open), the other comparison and the exports."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from intelligence import charts
from intelligence.periods import COMPARE_BEFORE, COMPARE_YEAR_EARLIER
from intelligence.report import Period


def report_page(data: dict, user, period: Period, compare: str) -> dict:
    """What the report's page shows beyond the figures in ``data``."""
    dates = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    year_earlier = compare == COMPARE_YEAR_EARLIER
    return {
        "compared_heading": compared_heading(compare),
        "charts": report_charts(data),
        # A {% table %} caption is one value: the count it carries is put in here.
        "quality_caption": (
            f"Quality reviews by grade ({data['statutory']['quality']['reviews']} in all)"
        ),
        "links": report_links(user, period),
        "start": dates["start"],
        "end": dates["end"],
        "other_comparison": {
            "label": "Compare with the period before"
            if year_earlier
            else "Compare with the same period a year earlier",
            "url": reverse("intelligence:report")
            + "?"
            + urlencode(
                {**dates, "compare": COMPARE_BEFORE if year_earlier else COMPARE_YEAR_EARLIER}
            ),
        },
        "csv_url": reverse("intelligence:concerns-csv") + "?" + urlencode(dates),
        "areas_url": areas_url(user, dates, compare),
    }


def areas_url(user, dates: dict, compare: str) -> str | None:
    """The same period on the ICB's page, for someone who works in more than one area and
    may compare them (intelligence/areas.py)."""
    from roles.selectors import areas_of

    if len(areas_of(user)) < 2 or not user.has_perm("intelligence.compare_areas"):
        return None
    return reverse("intelligence:areas") + "?" + urlencode({**dates, "compare": compare})


def report_links(user, period: Period) -> dict:
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


def compared_heading(compare: str) -> str:
    """The heading of the column of figures compared with."""
    return "A year earlier" if compare == COMPARE_YEAR_EARLIER else "Period before"


def status_history(records) -> list:
    """A concern's history as the changes of its status, newest first. Its themes are saved
    just after the concern is made, in a history row of their own with the status unchanged,
    which read as the concern being logged twice ("New", "New")."""
    kept, previous = [], None
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        if previous is None or record.status != previous.status:
            kept.append(record)
        previous = record
    return kept[::-1]
