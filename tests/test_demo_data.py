"""The demo is a believable local area: the report a commissioner opens first (the last full
quarter) has figures, and what the professionals wrote reads as written by each of them."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from ehcp.models import AdviceRequest, Plan, ProviderService
from ehcp.selectors import plans_awaiting_agreement, plans_returned
from intelligence.models import Concern, Escalation
from intelligence.report import build_report, last_full_quarter
from meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo")


def test_the_default_report_of_the_demo_has_figures_in_every_part(demo):
    report = build_report(last_full_quarter(timezone.localdate()), areas=None)

    statutory = report["statutory"]
    assert report["concerns"]["total"] > 0
    assert report["escalations"]["raised"] > 0 and report["escalations"]["answered"] > 0
    assert statutory["advice"]["returned"] > 0
    assert statutory["plans"]["issued"] > 0
    assert statutory["sign_offs"]["signed_off"] > 0
    assert statutory["quality"]["reviews"] > 0
    assert sum(row["held"] for row in report["meetings"]["held"]) > 0
    assert report["clinic"]["referrals"] > 0
    # And the quarter before, which the report compares with, is not empty either.
    assert report["statutory_before"]["sign_offs"]["signed_off"] > 0


def test_activity_spreads_over_the_last_18_months(demo):
    today = timezone.localdate()
    held = Meeting.objects.filter(status=Meeting.Status.CLOSED).values_list(
        "occurrence_date", flat=True
    )
    months_back = {(today.year - day.year) * 12 + today.month - day.month for day in held}
    assert max(months_back) >= 15
    assert len(months_back) >= 12
    escalated = {e.escalated_at.date() for e in Escalation.objects.all()}
    assert min(escalated) < today.replace(year=today.year - 1)


def test_each_professional_writes_their_own_advice(demo):
    for assessment_id in AdviceRequest.objects.values_list("assessment", flat=True).distinct():
        texts = AdviceRequest.objects.filter(
            assessment=assessment_id, submitted_at__isnull=False
        ).values_list("service", "advice")
        by_service = dict(texts)
        if {ProviderService.SALT, ProviderService.CAMHS} <= set(by_service):
            assert by_service[ProviderService.SALT] != by_service[ProviderService.CAMHS]
    salt = AdviceRequest.objects.filter(service=ProviderService.SALT).exclude(advice="")
    assert salt.values("advice").distinct().count() == salt.count()


def test_no_two_escalations_have_the_same_question_or_answer(demo):
    answered = Escalation.objects.exclude(response="")

    assert answered.count() >= 10
    assert answered.values("response").distinct().count() == answered.count()
    assert Escalation.objects.values("question").distinct().count() > 5


def test_every_worklist_a_role_opens_first_has_something_to_show(demo):
    from roles.models import User

    commissioner = User.objects.get(email="commissioner@demo.send-portal.example")
    dmo = User.objects.get(email="dmo@demo.send-portal.example")
    assert plans_awaiting_agreement(commissioner).exists()
    assert plans_returned(dmo).exists()


def test_each_plans_history_reads_in_the_order_of_its_story(demo):
    # The plan page's history: the sections created when the assessment starts, written
    # before they are sent, each change of status on the day of its step. Stamped "now"
    # when the demo was loaded, it said the sections were written after being signed off.
    checked = 0
    for plan in Plan.objects.select_related("assessment").prefetch_related("versions"):
        rows = sorted(plan.history.all(), key=lambda row: row.history_id)
        assert rows[0].history_date.date() == plan.assessment.requested_on, plan.pk
        assert [row.history_date for row in rows] == sorted(row.history_date for row in rows)
        for version in plan.versions.all():
            written = [row for row in rows if row.section_c == version.section_c]
            assert written and written[0].history_date <= version.submitted_at, plan.pk
            checked += 1
        if plan.last_edited_at is not None:
            assert plan.last_edited_at <= max(row.history_date for row in rows)
    assert checked > 0


def test_each_concerns_history_starts_on_the_day_it_was_raised(demo):
    concerns = list(Concern.objects.all())
    assert concerns
    for concern in concerns:
        rows = sorted(concern.history.all(), key=lambda row: row.history_id)
        assert rows[0].history_date.date() == concern.raised_on, concern.pk
        # Logged by someone, as the page says, not "the portal".
        assert rows[0].history_user_id == concern.logged_by_id, concern.pk
        assert [row.history_date for row in rows] == sorted(row.history_date for row in rows)
        assert rows[-1].history_date.date() <= timezone.localdate()
