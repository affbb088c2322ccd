"""How an assessment's clock and a plan's status read on a page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.safestring import SafeString

from ehcp import statutory
from ehcp.models import AdviceRequest, Assessment, ClockException, Plan
from nhsuk_forms.templatetags.nhsuk_components import status_tag

STATUS_TAG_COLOUR = {
    statutory.DeadlineStatus.ON_TRACK: "blue",
    statutory.DeadlineStatus.DUE_SOON: "yellow",
    statutory.DeadlineStatus.OVERDUE: "red",
    statutory.DeadlineStatus.MET: "green",
    statutory.DeadlineStatus.MISSED: "orange",
}

PLAN_STATUS_TAG_COLOUR = {
    Plan.Status.DRAFT: "grey",
    Plan.Status.AWAITING_SIGN_OFF: "blue",
    Plan.Status.RETURNED: "orange",
    Plan.Status.SIGNED_OFF: "green",
    Plan.Status.AWAITING_SIGN_OFF_AGAIN: "purple",
}


@dataclass(frozen=True)
class ClockRow:
    label: str
    source: str
    due: datetime.date
    done_on: datetime.date | None
    status: statutory.DeadlineStatus
    statutory: bool
    excepted: bool = False

    @property
    def tag_colour(self) -> str:
        return STATUS_TAG_COLOUR[self.status]


def status_tag_colour(status) -> str:
    return STATUS_TAG_COLOUR[status]


def deadline_tag(due: datetime.date, done_on: datetime.date | None = None) -> SafeString:
    """An NHS.UK tag saying how a deadline stands today."""
    status = statutory.deadline_status(due, done_on)
    return status_tag(status.label, STATUS_TAG_COLOUR[status])


def plan_status_tag(plan_status: str) -> SafeString:
    status = Plan.Status(plan_status)
    return status_tag(status.label, PLAN_STATUS_TAG_COLOUR[status])


def quality_status_tag(open_findings: list, checklist_run: bool) -> SafeString:
    """The sign-off queue's quality status of a plan: what the DMO will have to acknowledge
    (``quality.sign_off_findings``), as one tag."""
    others = len(open_findings) - (0 if checklist_run else 1)
    if not checklist_run:
        text = "Checklist not run"
        if others:
            text += f", {others} other open finding{pluralize(others)}"
        colour = "orange"
    elif others:
        text, colour = f"{others} open finding{pluralize(others)}", "yellow"
    else:
        text, colour = "No findings", "green"
    return status_tag(text, colour)


def queue_rows(plans: list[Plan]) -> list[dict]:
    """What each row of the sign-off queue shows, for plans of ``selectors.queue_page_rows``.

    Worked out here once a row, and handed to the template as plain dictionaries: the
    template engine looks up ``plan.assessment.child.full_name`` a step at a time, trying
    each step as a key before an attribute, and calls a tag through its own argument
    parsing, which for 25 rows cost about a fifth of the page's Python calls.
    """
    rows = []
    for plan in plans:
        assessment = plan.assessment
        child = assessment.child
        rows.append(
            {
                "child": child.full_name,
                "primary_need": child.get_primary_need_display(),
                "final_plan_due": assessment.final_plan_due,
                "deadline_tag": deadline_tag(assessment.final_plan_due, assessment.final_issued_on),
                "status_tag": plan_status_tag(plan.status),
                "open_advice": plan.open_advice,
                "quality_tag": quality_status_tag(plan.open_findings, plan.checklist_run),
                "latest_quality_grade": plan.latest_quality_grade,
                "review_url": reverse("ehcp:sign-off-review", args=[plan.waiting_version_id]),
                "version_number": plan.waiting_version_number,
                "area": plan.area.name,
            }
        )
    return rows


def version_cards(records, agreeable_version, may_agree: bool) -> list[dict]:
    """What the plan page shows of each version sent for sign-off, newest first, from
    ``selectors.plan_for_page``'s records: as plain dictionaries, for the reason
    ``queue_rows`` gives, and with the text's hash checked once a version (the page warns
    above the sections and marks the card). ``agree_url`` is there only on the one version
    the ICB may agree now (``agreeable_version``), for someone who ``may_agree``."""
    cards = []
    for version in records.versions:
        sign_off = getattr(version, "sign_off", None)
        agreement = getattr(version, "commissioner_agreement", None)
        cards.append(
            {
                "number": version.number,
                "text_intact": version.text_intact,
                "submitted_by": version.submitted_by,
                "submitted_at": version.submitted_at,
                "content_hash": version.content_hash,
                "sign_off": sign_off,
                "acknowledgements": (
                    records.acknowledgements.get(sign_off.pk, []) if sign_off else []
                ),
                "returns": records.returns.get(version.pk, []),
                "agreement": agreement,
                "agree_url": (
                    reverse("ehcp:version-agree", args=[version.pk])
                    if agreement is None and may_agree and version is agreeable_version
                    else ""
                ),
                "print_url": reverse("ehcp:version-print", args=[version.pk]),
                "pdf_url": reverse("ehcp:version-pdf", args=[version.pk]),
            }
        )
    return cards


class AssessmentPresenter:
    """The statutory clock of an assessment, row by row, with practice milestones beside it."""

    def __init__(
        self,
        assessment: Assessment,
        exceptions: list[ClockException] | None = None,
        advice_requests: list[AdviceRequest] | None = None,
    ):
        self.assessment = assessment
        self.exceptions = exceptions if exceptions is not None else []
        self.advice_requests = advice_requests if advice_requests is not None else []

    @property
    def all_advice_returned_on(self) -> datetime.date | None:
        """The day the last piece of advice came back, once every request has returned."""
        returned = [r.returned_on for r in self.advice_requests]
        if not returned or None in returned:
            return None
        return max(returned)

    def __getattr__(self, name):
        return getattr(self.assessment, name)

    @property
    def twenty_week_excepted(self) -> bool:
        return any(e.applies_to == ClockException.AppliesTo.TWENTY_WEEKS for e in self.exceptions)

    @property
    def clock(self) -> list[ClockRow]:
        a = self.assessment
        d = a.deadlines

        def row(label, source, due, done_on, is_statutory=True, excepted=False):
            status = statutory.deadline_status(due, done_on)
            return ClockRow(label, source, due, done_on, status, is_statutory, excepted)

        rows = [
            row("Decision whether to assess", "6 weeks, reg 5", d.decision_due, a.decided_on),
            row(
                "Assessment complete",
                "week 12, practice",
                d.practice_assessment_complete,
                a.draft_issued_on,
                is_statutory=False,
            ),
            row(
                "Draft plan sent",
                "week 16, practice",
                d.practice_draft_plan,
                a.draft_issued_on,
                is_statutory=False,
            ),
            row(
                "Final plan issued",
                "20 weeks, reg 13(2)",
                d.final_plan_due,
                a.final_issued_on,
                excepted=self.twenty_week_excepted,
            ),
        ]
        if self.advice_requests:
            rows.insert(
                1,
                row(
                    "All health advice returned",
                    "6 weeks from each request, reg 8(1)",
                    max(r.due_on for r in self.advice_requests),
                    self.all_advice_returned_on,
                    excepted=any(
                        e.applies_to == ClockException.AppliesTo.HEALTH_ADVICE
                        for e in self.exceptions
                    ),
                ),
            )
        if a.draft_issued_on:
            ends = statutory.parent_response_ends(a.draft_issued_on)
            rows.append(
                ClockRow(
                    "Family's response to the draft",
                    "15 days, reg 13(1)(a)",
                    ends,
                    None,
                    statutory.deadline_status(ends, None),
                    True,
                )
            )
        return rows

    @property
    def current_stage(self) -> str:
        a = self.assessment
        if a.final_issued_on:
            return "Final plan issued"
        if a.draft_issued_on:
            return "Draft plan sent"
        if a.decision == Assessment.Decision.NOT_ASSESS:
            return "Decided not to assess"
        if a.decision == Assessment.Decision.ASSESS:
            return "Assessing"
        return "Deciding whether to assess"


@dataclass(frozen=True)
class AdviceTimeliness:
    """Health advice returned on time, counted with and without the recorded exceptions."""

    returned: int
    on_time: int
    on_time_or_excepted: int

    @classmethod
    def of(cls, requests: list[AdviceRequest], exceptions: list[ClockException]):
        excepted_ids = {
            e.advice_request_id
            for e in exceptions
            if e.applies_to == ClockException.AppliesTo.HEALTH_ADVICE
        }
        returned = [r for r in requests if r.returned_on is not None]
        on_time = [r for r in returned if r.returned_on <= r.due_on]
        excepted = [r for r in returned if r.returned_on > r.due_on and r.pk in excepted_ids]
        return cls(len(returned), len(on_time), len(on_time) + len(excepted))


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: object
    what: str
    detail: str = ""


class PlanHistory:
    """One timeline of a plan: every save of the working copy (django-simple-history),
    every version sent for sign-off, every sign-off, return and ICB agreement."""

    @staticmethod
    def of(saves, versions, returns: dict[int, list]) -> list[HistoryEntry]:
        """``saves`` of the working copy (``selectors.plan_saves``), ``versions`` with their
        sign-offs and agreements, and ``returns`` by version id, as
        ``selectors.plan_for_page`` reads them."""
        entries: list[HistoryEntry] = []
        previous = None
        for record in saves:
            if previous is None:
                what = "Health sections created"
                changed = []
            else:
                changed = [
                    field
                    for field in ("section_c", "section_g")
                    if getattr(record, f"{field}_md5") != getattr(previous, f"{field}_md5")
                ]
                what = (
                    "Edited "
                    + " and ".join(
                        "section C" if f == "section_c" else "section G" for f in changed
                    )
                    if changed
                    else f"Status: {record.get_status_display()}"
                )
            if previous is None or changed or record.status != previous.status:
                entries.append(HistoryEntry(record.history_date, record.history_user, what))
            previous = record
        for version in versions:
            entries.append(
                HistoryEntry(
                    version.submitted_at,
                    version.submitted_by,
                    f"Version {version.number} sent for sign-off",
                    f"SHA-256 {version.content_hash}",
                )
            )
            sign_off = getattr(version, "sign_off", None)
            if sign_off is not None:
                entries.append(
                    HistoryEntry(
                        sign_off.signed_at,
                        sign_off.signed_by,
                        f"Version {version.number} signed off ({sign_off.role_name})",
                        f"SHA-256 {sign_off.text_hash}",
                    )
                )
            for returned in returns.get(version.pk, ()):
                entries.append(
                    HistoryEntry(
                        returned.returned_at,
                        returned.returned_by,
                        f"Version {version.number} returned for amendment",
                        returned.comments,
                    )
                )
            agreement = getattr(version, "commissioner_agreement", None)
            if agreement is not None:
                entries.append(
                    HistoryEntry(
                        agreement.agreed_at,
                        agreement.agreed_by,
                        f"Section G of version {version.number} agreed for the ICB",
                        agreement.organisation_name,
                    )
                )
        return sorted(entries, key=lambda entry: entry.when, reverse=True)
