"""Reads of appeals for the pages, the reminders, the home page's to-dos and the report."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from ehcp.selectors import children_visible_to, reachable_by
from roles.models import RoleCode, User
from roles.selectors import current_organisation_ids
from send_portal.counts import Counts
from tribunal.models import Appeal, EvidenceRequest, Recommendation, Witness


def appeals_visible_to(user: User) -> QuerySet[Appeal]:
    """The appeals ``user`` may see (tribunal/rules.py ``view_appeal``), as one query."""
    from tribunal.rules import is_commissioner, sees_every_child

    # An appeal belongs to its child's local area: another area's answers 404.
    appeals = reachable_by(user, Appeal, to_child="child__").select_related("child__area")
    if (is_commissioner | sees_every_child).test(user):
        return appeals
    ids = current_organisation_ids(user, RoleCode.HEALTH_PROFESSIONAL)
    return appeals.filter(
        Q(child__in=children_visible_to(user))
        | Exists(EvidenceRequest.objects.filter(appeal=OuterRef("pk"), provider_id__in=ids))
    )


def appeal_rows(appeals: QuerySet[Appeal], *, waiting: bool = False) -> QuerySet[Appeal]:
    """Appeals for a list: each with the next date evidence is due and the next date a
    response is due (None when nothing is waiting on health), in one query."""
    rows = appeals.annotate(
        next_evidence_due=Subquery(
            open_evidence_requests()
            .filter(appeal=OuterRef("pk"))
            .order_by("due_on")
            .values("due_on")[:1]
        ),
        next_response_due=Subquery(
            open_responses()
            .filter(appeal=OuterRef("pk"))
            .order_by("response_due")
            .values("response_due")[:1]
        ),
    )
    if waiting:
        rows = rows.filter(Q(next_evidence_due__isnull=False) | Q(next_response_due__isnull=False))
    return rows.order_by("-registered_on", "-pk")


def reachable_appeals(user: User) -> QuerySet[Appeal]:
    """Appeals of children in ``user``'s areas (all for someone not bound to areas, whose
    rules bound them): the pages fetch from here, so another area's id is not found."""
    return reachable_by(user, Appeal, to_child="child__")


def reachable(user: User, model) -> QuerySet:
    """Evidence requests, witnesses or recommendations of the appeals ``user`` reaches."""
    return reachable_by(user, model, to_child="appeal__child__")


def appeal_for_page(user: User, pk: int) -> Appeal:
    return reachable_appeals(user).select_related("child", "recorded_by").get(pk=pk)


def evidence_requests_for(appeal: Appeal) -> QuerySet[EvidenceRequest]:
    return appeal.evidence_requests.select_related("provider", "written_by")


def witnesses_for(appeal: Appeal) -> QuerySet[Witness]:
    return appeal.witnesses.all()


def recommendations_for(appeal: Appeal) -> QuerySet[Recommendation]:
    return appeal.recommendations.select_related("drafted_by", "approved_by")


def open_evidence_requests() -> QuerySet[EvidenceRequest]:
    return EvidenceRequest.objects.filter(sent_on__isnull=True)


def open_responses() -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(sent_on__isnull=True)


def appeals_waiting_on_health(user: User | None = None) -> QuerySet[Appeal]:
    """Appeals with evidence not yet sent or a response to a recommendation not yet sent;
    with ``user``, only those of the children in their areas."""
    appeals = Appeal.objects.all() if user is None else reachable_appeals(user)
    return appeals.filter(
        Exists(open_evidence_requests().filter(appeal=OuterRef("pk")))
        | Exists(open_responses().filter(appeal=OuterRef("pk")))
    )


def waiting_on_health_counts(user: User, today: datetime.date) -> Counts:
    """The home page's line: appeals waiting on health and how many are past a due date."""
    late_evidence = open_evidence_requests().filter(appeal=OuterRef("pk"), due_on__lt=today)
    late_response = open_responses().filter(appeal=OuterRef("pk"), response_due__lt=today)
    late = Exists(late_evidence) | Exists(late_response)
    return Counts(
        appeals_waiting_on_health(user),
        {"count": Count("*"), "late": Count("pk", filter=late)},
    )


def responses_to_approve_counts(user: User) -> Counts:
    return Counts(
        reachable(user, Recommendation).filter(drafted_at__isnull=False, approved_at__isnull=True),
        {"count": Count("*")},
        shape=lambda row: row["count"],
    )


def evidence_to_remind(today: datetime.date, days_ahead: int) -> list[EvidenceRequest]:
    """Open evidence requests due within ``days_ahead`` days, or overdue, with their
    provider (one query)."""
    return list(
        open_evidence_requests()
        .filter(due_on__lte=today + datetime.timedelta(days=days_ahead))
        .select_related("provider")
        # Whom to tell: the DCOs of the child's area.
        .annotate(area_id_of_child=F("appeal__child__area_id"))
    )


def responses_to_remind(today: datetime.date, days_ahead: int) -> list[Recommendation]:
    """Responses not yet sent whose 5 weeks end within ``days_ahead`` days, or have ended."""
    return list(
        open_responses()
        .filter(response_due__lte=today + datetime.timedelta(days=days_ahead))
        .annotate(area_id_of_child=F("appeal__child__area_id"))
    )


def responses_to_approve() -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(drafted_at__isnull=False, approved_at__isnull=True).annotate(
            area_id_of_child=F("appeal__child__area_id")
        )
    )


# --- The commissioner report ----------------------------------------------------------


def recommendation_counts(start: datetime.date, end: datetime.date, areas=None) -> Counts:
    """Health recommendations made in the period: the appeals they came from, the responses
    sent within reg 6's 5 weeks, and how many health follows in full, in part or not.
    ``areas``: of children in those local areas only (None: every area)."""
    made = Recommendation.objects.filter(made_on__gte=start, made_on__lte=end)
    if areas is not None:
        made = made.filter(appeal__child__area_id__in=sorted(areas))
    Response = Recommendation.Response
    return Counts(
        made,
        {
            "appeals": Count("appeal", distinct=True),
            "recommendations": Count("*"),
            "responded": Count("pk", filter=Q(sent_on__isnull=False)),
            "responded_in_time": Count(
                "pk", filter=Q(sent_on__isnull=False, sent_on__lte=F("response_due"))
            ),
            "followed": Count("pk", filter=Q(sent_on__isnull=False, response=Response.FOLLOW)),
            "followed_in_part": Count(
                "pk", filter=Q(sent_on__isnull=False, response=Response.FOLLOW_IN_PART)
            ),
            "not_followed": Count(
                "pk", filter=Q(sent_on__isnull=False, response=Response.NOT_FOLLOW)
            ),
        },
    )
