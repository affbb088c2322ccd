"""Read queries for EHC plan pages, reminders and (later) the commissioner reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import MD5, Cast
from django.utils import timezone

from ehcp.models import (
    AdviceRequest,
    AnnualReview,
    Assessment,
    CaseChange,
    Child,
    ClockException,
    CommissionerAgreement,
    Plan,
    QualityResult,
    QualityReview,
    SectionsVersion,
    SignOff,
    SignOffAcknowledgement,
    SignOffReturn,
)
from roles.models import Organisation, RoleCode, User
from roles.selectors import (
    areas_of,
    current_organisation_ids,
    current_role_codes,
    names_of,
    works_in_areas,
)
from send_portal.counts import Counts
from send_portal.prepared_reads import PreparedRead

HistoricalPlan = Plan.history.model

# --- Local areas: what a person reaches -----------------------------------------------------

#: The way from each record to its child: a record belongs to its child's local area.
TO_CHILD = {
    Child: "",
    Assessment: "child__",
    Plan: "assessment__child__",
    AdviceRequest: "assessment__child__",
    ClockException: "assessment__child__",
    SectionsVersion: "plan__assessment__child__",
    SignOff: "version__plan__assessment__child__",
    AnnualReview: "plan__assessment__child__",
    QualityReview: "plan__assessment__child__",
}

#: The way from each record to its local area's id: the child's area, carried on the
#: assessment, the plan and the advice request themselves (set from the child, never
#: changed), so that one area's rows are read from indexes led by the area, with no join to
#: the child; the records below them reach it in one step.
AREA_OF = {
    Child: "area_id",
    Assessment: "area_id",
    Plan: "area_id",
    AdviceRequest: "area_id",
    ClockException: "assessment__area_id",
    SectionsVersion: "plan__area_id",
    SignOff: "version__plan__area_id",
    AnnualReview: "plan__area_id",
    QualityReview: "plan__area_id",
}


@dataclass(frozen=True)
class Reach:
    """What a person reaches of children's records, as plain values (``reach_of``).

    ``areas``: the ids of the local areas whose children they reach, in order; ``None`` for
    someone not bounded by area (a provider's health professional only, an administrator:
    their own rules bound them). ``asked_of``: the organisations, as a provider's health
    professional, whose requests' children they reach as well, in order.
    """

    areas: tuple[int, ...] | None
    asked_of: tuple[int, ...] = ()


def reach_of(user: User) -> Reach:
    """What ``user`` reaches today (see ``reachable_by``): from their roles, areas and
    organisations, read with the user on every page."""
    if not works_in_areas(user):
        return Reach(areas=None)
    asked_of = ()
    if RoleCode.HEALTH_PROFESSIONAL in current_role_codes(user):
        organisations = current_organisation_ids(user, RoleCode.HEALTH_PROFESSIONAL)
        asked_of = tuple(sorted(pk for pk in organisations if pk is not None))
    return Reach(areas=tuple(sorted(areas_of(user))), asked_of=asked_of)


def reachable_by(user: User, records, to_child: str | None = None) -> QuerySet:
    """``records`` (a queryset, or a model) kept to what ``user`` reaches by local area: for
    someone whose roles are held in areas, the records of children in their areas (and, if
    they are also a provider's health professional, of children with a request to their
    organisation); for anyone else unchanged, their own rules bounding them (a health
    professional: their organisation's requests; an administrator: nothing clinical).

    Every selector that lists or fetches children's records goes through here (or through
    ``within``, with the person's ``reach_of``), and every page fetches its record from it,
    so another area's id answers 404 as if it did not exist. ``to_child``: the lookup path
    to the child (``TO_CHILD`` by default, or e.g. ``"child__"`` for a Tribunal appeal).
    """
    return within(reach_of(user), records, to_child)


def within(reach: Reach, records, to_child: str | None = None) -> QuerySet:
    """``records`` (a queryset, or a model) kept to ``reach``: the one place the rule of
    ``reachable_by`` is written, for a read prepared once for every person
    (``send_portal.prepared_reads``), which is given the person's reach as values."""
    queryset = records.all() if isinstance(records, QuerySet) else records._default_manager.all()
    if reach.areas is None:
        return queryset
    prefix = TO_CHILD[queryset.model] if to_child is None else to_child
    area = AREA_OF[queryset.model] if to_child is None else f"{to_child}area_id"
    bound = Q(**{f"{area}__in": reach.areas})
    if reach.asked_of:
        asked = AdviceRequest.objects.filter(provider_id__in=reach.asked_of).values(
            "assessment__child_id"
        )
        bound |= Q(**{f"{prefix}pk__in" if prefix else "pk__in": asked})
    return queryset.filter(bound)


def in_areas(records, areas) -> QuerySet:
    """``records`` (a queryset or a model of ``AREA_OF``) of children in ``areas`` (ids of
    local areas); ``None`` keeps every area (the tests and the tools). The report's figures
    are of the areas its reader may see (intelligence/report.py)."""
    queryset = records.all() if isinstance(records, QuerySet) else records._default_manager.all()
    if areas is None:
        return queryset
    return queryset.filter(**{f"{AREA_OF[queryset.model]}__in": sorted(areas)})


def area_field(model) -> str:
    """The lookup from a record of ``model`` (one of ``AREA_OF``) to its local area's id:
    what the ICB's page groups each area's figures by."""
    return AREA_OF[model]


def reachable_getter(model, attr_name: str = "pk", related: tuple[str, ...] = ()):
    """For ``permission_required(fn=...)``: the record the page names, fetched from what the
    person reaches (``reachable_by``): 404 for another area's id, before any rule is asked.

    Fetched once per request: the page calls the same getter for its record and is given the
    object the rule was asked about, with ``related`` joined, instead of asking again."""
    from django.shortcuts import get_object_or_404

    from send_portal.page_records import fetched_once

    # With the way to the child, whom every such page names (the rules read the record's
    # area from the record or the one above it).
    to_child = TO_CHILD[model].removesuffix("__")
    joins = [path for path in (to_child, *related) if path]

    def getter(request, *args, **kwargs):
        pk = kwargs[attr_name]

        def fetch():
            records = reachable_by(request.user, model)
            if joins:
                records = records.select_related(*joins)
            return get_object_or_404(records, pk=pk)

        return fetched_once(request, (model, pk, tuple(joins)), fetch)

    return getter


def children_visible_to(user: User) -> QuerySet[Child]:
    """Every child for the roles that see every plan; for a health professional, only the
    children with a request to one of their organisations."""
    children = reachable_by(user, Child)
    if not _sees_every_plan(user):
        ids = current_organisation_ids(user, RoleCode.HEALTH_PROFESSIONAL)
        children = children.filter(
            Exists(
                AdviceRequest.objects.filter(assessment__child=OuterRef("pk"), provider_id__in=ids)
            )
        )
    return children


def _sees_every_plan(user: User) -> bool:
    from ehcp.rules import sees_every_plan

    return sees_every_plan.test(user)


def advice_requests_visible_to(user: User) -> QuerySet[AdviceRequest]:
    requests = reachable_by(user, AdviceRequest).select_related(
        "assessment__child", "area", "provider", "requested_by"
    )
    if _sees_every_plan(user):
        return requests
    return requests.filter(
        provider_id__in=current_organisation_ids(user, RoleCode.HEALTH_PROFESSIONAL)
    )


def _checklist_covers_text(plan_ref: str = "pk") -> Exists:
    """A quality checklist was run on the plan's sections since their text last changed.

    The one rule for "the checklist has been run on what the DMO signs": a checklist
    recorded after the last edit of sections C and G covers the text sent for sign-off
    (sending it freezes the text, so nothing can change it after).
    """
    return Exists(
        QualityReview.objects.filter(plan=OuterRef(plan_ref)).filter(
            Q(reviewed_at__gte=OuterRef("last_edited_at")) | Q(plan__last_edited_at__isnull=True)
        )
    )


def checklist_run(plan: Plan) -> bool:
    """Whether a quality checklist covers the plan's current text (see above)."""
    return Plan.objects.filter(pk=plan.pk).filter(_checklist_covers_text()).exists()


def open_sign_off_findings(version: SectionsVersion) -> list:
    """The open quality findings of ``version`` that the DMO must acknowledge to sign it
    (``quality.sign_off_findings``): the review page and the sign-off service both ask here."""
    from ehcp.quality import sign_off_findings

    return sign_off_findings(version.section_c, version.section_g, checklist_run(version.plan))


def plans_waiting(user: User) -> QuerySet[Plan]:
    """Plans ``user`` reaches that wait for medical sign-off, the nearest statutory deadline
    first (overdue first): the queue's plans to filter and count, without its columns."""
    return _plans_waiting_within(reach_of(user))


def _plans_waiting_within(reach: Reach) -> QuerySet[Plan]:
    return (
        within(reach, Plan)
        .filter(status__in=Plan.WAITING_FOR_SIGN_OFF)
        .order_by("assessment__final_plan_due", "submitted_at", "pk")
    )


def with_queue_columns(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """``plans`` (from ``plans_waiting``, filtered or not) with what a queue row shows: each
    carries ``waiting_version`` (the newest version), the child and the assessment, and
    ``open_advice`` — in a fixed number of queries however long the queue.

    Kept apart from ``plans_waiting`` so that the queue's paginator counts the plain
    queryset: counting the annotated one cost about 1 ms more of Django's time to build,
    for the same ``COUNT(*)`` (the annotations are dropped from it).
    """
    newest = SectionsVersion.objects.filter(plan=OuterRef("pk")).order_by("-number")
    return (
        plans.select_related("assessment__child", "area")
        # Only what a row shows (``sign_off_queue.html``): no section text in the rows
        # sorted for the page, and a quarter of the columns to load into models (about
        # 1 ms less for a page of 25). A row reading another field would cost a query
        # each: the queue's query ceilings fail then.
        .only(
            "status",
            "area__name",
            "assessment__final_plan_due",
            "assessment__final_issued_on",
            "assessment__child__first_name",
            "assessment__child__last_name",
            "assessment__child__primary_need",
        )
        .annotate(
            open_advice=Exists(
                AdviceRequest.objects.filter(
                    assessment=OuterRef("assessment"), submitted_at__isnull=True
                )
            ),
            latest_quality_grade=QualityReview.objects.filter(plan=OuterRef("pk"))
            .order_by("-reviewed_at")
            .values("grade")[:1],
            waiting_version_id=newest.values("pk")[:1],
            waiting_version_number=newest.values("number")[:1],
            waiting_version_hash=newest.values("content_hash")[:1],
            checklist_run=_checklist_covers_text(),
        )
    )


def sign_off_queue(user: User) -> QuerySet[Plan]:
    """Plans waiting for medical sign-off with the queue's columns, the nearest statutory
    deadline first (overdue first)."""
    return with_queue_columns(plans_waiting(user))


def queue_page_rows(plans: QuerySet[Plan], page) -> list[Plan]:
    """The rows of ``page`` (a page of ``Paginator(plans)``, ``plans`` from
    ``plans_waiting``): those plans with the queue's columns and their quality status."""
    if not page.paginator.count:
        return []
    rows = with_queue_columns(plans)[page.start_index() - 1 : page.end_index()]
    return with_quality_status(list(rows))


def sign_off_queue_page(user: User, filtered: QuerySet[Plan] | None, number, per_page: int):
    """Page ``number`` (as given: Django's paginator makes sense of it) of the sign-off
    queue: of ``filtered`` (``plans_waiting`` through the queue's filters), or with None of
    every plan waiting that ``user`` reaches, each row with the queue's columns and its
    quality status (``queue_page_rows``).

    The queue unfiltered is what the DMO opens many times a day: its count and its rows are
    read by SQL prepared once per process for everyone who reaches as many areas (and
    providers' organisations), given the person's own as values, instead of building and
    compiling the same two statements on every view (about a sixth of the page's work)."""
    reach = reach_of(user)
    if filtered is not None or reach.areas is None:
        plans = _plans_waiting_within(reach) if filtered is None else filtered
        page = Paginator(plans, per_page).get_page(number)
        page.object_list = queue_page_rows(plans, page)
        return page
    page = Paginator(_WaitingWithin(reach), per_page).get_page(number)
    page.object_list = with_quality_status(page.object_list)
    return page


_WAITING_BY_STATUS = PreparedRead(
    lambda areas, asked_of: (
        _plans_waiting_within(Reach(areas, asked_of))
        .order_by()
        .values("status")
        .annotate(count=Count("*"))
    )
)
_QUEUE_ROWS = PreparedRead(
    lambda areas, asked_of, start, stop: with_queue_columns(
        _plans_waiting_within(Reach(areas, asked_of))
    )[start:stop]
)


def providers_asked_for_advice(user: User) -> list[Organisation]:
    """The organisations asked for advice at least once about a child ``user`` reaches (their
    areas' children: another area's providers are not offered), by name: what the lists of
    plans and requests may be filtered by. Read by SQL prepared once per process for
    everyone who reaches as many areas, as the queue's rows are."""
    reach = reach_of(user)
    if reach.areas is None:
        return list(_providers_asked_within(reach))
    return _PROVIDERS_ASKED.read(reach.areas, reach.asked_of)


def _providers_asked_within(reach: Reach) -> QuerySet[Organisation]:
    # A semi-join on the provider index, not a join of every request made DISTINCT (a
    # region has hundreds of thousands of requests).
    asked = within(reach, AdviceRequest).filter(provider=OuterRef("pk"))
    return Organisation.objects.filter(Exists(asked)).order_by("name", "pk")


_PROVIDERS_ASKED = PreparedRead(
    lambda areas, asked_of: _providers_asked_within(Reach(areas, asked_of))
)


@dataclass(frozen=True)
class _WaitingWithin:
    """The plans waiting that ``reach`` reaches, as Django's paginator asks for them: their
    count, and a page of them with the queue's columns."""

    reach: Reach

    def count(self) -> int:
        rows = _WAITING_BY_STATUS.read(self.reach.areas, self.reach.asked_of)
        return sum(row["count"] for row in rows)

    def __getitem__(self, page: slice) -> list[Plan]:
        if page.start >= page.stop:
            return []
        return _QUEUE_ROWS.read(
            self.reach.areas, self.reach.asked_of, start=page.start, stop=page.stop
        )


#: The automatic findings of sent sections, by the SHA-256 of their text. Findings follow
#: from the text alone (``quality.sections_findings``) and a sent version's text is frozen
#: (``SectionsVersion.save`` refuses a change, PostgreSQL's trigger too), so each process
#: works them out once per text instead of on every view of the queue: its page then reads
#: no section text at all. Bounded: emptied when full. A text altered behind the portal's
#: back keeps the findings of what was first read under its hash; the review page works
#: them out afresh and warns that the text no longer matches its hash.
_FINDINGS_BY_HASH: dict[str, list] = {}
FINDINGS_KEPT = 4096


def with_quality_status(plans: list[Plan]) -> list[Plan]:
    """Give each plan of a queue page (from ``sign_off_queue``) its ``open_findings``: the
    open quality findings of the version waiting, the texts not yet known read in one query
    for the whole page."""
    from ehcp.quality import open_findings, sections_findings

    waiting = {plan.waiting_version_id: plan.waiting_version_hash for plan in plans}
    waiting.pop(None, None)
    unknown = {pk for pk, digest in waiting.items() if digest not in _FINDINGS_BY_HASH}
    if unknown and len(_FINDINGS_BY_HASH) + len(unknown) > FINDINGS_KEPT:
        # Full: start again with this page's texts, every one of them read now.
        _FINDINGS_BY_HASH.clear()
        unknown = set(waiting)
    if unknown:
        for version in SectionsVersion.objects.filter(pk__in=unknown).only(
            "section_c", "section_g", "content_hash"
        ):
            _FINDINGS_BY_HASH[version.content_hash] = sections_findings(
                version.section_c, version.section_g
            )
    for plan in plans:
        found = (
            _FINDINGS_BY_HASH.get(plan.waiting_version_hash) if plan.waiting_version_id else None
        )
        plan.open_findings = [] if found is None else open_findings(found, plan.checklist_run)
    return plans


#: What the plan page reads of the plan, its child, each version sent for sign-off, its
#: sign-off and the ICB's agreement, each return and each quality review (the rules, the
#: hash checks of ``SectionsVersion.text_intact`` and ``services.agreement_refusal``
#: among it), and of each person named, their name. Each column left out is one Django
#: need not build, fill and convert on every view of the page: the signatures' attestation
#: text, the rest of six people's accounts. A field read that is left out costs a query a
#: record, which the page's query counts catch (ehcp/tests/test_plan_page_reads.py, on a
#: record with every part; load_data/tests/test_query_counts.py, at two data sizes).
_PLAN_AS_SHOWN = (
    "area_id",
    "status",
    "section_c",
    "section_g",
    "edit_count",
    "last_edited_at",
    "assessment__child__first_name",
    "assessment__child__last_name",
    "assessment__child__date_of_birth",
    "assessment__child__area_id",
    *names_of("last_edited_by"),
)
_VERSION_AS_SHOWN = (
    "plan_id",
    "number",
    "section_c",
    "section_g",
    "content_hash",
    "submitted_at",
    "sign_off__version_id",
    "sign_off__role_name",
    "sign_off__registration_number",
    "sign_off__signed_at",
    "sign_off__text_hash",
    "commissioner_agreement__version_id",
    "commissioner_agreement__organisation_name",
    "commissioner_agreement__agreed_at",
    *names_of("submitted_by", "sign_off__signed_by", "commissioner_agreement__agreed_by"),
)
_RETURN_AS_SHOWN = ("version_id", "returned_at", "comments", *names_of("returned_by"))
_REVIEW_AS_SHOWN = ("plan_id", "reviewed_at", "grade", *names_of("reviewed_by"))


@dataclass(frozen=True)
class PlanRecords:
    """Everything the plan page shows of one plan, read in six plain queries.

    The versions come newest first, each with its sign-off, ICB agreement and the people who
    sent, signed and agreed it; ``returns`` holds each version's returns (by version id,
    oldest first) and ``acknowledgements`` each sign-off's acknowledged findings (by sign-off
    id, in the order they were listed); ``saves`` the working copy's saves for the timeline.
    They are read by the plan's id, not through Django's prefetching, whose machinery (a
    queryset cloned and filtered by the ids of the objects before it, then matched back) cost
    about as much again as the queries themselves; and with their SQL compiled once per
    process, which was as much again.
    """

    plan: Plan
    versions: list[SectionsVersion]
    returns: dict[int, list[SignOffReturn]]
    acknowledgements: dict[int, list[SignOffAcknowledgement]]
    quality_reviews: list[QualityReview]
    saves: list  # of the working copy: ``plan_saves``


# The plan page's reads by the plan's id, their SQL compiled once per process
# (send_portal/prepared_reads.py): the same on every view but for the id.
_VERSIONS_OF_PLAN = PreparedRead(
    lambda plan_id: (
        SectionsVersion.objects.filter(plan_id=plan_id)
        .select_related("submitted_by", "sign_off__signed_by", "commissioner_agreement__agreed_by")
        .only(*_VERSION_AS_SHOWN)
        .order_by("-number")
    )
)
_RETURNS_OF_PLAN = PreparedRead(
    lambda plan_id: (
        SignOffReturn.objects.filter(version__plan_id=plan_id)
        .select_related("returned_by")
        .only(*_RETURN_AS_SHOWN)
        .order_by("returned_at", "pk")
    )
)
_ACKNOWLEDGEMENTS_OF_PLAN = PreparedRead(
    lambda plan_id: SignOffAcknowledgement.objects.filter(
        sign_off__version__plan_id=plan_id
    ).order_by("sign_off", "position")
)
# The saves of the working copy (django-simple-history), oldest first. Which saves changed a
# section is told by the texts' MD5, worked out in the database: the texts themselves (each
# save holds both in full) are not read, nor the other columns of a save, nor more of the
# person who saved it than their name. Read through the historical model's own manager, not
# ``plan.history``: that descriptor builds a new manager class each time it is used.
_SAVES_OF_PLAN = PreparedRead(
    lambda plan_id: (
        HistoricalPlan.objects.filter(id=plan_id)
        .select_related("history_user")
        .only("history_date", "status", *names_of("history_user"))
        .annotate(
            section_c_md5=MD5("section_c"),
            section_g_md5=MD5(Cast("section_g", output_field=TextField())),
        )
        .order_by("history_date")
    )
)
_QUALITY_REVIEWS_OF_PLAN = PreparedRead(
    lambda plan_id: (
        QualityReview.objects.filter(plan_id=plan_id)
        .select_related("reviewed_by")
        .only(*_REVIEW_AS_SHOWN)
    )
)


def _plan_as_shown(reach: Reach, pk: int) -> QuerySet[Plan]:
    return (
        within(reach, Plan)
        .filter(pk=pk)
        .select_related("assessment__child", "last_edited_by")
        .only(*_PLAN_AS_SHOWN)
    )


_PLAN_ON_PAGE = PreparedRead(lambda pk, areas, asked_of: _plan_as_shown(Reach(areas, asked_of), pk))


def plan_for_page(user: User, pk: int) -> PlanRecords:
    """A plan ``user`` reaches with everything its page shows (Plan.DoesNotExist for another
    area's). The page lists each quality review's grade, not its ratings: those are not
    read."""
    reach = reach_of(user)
    if reach.areas is None:
        plan = _plan_as_shown(reach, pk).get()
    else:
        # Its SQL prepared once per process for everyone who reaches as many areas.
        found = _PLAN_ON_PAGE.read(pk, reach.areas, reach.asked_of)
        if not found:
            raise Plan.DoesNotExist("No plan with this id in the person's areas.")
        (plan,) = found
    versions = _VERSIONS_OF_PLAN.read(plan.pk)
    returns: dict[int, list[SignOffReturn]] = {}
    acknowledgements: dict[int, list[SignOffAcknowledgement]] = {}
    if versions:
        for returned in _RETURNS_OF_PLAN.read(plan.pk):
            returns.setdefault(returned.version_id, []).append(returned)
        if any(getattr(version, "sign_off", None) is not None for version in versions):
            for acknowledgement in _ACKNOWLEDGEMENTS_OF_PLAN.read(plan.pk):
                acknowledgements.setdefault(acknowledgement.sign_off_id, []).append(acknowledgement)
    return PlanRecords(
        plan=plan,
        versions=versions,
        returns=returns,
        acknowledgements=acknowledgements,
        quality_reviews=_QUALITY_REVIEWS_OF_PLAN.read(plan.pk),
        saves=plan_saves(plan.pk),
    )


def plan_saves(plan_id: int) -> list:
    """Each save of a plan's working copy, oldest first, with its time, status, who saved it
    and the MD5 of each section's text (``section_c_md5``, ``section_g_md5``)."""
    return _SAVES_OF_PLAN.read(plan_id)


def plan_for_quality_review(user: User, pk: int) -> Plan:
    """A plan ``user`` reaches with each past quality review's ratings against the criteria,
    which the quality checklist's page shows beside the working copy (Plan.DoesNotExist for
    another area's). The versions sent for sign-off are not on that page: not read."""
    return (
        reachable_by(user, Plan)
        .select_related("assessment__child", "last_edited_by")
        .prefetch_related(
            Prefetch(
                "quality_reviews",
                queryset=QualityReview.objects.select_related("reviewed_by").prefetch_related(
                    Prefetch("results", queryset=QualityResult.objects.select_related("criterion"))
                ),
            )
        )
        .get(pk=pk)
    )


def advice_for_assessment(assessment: Assessment) -> QuerySet[AdviceRequest]:
    return assessment.advice_requests.select_related("provider", "submitted_by").order_by(
        "requested_on", "pk"
    )


def plans_waiting_count(user: User) -> int:
    return plans_waiting_counts(user).read()


def plans_waiting_counts(user: User) -> Counts:
    """How many plans ``user`` reaches wait for medical sign-off, to be read with other
    counts."""
    return Counts(
        plans_waiting(user).order_by(),
        {"count": Count("*")},
        shape=lambda row: row["count"],
    )


def plans_awaiting_agreement(user: User) -> QuerySet[Plan]:
    """Plans whose newest version the DMO has signed off and the ICB has not yet agreed
    (Children and Families Act 2014 s42: once agreed, the ICB must secure the health
    provision), the longest waiting first.

    Each plan carries the child, ``signed_version_id``, ``signed_version_number`` and
    ``signed_at``; a page of them takes a fixed number of queries.
    """
    newest = SectionsVersion.objects.filter(plan=OuterRef("pk")).order_by("-number")
    return (
        # A plan is "signed off" only while its newest version is the signed one: a new
        # version sends it back to the sign-off queue.
        reachable_by(user, Plan)
        .filter(status=Plan.Status.SIGNED_OFF)
        .select_related("assessment__child")
        .defer("section_c", "section_g")
        .annotate(
            signed_version_id=newest.values("pk")[:1],
            signed_version_number=newest.values("number")[:1],
            signed_at=newest.values("sign_off__signed_at")[:1],
        )
        .filter(_newest_version_not_agreed())
        .order_by("signed_at", "pk")
    )


def _newest_version_not_agreed():
    newest = SectionsVersion.objects.filter(plan=OuterRef(OuterRef("pk"))).order_by("-number")
    return ~Exists(
        CommissionerAgreement.objects.filter(
            version__plan=OuterRef("pk"), version__number=Subquery(newest.values("number")[:1])
        )
    )


def plans_awaiting_agreement_counts(user: User) -> Counts:
    """How many plans wait for the ICB's agreement (as ``plans_awaiting_agreement``), to be
    read with other counts."""
    return Counts(
        reachable_by(user, Plan)
        .filter(status=Plan.Status.SIGNED_OFF)
        .filter(_newest_version_not_agreed()),
        {"count": Count("*")},
        shape=lambda row: row["count"],
    )


def plans_returned(user: User) -> QuerySet[Plan]:
    """Plans the DMO returned for amendment and nobody has sent again, the longest waiting
    first. Each plan carries the child, ``returned_at`` and ``returned_version_number``; a
    page of them takes a fixed number of queries."""
    newest_return = SignOffReturn.objects.filter(version__plan=OuterRef("pk")).order_by(
        "-returned_at", "-pk"
    )
    return (
        reachable_by(user, Plan)
        .filter(status=Plan.Status.RETURNED)
        .select_related("assessment__child")
        .defer("section_c", "section_g")
        .annotate(
            returned_at=newest_return.values("returned_at")[:1],
            returned_version_number=newest_return.values("version__number")[:1],
        )
        .order_by("returned_at", "pk")
    )


def people_to_tell_of_a_return(version: SectionsVersion) -> list[User]:
    """Who hears that the DMO returned ``version``: its author and every current Clinical
    Lead of the child's area (who answers for the health sections of its plans), each once,
    active only."""
    from roles.selectors import current_holders

    people = {version.submitted_by_id: version.submitted_by}
    area_id = version.plan.area_id
    for lead in current_holders(RoleCode.CLINICAL_LEAD, area_id=area_id):
        people.setdefault(lead.pk, lead)
    return [person for person in people.values() if person.is_active]


def plans_waiting_by_area() -> dict[int, int]:
    """{area id: how many plans wait for medical sign-off there}, in one query: each DMO's
    morning count is the sum over their areas."""
    rows = (
        Plan.objects.filter(status__in=Plan.WAITING_FOR_SIGN_OFF)
        .values("area")
        .annotate(n=Count("*"))
        .order_by()
    )
    return {row["area"]: row["n"] for row in rows}


def plans_returned_count(user: User) -> int:
    return plans_returned_counts(user).read()


def plans_returned_counts(user: User) -> Counts:
    """How many plans wait to be amended after a return, to be read with other counts."""
    return Counts(
        reachable_by(user, Plan).filter(status=Plan.Status.RETURNED),
        {"count": Count("*")},
        shape=lambda row: row["count"],
    )


def open_advice_counts(user: User, today: datetime.date) -> Counts:
    """The open requests for advice ``user`` sees, and how many are overdue."""
    return Counts(
        advice_requests_visible_to(user).filter(submitted_at__isnull=True),
        {
            # Counting the due date (never empty), not the id: the index of open requests
            # by due date alone answers.
            "open": Count("due_on"),
            "overdue": Count("due_on", filter=Q(due_on__lt=today)),
        },
    )


def latest_sign_off(plan: Plan) -> SignOff | None:
    return (
        SignOff.objects.filter(version__plan=plan)
        .select_related("version", "signed_by")
        .order_by("-signed_at")
        .first()
    )


def annual_reviews_due(
    within: datetime.timedelta = datetime.timedelta(weeks=8), today: datetime.date | None = None
) -> QuerySet[AnnualReview]:
    """Reviews not yet held that are overdue or due within ``within`` (8 weeks by default)."""
    today = today or timezone.localdate()
    return (
        AnnualReview.objects.filter(meeting_on__isnull=True, due_on__lte=today + within)
        .select_related("plan__assessment__child")
        .order_by("due_on")
    )


#: The annual reviews list shows reviews not yet held that fall due within this time.
REVIEWS_DUE_WITHIN = datetime.timedelta(weeks=8)


def annual_reviews_outstanding(
    user: User, today: datetime.date | None = None
) -> QuerySet[AnnualReview]:
    """The annual reviews worklist, with the child, in one query.

    First the reviews not yet held (no meeting, or a meeting booked for a later day) that
    are overdue or due within 8 weeks, earliest due first; then the reviews held whose
    decision, or amended plan, is still outstanding, earliest meeting first. Each row
    carries ``is_held``.
    """
    from django.db.models import Case, F, Q, Value, When

    today = today or timezone.localdate()
    held = Q(meeting_on__lte=today)
    due_soon_not_held = ~held & Q(due_on__lte=today + REVIEWS_DUE_WITHIN)
    outcome_outstanding = held & (
        Q(decided_on__isnull=True)
        | Q(decision=AnnualReview.Decision.AMEND, amended_plan_final_on__isnull=True)
    )
    return (
        reachable_by(user, AnnualReview)
        .filter(due_soon_not_held | outcome_outstanding)
        .select_related("plan__assessment__child")
        .annotate(
            is_held=Case(When(held, then=Value(True)), default=Value(False)),
            sort_on=Case(When(held, then=F("meeting_on")), default=F("due_on")),
        )
        .order_by("is_held", "sort_on", "pk")
    )


def annual_review_for_page(user: User, pk: int) -> AnnualReview:
    """One annual review ``user`` reaches, with its plan, assessment and child (raises
    DoesNotExist, for another area's too)."""
    return reachable_by(user, AnnualReview).select_related("plan__assessment__child").get(pk=pk)


def next_annual_review(review: AnnualReview) -> AnnualReview | None:
    """The review of the same plan that follows ``review``, if one has been scheduled."""
    return (
        AnnualReview.objects.filter(plan_id=review.plan_id, due_on__gt=review.due_on)
        .order_by("due_on")
        .first()
    )


def advice_for_annual_review(review: AnnualReview) -> QuerySet[AdviceRequest]:
    return review.advice_requests.select_related("provider").order_by("requested_on", "pk")


def advice_requests_to_remind(today: datetime.date, days_before: int) -> list[AdviceRequest]:
    """Open advice requests that are due within ``days_before`` days, or overdue."""
    return list(
        AdviceRequest.objects.open()
        .filter(due_on__lte=today + datetime.timedelta(days=days_before))
        .select_related("provider")
        .order_by("due_on", "pk")
    )


# --- Quality assurance, printing and the ICB's agreement ----------------------------


def active_quality_criteria() -> list:
    """The audit criteria a QA review rates today, in the order they are shown."""
    from ehcp.models import QualityCriterion

    return list(QualityCriterion.objects.filter(is_active=True).order_by("display_order", "pk"))


def version_for_print(user: User, pk: int) -> SectionsVersion:
    """A frozen version ``user`` reaches with its child, sign-off and ICB agreement, in one
    query (DoesNotExist for another area's).

    ``latest_number`` is the newest version number of the same plan, so a page can say
    when a newer version exists.
    """
    newest = SectionsVersion.objects.filter(plan=OuterRef("plan")).order_by("-number")
    return (
        reachable_by(user, SectionsVersion)
        .select_related(
            "plan__assessment__child",
            "submitted_by",
            "sign_off__signed_by",
            "commissioner_agreement__agreed_by",
        )
        .annotate(latest_number=newest.values("number")[:1])
        .prefetch_related("sign_off__acknowledgements")
        .get(pk=pk)
    )


def advice_timeliness_for(periods) -> list[dict[str, int]]:
    """``advice_timeliness_between`` for each (start, end) of ``periods``, in one query (the
    report shows a period beside the one before it)."""
    return advice_timeliness_counts(periods).read()


def advice_timeliness_counts(periods, areas=None) -> Counts:
    """The counts of ``advice_timeliness_for``, to be read with others (send_portal.counts)."""
    from ehcp.models import ClockException

    excepted = ClockException.objects.filter(
        applies_to=ClockException.AppliesTo.HEALTH_ADVICE, advice_request__isnull=False
    ).values("advice_request_id")
    return _deadline_counts(
        in_areas(AdviceRequest, areas),
        "returned_on",
        "due_on",
        excepted,
        periods,
        counted="returned",
    )


def advice_timeliness_between(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Health advice returned between ``start`` and ``end`` (inclusive): how many, how many
    within 6 weeks, and how many within 6 weeks or with a reg 8(2) exception recorded.

    For the commissioner reports, which show timeliness with and without exceptions.
    Three counts in one query.
    """
    return advice_timeliness_for([(start, end)])[0]


def _any_of(field: str, periods):
    """``field`` falls in one of ``periods``. Periods that meet (the report's period and the
    one before it) become one range, which an index walks as one range instead of reading
    all of it to test each row against each period."""
    from django.db.models import Q

    ranges: list[list[datetime.date]] = []
    for start, end in sorted(periods):
        if ranges and start <= ranges[-1][1] + datetime.timedelta(days=1):
            ranges[-1][1] = max(ranges[-1][1], end)
        else:
            ranges.append([start, end])
    found = Q()
    for start, end in ranges:
        found |= Q(**{f"{field}__range": (start, end)})
    return found


def _deadline_counts(
    rows, done_on: str, due_on: str, excepted, periods, *, counted: str, leaving_out=False
) -> Counts:
    """For each (start, end) of ``periods``, in one query: how many ``rows`` were done in it
    (``counted``), how many by their due date, and how many by it or with a recorded
    exception (``excepted``: a values() queryset of the ids that have one).

    "IN (the excepted ids)": the database hashes the few exceptions once, where a correlated
    EXISTS inside the FILTER would be probed for every row counted."""
    from django.db.models import Count, F, Q

    on_time = Q(**{f"{done_on}__lte": F(due_on)})
    aggregates = {}
    for i, (start, end) in enumerate(periods):
        within = Q(**{f"{done_on}__range": (start, end)})
        aggregates[f"{counted}_{i}"] = Count("pk", filter=within)
        aggregates[f"on_time_{i}"] = Count("pk", filter=within & on_time)
        aggregates[f"on_time_or_excepted_{i}"] = Count(
            "pk", filter=within & (on_time | Q(pk__in=excepted))
        )
        if leaving_out:
            # As England's published figure counts: the cases with an exception left out.
            aggregates[f"without_exception_{i}"] = Count("pk", filter=within & ~Q(pk__in=excepted))
            aggregates[f"on_time_without_exception_{i}"] = Count(
                "pk", filter=within & on_time & ~Q(pk__in=excepted)
            )
    names = (counted, "on_time", "on_time_or_excepted")
    if leaving_out:
        names += ("without_exception", "on_time_without_exception")
    return Counts(
        rows.filter(_any_of(done_on, periods)),
        aggregates,
        shape=lambda counts: _split(counts, names, len(periods)),
    )


def _split(counts: dict, names, how_many: int) -> list[dict]:
    return [{name: counts[f"{name}_{i}"] for name in names} for i in range(how_many)]


# --- SEND Panel cases (read by the meetings app) ----------------------------------------


@dataclass(frozen=True)
class PanelCaseSummary:
    """What a SEND Panel agenda shows about one case: the child, the statutory due date of
    the final plan, and how the health advice for the assessment stands."""

    assessment_id: int
    child_id: int
    child_name: str
    council_reference: str
    final_plan_due: datetime.date
    advice_requested: int
    advice_returned: int
    advice_overdue: int

    @property
    def reference(self) -> str:
        """The case's reference without the child's name, for people who may not see them."""
        return self.council_reference or f"assessment {self.assessment_id}"

    @property
    def advice_status(self) -> str:
        if not self.advice_requested:
            return "No health advice requested"
        text = f"{self.advice_returned} of {self.advice_requested} returned"
        if self.advice_overdue:
            text += f", {self.advice_overdue} overdue"
        return text


def panel_case_summaries(
    assessment_ids, today: datetime.date | None = None
) -> dict[int, PanelCaseSummary]:
    """The summary of each assessment in ``assessment_ids`` (by id), in one query however
    many cases. Advice counted is the assessment's own (not annual-review advice); it is
    overdue when not returned by its due date (reg 8(1): 6 weeks)."""
    from django.db.models import Count, Q

    ids = {pk for pk in assessment_ids if pk}
    if not ids:
        return {}
    today = today or timezone.localdate()
    for_assessment = Q(advice_requests__annual_review__isnull=True)
    assessments = (
        Assessment.objects.filter(pk__in=ids)
        .select_related("child")
        .annotate(
            advice_requested=Count("advice_requests", filter=for_assessment),
            advice_returned=Count(
                "advice_requests",
                filter=for_assessment & Q(advice_requests__returned_on__isnull=False),
            ),
            advice_overdue=Count(
                "advice_requests",
                filter=for_assessment
                & Q(advice_requests__returned_on__isnull=True, advice_requests__due_on__lt=today),
            ),
        )
    )
    return {
        a.pk: PanelCaseSummary(
            assessment_id=a.pk,
            child_id=a.child_id,
            child_name=a.child.full_name,
            council_reference=a.council_reference,
            final_plan_due=a.final_plan_due,
            advice_requested=a.advice_requested,
            advice_returned=a.advice_returned,
            advice_overdue=a.advice_overdue,
        )
        for a in assessments
    }


def open_assessments_visible_to(user: User, also: int | None = None) -> QuerySet[Assessment]:
    """Assessments still running (no final plan issued, not refused), of the children
    ``user`` may see, with the child, nearest final-plan deadline first: the cases a SEND
    Panel agenda may list. ``also``: an assessment id to keep in the list whatever its
    state (the case an agenda item already names)."""
    from django.db.models import Q

    running = Q(final_issued_on__isnull=True) & ~Q(decision=Assessment.Decision.NOT_ASSESS)
    if also:
        running |= Q(pk=also)
    return (
        Assessment.objects.filter(running, child__in=children_visible_to(user))
        .select_related("child")
        .order_by("final_plan_due", "pk")
    )


def visible_child_ids(user: User, child_ids) -> set[int]:
    """Which of ``child_ids`` ``user`` may see (the "ehcp.view_child" rule), in one query
    however many children (none when there are no ids)."""
    ids = {pk for pk in child_ids if pk}
    if not ids:
        return set()
    return set(children_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def children_named_in(pairs: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Which (first name, last name) pairs are the names of children on record, however
    they were typed (case, accents, apostrophes, look-alike letters: compared by
    ``send_portal.text_match.name_key``): for refusing identifying text in shared records.
    One query, with two flat lists (the first and the last name keys asked about), however
    many pairs there are; the pairing itself is checked here."""
    from send_portal.text_match import name_key

    wanted = {(name_key(first), name_key(last)) for first, last in pairs}
    if not wanted:
        return []
    candidates = (
        Child.objects.filter(
            first_name_key__in={first for first, _ in wanted},
            last_name_key__in={last for _, last in wanted},
        )
        .order_by()
        .values_list("first_name", "last_name", "first_name_key", "last_name_key")
        .distinct()
    )
    return [(first, last) for first, last, *key in candidates if tuple(key) in wanted]


# --- Figures for the commissioner feedback report (intelligence/report.py) ----------------


def _median(values: list[float]) -> float | None:
    import statistics

    return statistics.median(values) if values else None


def plans_issued_for(periods) -> list[dict[str, int]]:
    """``plans_issued_between`` for each (start, end) of ``periods``, in one query."""
    return plans_issued_counts(periods).read()


def plans_issued_counts(periods, areas=None, *, leaving_out_exceptions=False) -> Counts:
    """The counts of ``plans_issued_for``, to be read with others (send_portal.counts);
    ``leaving_out_exceptions`` adds the plans issued with no reg 10(4) exception and those of
    them issued in time (England's published measure)."""
    from ehcp.models import ClockException

    excepted = ClockException.objects.filter(
        applies_to=ClockException.AppliesTo.TWENTY_WEEKS
    ).values("assessment_id")
    return _deadline_counts(
        in_areas(Assessment, areas),
        "final_issued_on",
        "final_plan_due",
        excepted,
        periods,
        counted="issued",
        leaving_out=leaving_out_exceptions,
    )


def plans_issued_between(start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Final plans issued between ``start`` and ``end`` (inclusive): how many, how many within
    20 weeks of the request, and how many within 20 weeks or with a reg 10(4) exception.
    One query."""
    return plans_issued_for([(start, end)])[0]


def _instants(start: datetime.date, end: datetime.date):
    """The first instant of London day ``start`` and the first after day ``end``."""
    tz = timezone.get_current_timezone()
    first = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    after = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return first, after


def _moment_between(field: str, start: datetime.date, end: datetime.date):
    """``field`` (a date and time) falls on a London day from ``start`` to ``end`` inclusive,
    as a range of instants, so the column's index serves it (``__date`` would convert every
    row's time zone first)."""
    from django.db.models import Q

    first, after = _instants(start, end)
    return Q(**{f"{field}__gte": first, f"{field}__lt": after})


def _moment_in_any(field: str, periods):
    from django.db.models import Q

    found = Q()
    for start, end in periods:
        found |= _moment_between(field, start, end)
    return found


class DaysBetween(Func):
    """Days from the second date and time to the first, as a number, worked out by the
    database: turning 90,000 pairs of timestamps into Python datetimes took longer than the
    query that read them."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra_context,
        )


def _which_of(field: str, periods):
    """Which of ``periods`` (its position) the moment ``field`` falls in, else NULL."""
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *(
            When(_moment_between(field, start, end), then=Value(i))
            for i, (start, end) in enumerate(periods)
        ),
        output_field=IntegerField(),
    )


def sign_offs_for(periods, areas=None) -> list[dict]:
    """``sign_offs_between`` for each (start, end) of ``periods``, in one query."""
    from django.db.models import F

    which = _which_of("signed_at", periods)
    rows = (
        in_areas(SignOff, areas)
        .filter(_moment_in_any("signed_at", periods))
        .annotate(which=which, days=DaysBetween(F("signed_at"), F("version__submitted_at")))
        .values_list("which", "days", "version__plan_id")
    )
    days: list[list[float]] = [[] for _ in periods]
    plans: list[set] = [set() for _ in periods]
    for i, waited, plan_id in rows:
        if i is not None:
            plans[i].add(plan_id)
            days[i].append(waited)
    return [
        {"signed_off": len(days[i]), "plans": len(plans[i]), "median_days": _median(days[i])}
        for i in range(len(periods))
    ]


def sign_offs_between(start: datetime.date, end: datetime.date) -> dict:
    """Medical sign-offs made between ``start`` and ``end`` (inclusive): how many plans were
    signed off, and the median days from the sections being sent to the DMO to the sign-off.
    One query (the median is taken over one column of dates, in Python, so it works on
    SQLite and PostgreSQL alike)."""
    return sign_offs_for([(start, end)])[0]


def quality_for(periods, areas=None) -> list[dict]:
    """``quality_between`` for each (start, end) of ``periods``: two queries in all."""
    from django.db.models import Count, Q

    which = _which_of("reviewed_at", periods)
    grades: list[dict] = [{} for _ in periods]
    for i, grade, n in (
        in_areas(QualityReview, areas)
        .filter(_moment_in_any("reviewed_at", periods))
        .annotate(which=which)
        .values_list("which", "grade")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if i is not None:
            grades[i][grade] = n
    met = Q(rating=QualityResult.Rating.MET)
    aggregates = {}
    for i, (start, end) in enumerate(periods):
        within = _moment_between("review__reviewed_at", start, end)
        aggregates[f"rated_{i}"] = Count("pk", filter=within)
        aggregates[f"met_{i}"] = Count("pk", filter=within & met)
    criteria = list(
        QualityResult.objects.filter(_moment_in_any("review__reviewed_at", periods))
        .filter(review__in=in_areas(QualityReview, areas) if areas is not None else Q())
        .values("criterion_id", "criterion__text", "criterion__display_order")
        .annotate(**aggregates)
        .order_by("criterion__display_order", "criterion_id")
    )
    return [
        {
            "grades": [
                {"grade": value, "label": label, "count": grades[i].get(value, 0)}
                for value, label in QualityReview.Grade.choices
            ],
            "reviews": sum(grades[i].values()),
            "criteria": [
                {
                    "text": row["criterion__text"],
                    "rated": row[f"rated_{i}"],
                    "met": row[f"met_{i}"],
                }
                for row in criteria
                if row[f"rated_{i}"]
            ],
        }
        for i in range(len(periods))
    ]


def quality_between(start: datetime.date, end: datetime.date) -> dict:
    """Quality reviews made between ``start`` and ``end``: how many of each grade, and for each
    criterion how many results and how many "met". Two queries."""
    return quality_for([(start, end)])[0]


def sign_off_days_by_area(periods, areas) -> dict[int, list[list[float]]]:
    """For each local area of ``areas`` with a sign-off in one of ``periods``: the days from
    the sections being sent to each sign-off, a list for each period. One query, whatever
    the number of areas (the ICB's page takes each area's median and the whole's)."""
    from django.db.models import F

    found: dict[int, list[list[float]]] = {}
    for area, i, waited in (
        in_areas(SignOff, areas)
        .filter(_moment_in_any("signed_at", periods))
        .annotate(
            which=_which_of("signed_at", periods),
            days=DaysBetween(F("signed_at"), F("version__submitted_at")),
        )
        .values_list(area_field(SignOff), "which", "days")
    ):
        if i is not None:
            found.setdefault(area, [[] for _ in periods])[i].append(waited)
    return found


def quality_grades_by_area(periods, areas) -> dict[int, list[dict[str, int]]]:
    """For each local area of ``areas``: the quality reviews of each grade made in each of
    ``periods`` ({grade: count} a period). One query, grouped."""
    from django.db.models import Count

    found: dict[int, list[dict[str, int]]] = {}
    for area, i, grade, n in (
        in_areas(QualityReview, areas)
        .filter(_moment_in_any("reviewed_at", periods))
        .annotate(which=_which_of("reviewed_at", periods))
        .values_list(area_field(QualityReview), "which", "grade")
        .annotate(n=Count("*"))
        .order_by()
    ):
        if i is not None:
            found.setdefault(area, [{} for _ in periods])[i][grade] = n
    return found


def annual_reviews_overdue_for(days) -> list[dict[str, int]]:
    """``annual_reviews_overdue_on`` for each day of ``days``: one query each (one query for
    two days, with an EXISTS per review and day, took three times as long)."""
    return [annual_reviews_overdue_on(on) for on in days]


def annual_reviews_overdue_on(on: datetime.date) -> dict[str, int]:
    """Annual reviews due before ``on`` with no meeting held by then, and how many of those have
    had health advice returned for them. One query."""
    return annual_reviews_overdue_counts(on).read()


def annual_reviews_overdue_counts(on: datetime.date, areas=None) -> Counts:
    """The counts of ``annual_reviews_overdue_on``, to be read with others."""
    from django.db.models import Count, Q

    advice_in = AdviceRequest.objects.filter(
        annual_review=OuterRef("pk"), returned_on__isnull=False, returned_on__lte=on
    )
    return Counts(
        in_areas(AnnualReview, areas).filter(
            Q(meeting_on__isnull=True) | Q(meeting_on__gt=on), due_on__lt=on
        ),
        {"overdue": Count("*"), "with_health_input": Count("pk", filter=Q(Exists(advice_in)))},
    )


# --- What changed, for the councils' case systems (issue 19) ---------------------------------

#: The most changes one read of the feed hands out.
CHANGES_PAGE_MAX = 100


@dataclass(frozen=True)
class ChangesPage:
    """One read of the feed: ``changes`` in order; ``position``, the id where the next read
    starts (the last change's, or the one asked for when there was nothing new); ``more``,
    whether more changes were waiting beyond this page."""

    changes: list[CaseChange]
    position: int | None
    more: bool


def changes_after(
    user: User, after: int | None = None, limit: int = CHANGES_PAGE_MAX
) -> ChangesPage:
    """The changes in the local areas ``user`` works in with an id above ``after`` (None: from
    the first), in the order they were written, ``limit`` at most. One query, once the
    user's roles and areas are read (with the user on a signed-in request; else one query
    each, then kept on the user for the day).

    An id cursor misses nothing because changes take their ids in turn
    (``models.take_turn_to_write_case_changes``): no change with a lower id can commit after
    one with a higher id has been read.

    A council's case system acts through an account holding the council's role in its
    areas, so this is the same reach as every record it reads: its areas, and nothing for
    an account that works in none (never "everything", as ``reachable_by`` leaves it to
    the rules for people whose roles are not held in areas).
    """
    limit = max(1, min(limit, CHANGES_PAGE_MAX))
    if not works_in_areas(user):
        return ChangesPage([], after, False)
    areas = sorted(areas_of(user))
    if not areas:
        return ChangesPage([], after, False)
    changes = CaseChange.objects.filter(area_id__in=areas).order_by("id")
    if after is not None:
        changes = changes.filter(id__gt=after)
    rows = list(changes[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return ChangesPage(rows, rows[-1].pk if rows else after, more)
