"""An assessment, its plan and its advice requests carry their child's local area (issue 17):
one area's lists are read from indexes led by the area instead of joining every row to its
child. The area is set from the child when the record is made, by the pages' services and
by the load generator's bulk inserts alike, and a database that had the records before is
migrated so that each takes its child's area. Run on SQLite and, with DATABASE_URL, on
PostgreSQL."""

import datetime

import pytest

from ehcp import selectors, services
from ehcp.models import AdviceRequest, Assessment, Plan
from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from roles.models import RoleCode
from tests.factories import LocalAreaFactory, person_holding
from tests.test_local_areas_upgrade import latest, migrate

BEFORE = ("ehcp", "0018_child_by_area_and_name")
TODAY = datetime.date(2026, 11, 2)


@pytest.mark.django_db
def test_the_services_set_each_record_to_its_childs_area():
    sunderland = LocalAreaFactory(name="Sunderland")
    child = ChildFactory(area=sunderland)
    assessment = make_assessment(child=child)
    advice = make_advice_request(assessment=assessment)
    for record in (assessment, assessment.plan, advice):
        record.refresh_from_db()
        assert record.area_id == sunderland.pk, type(record).__name__


@pytest.mark.django_db
def test_the_area_is_not_a_field_anyone_edits():
    # Only the child's area decides; no form or admin offers the record's own.
    for model in (Assessment, Plan, AdviceRequest):
        assert model._meta.get_field("area").editable is False


@pytest.mark.django_db
def test_one_areas_plans_are_found_without_joining_the_child():
    area = LocalAreaFactory(name="Gateshead")
    dmo = person_holding(RoleCode.DMO, areas=[area])
    sql = str(selectors.sign_off_queue(dmo).query)
    # The area is the plan's own column: the filter does not go through the child's.
    assert '"ehcp_plan"."area_id" IN' in sql, sql
    assert '"ehcp_child"."area_id" IN' not in sql, sql


@pytest.mark.django_db(transaction=True)
def test_records_made_before_the_area_was_carried_take_their_childs():
    try:
        old = migrate([BEFORE])
        LocalArea = old.get_model("roles", "LocalArea")
        Icb = old.get_model("roles", "IntegratedCareBoard")
        Child = old.get_model("ehcp", "Child")
        OldAssessment = old.get_model("ehcp", "Assessment")
        OldPlan = old.get_model("ehcp", "Plan")
        OldAdvice = old.get_model("ehcp", "AdviceRequest")
        Organisation = old.get_model("roles", "Organisation")
        User = old.get_model("roles", "User")
        icb = Icb.objects.create(name="An ICB", code="E54000050")
        areas = [
            LocalArea.objects.create(name=name, code=code, council_name=f"{name} Council", icb=icb)
            for name, code in (("Sunderland", "E08000024"), ("South Tyneside", "E08000023"))
        ]
        trust = Organisation.objects.create(name="A Foundation Trust", kind="nhs-trust")
        officer = User.objects.create(email="officer@nhs.test", full_name="An officer")
        expected = {}
        for n in range(4):
            area = areas[n % 2]
            child = Child.objects.create(
                first_name=f"Child{n}",
                last_name="Carried",
                date_of_birth=datetime.date(2018, 1, 1),
                primary_need="ASD",
                area=area,
            )
            assessment = OldAssessment.objects.create(
                child=child,
                requested_on=TODAY,
                decision_due=TODAY + datetime.timedelta(weeks=6),
                final_plan_due=TODAY + datetime.timedelta(weeks=20),
            )
            plan = OldPlan.objects.create(assessment=assessment)
            advice = OldAdvice.objects.create(
                assessment=assessment,
                service="salt",
                provider=trust,
                requested_on=TODAY,
                due_on=TODAY + datetime.timedelta(weeks=6),
                requested_by=officer,
            )
            expected[("Assessment", assessment.pk)] = area.pk
            expected[("Plan", plan.pk)] = area.pk
            expected[("AdviceRequest", advice.pk)] = area.pk

        new = latest()
        found = {
            (name, pk): area_id
            for name in ("Assessment", "Plan", "AdviceRequest")
            for pk, area_id in new.get_model("ehcp", name).objects.values_list("pk", "area_id")
        }
        assert found == expected
        # Both areas are there: a fill that gave every row one area would not pass.
        assert set(found.values()) == {area.pk for area in areas}
    finally:
        latest()


@pytest.mark.django_db
def test_an_annual_review_is_in_its_childs_area():
    from django.utils import timezone

    sunderland = LocalAreaFactory(name="Sunderland")
    assessment = make_assessment(child=ChildFactory(area=sunderland))
    review = services.issue_final_plan(assessment, timezone.localdate())
    assert review.area_id == sunderland.pk
