"""Read queries for concerns, themes and escalations (the report's figures are in report.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from intelligence.models import Concern, Escalation, ReportPack, Theme
from roles.models import User
from roles.selectors import areas_of
from send_portal.counts import Counts

# Concerns and escalations belong to a local area; only people working in it reach them
# (``areas``: the ids of the areas a list is for, roles.selectors.areas_of(user), read with
# the user). Another area's id answers 404, as if it did not exist. Themes are shared
# across the ICB (one vocabulary); what is counted under them is the areas' own.


def concerns_in_my_areas(user: User) -> QuerySet[Concern]:
    """The concerns of the areas ``user`` works in: what a concern's pages read from."""
    return Concern.objects.filter(area_id__in=areas_of(user))


def concerns_visible_to(user: User) -> QuerySet[Concern]:
    """The concerns of the user's areas for the DCO and the Clinical Lead; a SENDIASS
    officer's own there otherwise."""
    from intelligence.rules import sees_all_intelligence

    concerns = (
        concerns_in_my_areas(user)
        .select_related("logged_by", "provider", "area")
        .prefetch_related("themes")
    )
    if sees_all_intelligence.test(user):
        return concerns
    return concerns.filter(logged_by=user)


def active_themes() -> QuerySet[Theme]:
    return Theme.objects.filter(is_active=True, merged_into__isnull=True)


#: The emerging-theme rule, written once and shown on the page.
EMERGING_RULE = (
    "A theme is emerging when, in the last 3 months, it was raised at least "
    "{minimum} times and its average per month was at least {factor:g} times its average "
    "per month over the 12 months before (or it was never raised in those 12 months)."
)
EMERGING_MINIMUM = 3
EMERGING_FACTOR = 1.5


@dataclass(frozen=True)
class EmergingTheme:
    theme: Theme
    recent: int  # concerns in the last 3 months
    earlier: int  # concerns in the 12 months before

    @property
    def recent_monthly(self) -> float:
        return self.recent / 3

    @property
    def earlier_monthly(self) -> float:
        return self.earlier / 12


def emerging_rule_text() -> str:
    return EMERGING_RULE.format(minimum=EMERGING_MINIMUM, factor=EMERGING_FACTOR)


def emerging_themes(areas, today: datetime.date | None = None) -> list[EmergingTheme]:
    """Themes markedly above their usual level (EMERGING_RULE) in the areas ``areas``,
    counted in the database.

    Counted over the theme links of the last 15 months' concerns only (the raised_on index
    finds them), not over every concern ever linked to each theme. One query.
    """
    today = today or timezone.localdate()
    recent_from = today - relativedelta(months=3)
    earlier_from = recent_from - relativedelta(months=12)
    # The filter on the linked concerns comes before the counts, so the counts are over
    # the same (filtered) links.
    in_period = Q(concerns__raised_on__gt=earlier_from, concerns__raised_on__lte=today)
    if areas is not None:  # None: every area (the tools and tests)
        in_period &= Q(concerns__area_id__in=sorted(areas))
    themes = (
        active_themes()
        .filter(in_period)
        .annotate(
            recent=Count("concerns", filter=Q(concerns__raised_on__gt=recent_from)),
            earlier=Count("concerns", filter=Q(concerns__raised_on__lte=recent_from)),
        )
    )
    flagged = []
    for theme in themes:
        item = EmergingTheme(theme, theme.recent, theme.earlier)
        if item.recent < EMERGING_MINIMUM:
            continue
        if item.earlier == 0 or item.recent_monthly >= EMERGING_FACTOR * item.earlier_monthly:
            flagged.append(item)
    return sorted(flagged, key=lambda e: e.recent, reverse=True)


def escalations(areas) -> QuerySet[Escalation]:
    """The escalations of the areas ``areas``."""
    return (
        Escalation.objects.filter(area_id__in=list(areas))
        .select_related("concern", "theme", "escalated_by", "responded_by", "area")
        .prefetch_related("concern__themes")
    )


def escalations_waiting(areas) -> QuerySet[Escalation]:
    """Escalations of ``areas`` nobody has answered yet, the longest waiting first."""
    return escalations(areas).filter(responded_at__isnull=True).order_by("escalated_at", "pk")


def escalations_waiting_counts(areas) -> Counts:
    """How many escalations of ``areas`` wait for the ICB's answer, to be read with other
    counts."""
    return Counts(
        Escalation.objects.filter(responded_at__isnull=True, area_id__in=list(areas)),
        {"count": Count("*")},
        shape=lambda row: row["count"],
    )


def you_said_we_did(areas) -> QuerySet[Escalation]:
    """Answered escalations of ``areas``: what was raised and what was done. Anonymous by
    construction."""
    return escalations(areas).filter(responded_at__isnull=False).order_by("-responded_at")


def report_pack_for(user: User, pack_id) -> ReportPack | None:
    """The governance pack ``pack_id`` if ``user`` may see it (rules.py: only the person who
    asked for it), else None, as if it did not exist. One query."""
    pack = ReportPack.objects.select_related("area").filter(pk=pack_id).first()
    if pack is None or not user.has_perm("intelligence.see_report_pack", pack):
        return None
    return pack
