"""Read queries for clinic pages and the commissioner report (intelligence calls these).

The report functions aggregate in the database and each runs a fixed number of queries.
Periods are inclusive dates (``start`` to ``end``), by the date a referral was received
unless said otherwise.
"""

from __future__ import annotations

import datetime
import statistics

from django.db.models import Count, F, Q, QuerySet

from clinics import statutory
from clinics.models import Appointment, Outcome, Referral
from roles.selectors import areas_of
from send_portal.counts import Counts

# Referrals and appointments belong to their child's local area, copied onto each row
# (an indexed column: the lists and the figures filter on it without joining the children).
# ``areas``: the ids of the areas a list or figure is for (roles.selectors.areas_of(user),
# read with the user); None counts every area (the tools and the tests only). A page reads
# its record among the person's areas: another area's id answers 404.


def _in_areas(rows: QuerySet, areas) -> QuerySet:
    return rows if areas is None else rows.filter(area_id__in=sorted(areas))


def referrals_in_my_areas(user) -> QuerySet[Referral]:
    return Referral.objects.filter(area_id__in=areas_of(user))


def appointments_in_my_areas(user) -> QuerySet[Appointment]:
    return Appointment.objects.filter(area_id__in=areas_of(user))


def referral_list(areas) -> QuerySet[Referral]:
    return (
        _in_areas(Referral.objects.all(), areas)
        .select_related("child", "area")
        .order_by("received_on", "pk")
    )


def referral_for_page(pk: int) -> Referral:
    return Referral.objects.select_related("child", "triaged_by").get(pk=pk)


def appointments_for_referral(referral: Referral) -> QuerySet[Appointment]:
    return referral.appointments.prefetch_related("clinicians").order_by("starts_at")


def appointment_list(areas) -> QuerySet[Appointment]:
    return (
        _in_areas(Appointment.objects.all(), areas)
        .select_related("child", "area")
        .prefetch_related("clinicians")
    )


def appointment_for_page(pk: int) -> Appointment:
    return (
        Appointment.objects.select_related("child", "referral")
        .prefetch_related("clinicians")
        .get(pk=pk)
    )


def appointment_for_concern(pk: int, user) -> Appointment | None:
    """The appointment a concern is passed on from (intelligence reads only its date, kind
    and area), among those of ``user``'s areas."""
    return appointments_in_my_areas(user).filter(pk=pk).first()


def _waiting_on(on: datetime.date) -> Q:
    """Accepted onto the waiting list by ``on`` and not yet started assessment on ``on``."""
    return (
        Q(accepted_on__isnull=False, accepted_on__lte=on)
        & (Q(assessment_started_on__isnull=True) | Q(assessment_started_on__gt=on))
        & ~Q(status=Referral.Status.SIGNPOSTED)
    )


def referrals_received(start: datetime.date, end: datetime.date, areas=None) -> int:
    """Referrals received in the period. One query."""
    return _in_areas(Referral.objects.filter(received_on__range=(start, end)), areas).count()


def awaiting_triage_counts(areas) -> Counts:
    """Referrals of ``areas`` received and not yet triaged (the home page's to-do), to be
    read with other counts (send_portal.counts)."""
    return Counts(
        _in_areas(Referral.objects.filter(status=Referral.Status.AWAITING_TRIAGE), areas),
        {"count": Count("*")},
        shape=lambda row: row["count"],
    )


def waiting_list_size(on: datetime.date, areas=None) -> int:
    """Children on the waiting list on that day: accepted at triage by then and not yet started
    assessment (referrals awaiting triage are not on the list yet). One query."""
    return _in_areas(Referral.objects.filter(_waiting_on(on)), areas).count()


def started_within_target(start: datetime.date, end: datetime.date, areas=None) -> dict:
    """Of the referrals received in the period, how many have started assessment and how many
    started within NICE CG128's 3 months (on or before ``assessment_due_by``). The report
    shows ``within / started`` as the percentage. One query."""
    received = _in_areas(Referral.objects.filter(received_on__range=(start, end)), areas)
    counts = received.aggregate(
        started=Count("pk", filter=Q(assessment_started_on__isnull=False)),
        within=Count(
            "pk",
            filter=Q(
                assessment_started_on__isnull=False,
                assessment_started_on__lte=F("assessment_due_by"),
            ),
        ),
    )
    return {"started": counts["started"] or 0, "within": counts["within"] or 0}


def median_weeks_referral_to_outcome(
    start: datetime.date, end: datetime.date, areas=None
) -> float | None:
    """Median weeks from referral to outcome, of the outcomes recorded in the period.
    One query (the pairs of dates, ordered in the database)."""
    pairs = _in_areas(
        Referral.objects.filter(outcome_on__range=(start, end), outcome_on__isnull=False), areas
    ).values_list("received_on", "outcome_on")
    weeks = [(outcome_on - received).days / 7 for received, outcome_on in pairs]
    if not weeks:
        return None
    return round(statistics.median(weeks), 1)


def outcomes_by_kind(start: datetime.date, end: datetime.date, areas=None) -> dict[str, int]:
    """Outcomes recorded in the period, by kind (every kind present, zero if none). One query."""
    rows = (
        _in_areas(Referral.objects.filter(outcome_on__range=(start, end)), areas)
        .exclude(outcome="")
        .values("outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = dict.fromkeys(Outcome.values, 0)
    result.update({row["outcome"]: row["n"] for row in rows})
    return result


def referral_counts(start: datetime.date, end: datetime.date, areas=None) -> Counts:
    """The counts of ``figures_between`` (referrals, waiting, started, within), to be read
    with others (send_portal.counts)."""
    received = Q(received_on__range=(start, end))
    started = Q(assessment_started_on__isnull=False)
    return Counts(
        _in_areas(Referral.objects.all(), areas),
        {
            "referrals": Count("pk", filter=received),
            "waiting": Count("pk", filter=_waiting_on(end)),
            "started": Count("pk", filter=received & started),
            "within": Count(
                "pk",
                filter=received & started & Q(assessment_started_on__lte=F("assessment_due_by")),
            ),
        },
    )


def figures_between(
    start: datetime.date, end: datetime.date, counts: dict | None = None, areas=None
) -> dict:
    """The commissioner report's figures in two queries, the same as the five functions
    above: ``referrals`` (referrals_received), ``waiting`` (waiting_list_size on ``end``),
    ``started`` and ``within`` (started_within_target), ``median_weeks``
    (median_weeks_referral_to_outcome) and ``outcomes`` (outcomes_by_kind).

    ``counts``: ``referral_counts`` already read (with the report's other counts), which
    leaves one query."""
    if counts is None:
        counts = referral_counts(start, end, areas).read()
    outcomes = dict.fromkeys(Outcome.values, 0)
    weeks = []
    for received_on, outcome_on, outcome in _in_areas(
        Referral.objects.filter(outcome_on__range=(start, end)), areas
    ).values_list("received_on", "outcome_on", "outcome"):
        weeks.append((outcome_on - received_on).days / 7)
        if outcome:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return {
        **{key: counts[key] or 0 for key in ("referrals", "waiting", "started", "within")},
        "median_weeks": round(statistics.median(weeks), 1) if weeks else None,
        "outcomes": outcomes,
    }


def weeks_to_outcome_by_area(start: datetime.date, end: datetime.date, areas) -> dict:
    """For each local area of ``areas``: the weeks from referral to outcome of each referral
    given its outcome between ``start`` and ``end`` (the ICB's page takes each area's median
    and the whole's). One query, whatever the number of areas."""
    found: dict[int, list[float]] = {}
    for area, received_on, outcome_on in _in_areas(
        Referral.objects.filter(outcome_on__range=(start, end)), areas
    ).values_list("area_id", "received_on", "outcome_on"):
        found.setdefault(area, []).append((outcome_on - received_on).days / 7)
    return found


def longest_waits(on: datetime.date, limit: int = 5, areas=None) -> list[dict]:
    """The longest waits on the list on that day, without names: referral id, date received,
    weeks waited and NICE target status. One query."""
    rows = (
        _in_areas(Referral.objects.filter(_waiting_on(on)), areas)
        .order_by("received_on", "pk")
        .values("pk", "received_on", "assessment_due_by")[:limit]
    )
    return [
        {
            "referral_id": row["pk"],
            "received_on": row["received_on"],
            "weeks_waited": statutory.weeks_waited(row["received_on"], on),
            "breaching": on > row["assessment_due_by"],
        }
        for row in rows
    ]


def longest_waits_named(on: datetime.date, areas, limit: int = 5) -> list[dict]:
    """The longest waits for the clinic's own waiting list: as ``longest_waits`` with the
    child's name and the reason for referral, which only people who may see referrals are
    shown (the figures page keeps to ``longest_waits``). One query (the child joined)."""
    referrals = (
        _in_areas(Referral.objects.filter(_waiting_on(on)), areas)
        .select_related("child")
        .only(
            "received_on",
            "assessment_due_by",
            "reason",
            "child__first_name",
            "child__last_name",
        )
        .order_by("received_on", "pk")[:limit]
    )
    return [
        {
            "referral_id": referral.pk,
            "child_name": referral.child.full_name,
            "reason": referral.reason,
            "received_on": referral.received_on,
            "weeks_waited": statutory.weeks_waited(referral.received_on, on),
            "breaching": on > referral.assessment_due_by,
        }
        for referral in referrals
    ]


def appointments_to_remind(now: datetime.datetime, within: datetime.timedelta):
    """Booked appointments starting in the next ``within`` with a family contact email."""
    return list(
        Appointment.objects.filter(
            status=Appointment.Status.BOOKED, starts_at__gt=now, starts_at__lte=now + within
        )
        # The area names the service in the family's email (clinics.tasks).
        .select_related("referral", "area")
        .order_by("starts_at")
    )
