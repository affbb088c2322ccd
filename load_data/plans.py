"""Children, their EHC needs assessments, health advice, the sections C and G with their
versions, sign-offs, returns, the ICB's agreement, quality reviews and annual reviews.

Where a plan stands follows from how long ago its assessment was requested, as in a real
area: a request of last month is still deciding, one of 4 months is waiting for advice or
sign-off, most older ones are signed off and issued, and a few are stuck. Sign-offs carry
the SHA-256 of exactly the text signed (``ehcp.models.text_hash``), as the portal makes it.

The plan page shows the plan's history from django-simple-history, so each plan gets its
historical rows (created, edited, each change of status). Other models' history tables are
left empty: bulk inserts bypass simple_history's signals, and no benchmarked page reads them.
"""

from __future__ import annotations

import datetime

from ehcp import statutory
from ehcp.models import (
    AdviceRequest,
    AnnualReview,
    Assessment,
    Child,
    ClockException,
    CommissionerAgreement,
    Need,
    Plan,
    ProviderService,
    QualityCriterion,
    QualityResult,
    QualityReview,
    SectionsVersion,
    SignOff,
    SignOffReturn,
    text_hash,
)
from ehcp.services import ATTESTATION
from load_data.common import YEARS, Area, bulk, explicit_timestamps, fields_of

NEEDS = {
    Need.ASD: 30,
    Need.SLCN: 20,
    Need.SEMH: 17,
    Need.MLD: 9,
    Need.SPLD: 5,
    Need.SLD: 5,
    Need.PD: 4,
    Need.OTH: 4,
    Need.HI: 2,
    Need.VI: 1,
    Need.PMLD: 2,
    Need.MSI: 1,
}
# (service, organisation key, author key)
ADVICE_FROM = [
    (ProviderService.SALT, "trust", "salt"),
    (ProviderService.COMMUNITY_PAEDIATRICS, "trust", "paediatrics"),
    (ProviderService.CAMHS, "mental-health", "camhs"),
    (ProviderService.OT, "trust", "ot"),
]
QUESTIONS = {
    ProviderService.SALT: "How do communication needs affect learning, and what is needed?",
    ProviderService.COMMUNITY_PAEDIATRICS: "What health needs relate to the child's SEN?",
    ProviderService.CAMHS: "Are there emotional wellbeing needs that affect learning?",
    ProviderService.OT: "Are there sensory or motor needs that affect access to learning?",
}
ADVICE_TEXT = (
    "{name} was seen in clinic with a parent. {name} communicates in short phrases and "
    "understands more with pictures. Strengths: good visual memory, enjoys music and puzzles. "
    "Needs: help to join in with others, to manage busy rooms and to ask for help. "
    "Recommended provision: direct therapy 6 sessions a term for 12 months, and training for "
    "class staff on visual supports. Review at the annual review."
)
SECTION_C = (
    "{name} has {need} (community paediatrics, {year}). {name} finds busy, noisy rooms hard "
    "and communicates best with visual supports; this affects learning and friendships in "
    "class (section B). {name} sleeps poorly, which affects concentration in the morning. "
    "{name} is good at puzzles and enjoys music. {name}'s family say mornings are the "
    "hardest part of the day and that {name} needs warning of any change."
)
SECTION_G_ROWS = [
    {
        "provision": "Speech and language therapy: direct sessions on social communication",
        "provided_by": "NHS speech and language therapist",
        "frequency": "6 sessions of 45 minutes each school term",
        "duration": "12 months, reviewed at the annual review",
        "outcome": "Will ask an adult for help using a visual card",
    },
    {
        "provision": "Training for class staff on visual supports",
        "provided_by": "NHS speech and language therapist",
        "frequency": "One 2-hour session in the autumn term",
        "duration": "This school year",
        "outcome": "Staff use a visual timetable every day",
    },
    {
        "provision": "Occupational therapy sensory programme",
        "provided_by": "NHS occupational therapist",
        "frequency": "Programme written once, reviewed each term by the therapist",
        "duration": "12 months",
        "outcome": "Will stay in class for whole lessons with movement breaks",
    },
    {
        "provision": "Sleep advice for the family",
        "provided_by": "Community paediatrics sleep service",
        "frequency": "3 appointments over 6 months",
        "duration": "6 months",
        "outcome": "Settles to sleep within 30 minutes on most nights",
    },
    {
        "provision": "CAMHS emotional wellbeing sessions",
        "provided_by": "CAMHS clinical psychologist",
        "frequency": "8 weekly sessions of 50 minutes",
        "duration": "One term",
        "outcome": "Can name and use two strategies when anxious",
    },
]
RETURN_COMMENTS = (
    "Section G row 2 says how often the training happens but not who checks it is used: "
    "add that. Link the sleep difficulties in the advice to section C."
)
GRADES = {
    QualityReview.Grade.OUTSTANDING: 10,
    QualityReview.Grade.GOOD: 55,
    QualityReview.Grade.REQUIRES_IMPROVEMENT: 28,
    QualityReview.Grade.INADEQUATE: 7,
}
RATINGS = {
    QualityResult.Rating.MET: 70,
    QualityResult.Rating.PARTLY_MET: 20,
    QualityResult.Rating.NOT_MET: 10,
}


YEAR_SPAN_DAYS = YEARS * 365
HistoricalPlan = Plan.history.model


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def make_plans(area: Area, count: int, criteria: list[QualityCriterion]) -> dict:
    """``count`` children, each with an assessment and its plan, in the area. Returns the
    area's assessments (for SEND Panel cases) and counts for the summary."""
    rng = area.rng
    today = area.today
    people = area.people
    officers = [people[k] for k in ("send-officer-1", "send-officer-2", "send-officer-3")]
    lead, dmo, commissioner = people["clinical-lead"], people["dmo"], people["commissioner"]
    trust = area.organisations["trust"]

    children, assessments = [], []
    for i in range(count):
        # More recent requests than old ones: the number of plans grows year on year.
        age_days = int((YEAR_SPAN_DAYS) * (rng.random() ** 1.15))
        requested_on = today - _days(age_days)
        years_old = rng.randint(2, 24)
        date_of_birth = requested_on - _days(years_old * 365 + rng.randint(0, 364))
        need = area.pick(NEEDS)
        children.append(
            Child(
                area=area.local_area,
                first_name=rng.choice(area.names.first_names),
                last_name=rng.choice(area.names.last_names),
                date_of_birth=date_of_birth,
                nhs_number=area.nhs_numbers.next(),
                school_or_setting=rng.choice(area.names.schools),
                primary_need=need,
                secondary_need=area.pick(NEEDS) if rng.random() < 0.3 else "",
                created_at=area.past_moment(requested_on),
            )
        )
        deadlines = statutory.assessment_deadlines(requested_on)
        assessments.append(
            Assessment(
                area=area.local_area,  # the child's (bulk_create skips Assessment.save)
                council_reference=f"L{area.number:03d}-EHC-{i + 1:05d}",
                requested_on=requested_on,
                case_officer=rng.choice(officers),
                decision_due=deadlines.decision_due,
                final_plan_due=deadlines.final_plan_due,
            )
        )
    with explicit_timestamps(*fields_of(Child, "created_at")):
        bulk(Child, children)
    for child, assessment in zip(children, assessments, strict=True):
        assessment.child = child

    # Decide each assessment's story, then fill in the records it needs.
    stories = [_story(area, a) for a in assessments]
    bulk(Assessment, assessments)

    plans = [Plan(assessment=a, area=area.local_area) for a in assessments]
    advice, exceptions, versions, history = [], [], [], []
    for assessment, plan, story in zip(assessments, plans, stories, strict=True):
        child = assessment.child
        name = child.first_name
        # Health advice, asked for once the council decides to assess.
        if story["advice_on"] is not None:
            asked_on = story["advice_on"]
            for service, org_key, author_key in rng.sample(ADVICE_FROM, rng.choice((2, 2, 3))):
                due_on = statutory.health_advice_due(asked_on)
                returned_on = None
                if story["advice_back"]:
                    returned_on = asked_on + _days(rng.choice((18, 25, 30, 35, 38, 41, 44, 52)))
                    if returned_on > today:
                        returned_on = None
                request = AdviceRequest(
                    assessment=assessment,
                    area=area.local_area,
                    service=service,
                    provider=area.organisations[org_key],
                    requested_on=asked_on,
                    due_on=due_on,
                    requested_by=assessment.case_officer,
                    question=QUESTIONS[service],
                )
                if returned_on is not None:
                    request.advice = ADVICE_TEXT.format(name=name)
                    request.submitted_by = people[author_key]
                    request.submitted_at = area.past_moment(returned_on)
                    request.returned_on = returned_on
                    if returned_on > due_on:
                        request.times_chased = 1
                        request.last_chased_on = due_on + _days(1)
                elif due_on < today:
                    request.times_chased = rng.choice((1, 2))
                    request.last_chased_on = due_on + _days(2)
                advice.append(request)
                if returned_on is not None and returned_on > due_on and rng.random() < 0.3:
                    exceptions.append(
                        ClockException(
                            assessment=assessment,
                            advice_request=request,
                            applies_to=ClockException.AppliesTo.HEALTH_ADVICE,
                            reason=rng.choice(statutory.HealthAdviceException.values),
                            applies_from=asked_on + _days(10),
                            recorded_by=assessment.case_officer,
                        )
                    )
        # The working copy of sections C and G, and its versions.
        text_c = SECTION_C.format(
            name=name,
            need=Need(child.primary_need).label.lower(),
            year=child.date_of_birth.year + 2,
        )
        rows = rng.sample(SECTION_G_ROWS, rng.randint(2, 4))
        created_at = area.past_moment(assessment.requested_on)
        history.append(_history(plan, created_at, None, "+"))
        status = story["status"]
        if story["written_on"] is None:
            continue
        plan.section_c, plan.section_g = text_c, rows
        plan.edit_count = rng.randint(1, 4)
        plan.last_edited_by = lead
        plan.last_edited_at = area.past_moment(story["written_on"])
        history.append(_history(plan, plan.last_edited_at, lead, "~"))
        plan_versions = []
        for number, (sent_on, outcome) in enumerate(story["versions"], start=1):
            if outcome == "edited-after-sign-off":
                # Version 1 was signed; the text changed; version 2 waits for sign-off.
                signed_rows = [dict(r, frequency=r["frequency"] + " (first plan)") for r in rows]
                section_g = signed_rows if number == 1 else rows
            else:
                section_g = rows
            version = SectionsVersion(
                plan=plan,
                number=number,
                section_c=text_c,
                section_g=section_g,
                content_hash=text_hash(text_c, section_g),
                submitted_by=lead,
                submitted_at=area.past_moment(sent_on),
            )
            version.outcome = outcome
            plan_versions.append(version)
            plan.submitted_at = version.submitted_at
        plan.status = status
        for version in plan_versions:
            snapshot_status = (
                Plan.Status.AWAITING_SIGN_OFF_AGAIN
                if version.number > 1
                and plan_versions[0].outcome in ("signed", "edited-after-sign-off")
                else Plan.Status.AWAITING_SIGN_OFF
            )
            history.append(_history(plan, version.submitted_at, lead, "~", status=snapshot_status))
        versions.extend(plan_versions)
    bulk(Plan, plans)
    bulk(AdviceRequest, advice)
    bulk(ClockException, exceptions)
    bulk(SectionsVersion, versions)

    sign_offs, returns, agreements = [], [], []
    for version in versions:
        signed = version.outcome == "signed" or (
            version.outcome == "edited-after-sign-off" and version.number == 1
        )
        if version.outcome == "returned":
            returned = SignOffReturn(
                version=version,
                returned_by=dmo,
                returned_at=min(
                    version.submitted_at + _days(rng.randint(2, 10)), area.past_moment(area.today)
                ),
                comments=RETURN_COMMENTS,
            )
            returns.append(returned)
            history.append(
                _history(version.plan, returned.returned_at, dmo, "~", status=Plan.Status.RETURNED)
            )
        elif signed:
            signed_at = min(
                version.submitted_at + _days(rng.randint(1, 14)),
                area.past_moment(area.today),
            )
            sign_offs.append(
                SignOff(
                    version=version,
                    signed_by=dmo,
                    role_name="Designated Medical Officer",
                    organisation_name=trust.name,
                    registration_number=dmo.registration_number,
                    attestation=ATTESTATION,
                    signed_at=signed_at,
                    text_hash=version.content_hash,
                )
            )
            history.append(
                _history(version.plan, signed_at, dmo, "~", status=Plan.Status.SIGNED_OFF)
            )
            if rng.random() < 0.9:
                agreements.append(
                    CommissionerAgreement(
                        version=version,
                        agreed_by=commissioner,
                        organisation_name=area.organisations["icb"].name,
                        agreed_at=signed_at + _days(rng.randint(1, 10)),
                        note="Agreed at the ICB panel.",
                    )
                )
    bulk(SignOffReturn, returns)
    bulk(SignOff, sign_offs)
    bulk(CommissionerAgreement, agreements)
    _fill_history_rows(history)
    bulk(HistoricalPlan, history)

    reviews, results = [], []
    for plan in plans:
        if plan.section_c and rng.random() < 0.3:
            review = QualityReview(
                plan=plan,
                reviewed_by=people["dco"],
                reviewed_at=plan.last_edited_at + _days(rng.randint(0, 5)),
                plan_edit_count=plan.edit_count,
                grade=area.pick(GRADES),
                comment="Checked against the audit criteria.",
            )
            if review.reviewed_at > area.past_moment(area.today):
                review.reviewed_at = plan.last_edited_at
            reviews.append(review)
    bulk(QualityReview, reviews)
    for review in reviews:
        for criterion in criteria:
            results.append(
                QualityResult(review=review, criterion=criterion, rating=area.pick(RATINGS))
            )
    bulk(QualityResult, results, batch_size=5000)

    annual = _annual_reviews(area, assessments, plans)
    bulk(AnnualReview, annual)
    return {
        "assessments": assessments,
        "plans": len(plans),
        "waiting": sum(p.status in Plan.WAITING_FOR_SIGN_OFF for p in plans),
        "advice": len(advice),
        "versions": len(versions),
        "sign_offs": len(sign_offs),
        "history": len(history),
        "quality_results": len(results),
        "annual_reviews": len(annual),
    }


def _story(area: Area, assessment: Assessment) -> dict:
    """What has happened to one assessment by today, drawn by how old it is."""
    rng = area.rng
    today = area.today
    requested = assessment.requested_on
    age = (today - requested).days
    story = {
        "advice_on": None,
        "advice_back": False,
        "written_on": None,
        "versions": [],
        "status": Plan.Status.DRAFT,
    }
    if age < 42:
        if age > 7 and rng.random() < 0.5:
            story["advice_on"] = requested + _days(rng.randint(3, min(age, 30)))
        return story
    decided_on = requested + _days(rng.randint(30, 41))
    if rng.random() < 0.05:
        assessment.decision = Assessment.Decision.NOT_ASSESS
        assessment.decided_on = decided_on
        return story
    assessment.decision = Assessment.Decision.ASSESS
    assessment.decided_on = decided_on
    story["advice_on"] = decided_on
    story["advice_back"] = True
    if age < 84:
        if rng.random() < 0.4:
            story["written_on"] = area.clamp(decided_on + _days(rng.randint(20, 40)))
        return story
    written_on = decided_on + _days(rng.randint(42, 60))
    if written_on >= today:
        written_on = today - _days(1)
    story["written_on"] = written_on

    def sent(after: datetime.date, low: int, high: int) -> datetime.date:
        return area.clamp(after + _days(rng.randint(low, high)))

    if age < 140:
        roll = rng.random()
        if roll < 0.3:
            return story  # still a draft
        first = sent(written_on, 1, 10)
        if roll < 0.75:
            story["versions"] = [(first, "waiting")]
            story["status"] = Plan.Status.AWAITING_SIGN_OFF
        elif roll < 0.85:
            story["versions"] = [(first, "returned")]
            story["status"] = Plan.Status.RETURNED
        else:
            story["versions"] = [(first, "signed")]
            story["status"] = Plan.Status.SIGNED_OFF
        return story
    roll = rng.random()
    first = sent(written_on, 1, 10)
    if roll < 0.02:
        return story  # a draft that never went
    if roll < 0.06:
        story["versions"] = [(first, "waiting")]
        story["status"] = Plan.Status.AWAITING_SIGN_OFF
    elif roll < 0.08:
        story["versions"] = [(first, "returned")]
        story["status"] = Plan.Status.RETURNED
    elif roll < 0.10:
        story["versions"] = [
            (first, "edited-after-sign-off"),
            (sent(first, 120, 300), "edited-after-sign-off"),
        ]
        story["status"] = Plan.Status.AWAITING_SIGN_OFF_AGAIN
    else:
        if roll < 0.25:
            story["versions"] = [(first, "returned"), (sent(first, 7, 20), "signed")]
        else:
            story["versions"] = [(first, "signed")]
        story["status"] = Plan.Status.SIGNED_OFF
        issued = requested + _days(rng.choice((112, 126, 133, 138, 140, 147, 161, 175)))
        issued = max(issued, story["versions"][-1][0] + _days(14))
        if issued <= today:
            assessment.draft_issued_on = issued - _days(rng.randint(16, 30))
            assessment.final_issued_on = issued
    return story


def _history(plan, when, user, kind, status=None):
    """One historical row of ``plan``; its fields are filled from the plan once it is saved."""
    row = HistoricalPlan(
        history_date=when, history_type=kind, history_user=user, history_change_reason=None
    )
    row._plan = plan
    row._status = status
    return row


def _fill_history_rows(rows) -> None:
    for row in rows:
        plan = row._plan
        row.id = plan.pk
        row.assessment_id = plan.assessment_id
        row.area_id = plan.area_id
        row.edit_count = plan.edit_count
        row.last_edited_by_id = plan.last_edited_by_id
        if row.history_type == "+":
            row.status, row.section_c, row.section_g = Plan.Status.DRAFT, "", []
            row.last_edited_at = row.submitted_at = None
        else:
            row.status = row._status or Plan.Status.DRAFT
            row.section_c, row.section_g = plan.section_c, plan.section_g
            row.last_edited_at = plan.last_edited_at
            row.submitted_at = plan.submitted_at if row._status else None
    # The last row of each plan carries the plan's status today (e.g. returned).
    last = {}
    for row in rows:
        if row.history_type != "+" and (
            row.id not in last or row.history_date >= last[row.id].history_date
        ):
            last[row.id] = row
    for row in last.values():
        row.status = row._plan.status


def _annual_reviews(area: Area, assessments, plans) -> list[AnnualReview]:
    rng = area.rng
    today = area.today
    horizon = today + datetime.timedelta(weeks=8)
    reviews = []
    for assessment, plan in zip(assessments, plans, strict=True):
        if assessment.final_issued_on is None:
            continue
        due = statutory.annual_review_due(assessment.final_issued_on)
        while due <= horizon:
            review = AnnualReview(plan=plan, due_on=due)
            reviews.append(review)
            if due < today - _days(30) and rng.random() < 0.9:
                review.meeting_on = due - _days(rng.randint(0, 40))
                review.decision = area.pick(
                    {
                        AnnualReview.Decision.KEEP: 68,
                        AnnualReview.Decision.AMEND: 28,
                        AnnualReview.Decision.CEASE: 4,
                    }
                )
                review.decided_on = area.clamp(review.meeting_on + _days(rng.randint(5, 28)))
                if review.decision == AnnualReview.Decision.AMEND:
                    final = review.decided_on + _days(rng.randint(30, 80))
                    review.amended_plan_final_on = final if final <= today else None
                if review.decision == AnnualReview.Decision.CEASE:
                    break
                due = statutory.annual_review_due(review.meeting_on)
            else:
                break
    return reviews
