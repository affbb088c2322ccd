"""What is said about a record goes only to people of its local area, the rules check the
record's area as well as the pages, and a child added is put in one of the officer's areas."""

import datetime

import pytest
import time_machine
from django.core import mail

from ehcp import selectors
from ehcp.forms import ChildForm
from ehcp.tasks import send_deadline_reminders
from ehcp.tests.factories import ChildFactory, make_assessment, make_plan_waiting_for_sign_off
from roles.models import RoleCode
from send_portal.london_time import LONDON
from tests.factories import IntegratedCareBoardFactory, LocalAreaFactory, person_holding

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_areas():
    icb = IntegratedCareBoardFactory()
    return (
        LocalAreaFactory(name="North", code="E08000911", icb=icb),
        LocalAreaFactory(name="South", code="E08000912", icb=icb),
    )


def waiting_in(area):
    return make_plan_waiting_for_sign_off(assessment=make_assessment(ChildFactory(area=area)))


def test_each_dmo_hears_how_many_plans_wait_in_their_own_areas(two_areas):
    north, south = two_areas
    start = datetime.date(2025, 1, 1)
    of_north = person_holding(RoleCode.DMO, areas=[north], starts_on=start)
    of_both = person_holding(RoleCode.DMO, areas=[north, south], starts_on=start)
    of_south = person_holding(RoleCode.DMO, areas=[south], starts_on=start)
    waiting_in(north)
    waiting_in(north)
    waiting_in(south)

    with time_machine.travel(datetime.datetime(2026, 6, 15, 7, 30, tzinfo=LONDON), tick=False):
        assert send_deadline_reminders() == 3

    said = {message.to[0]: message.subject for message in mail.outbox}
    assert said == {
        of_north.email: "2 plans waiting for your medical sign-off",
        of_both.email: "3 plans waiting for your medical sign-off",
        of_south.email: "1 plan waiting for your medical sign-off",
    }


def test_a_return_is_told_to_the_clinical_leads_of_the_childs_area_only(two_areas):
    north, south = two_areas
    lead_north = person_holding(RoleCode.CLINICAL_LEAD, areas=[north])
    person_holding(RoleCode.CLINICAL_LEAD, areas=[south])
    icb_wide = person_holding(RoleCode.CLINICAL_LEAD, every_area_of_icb=north.icb)
    plan = waiting_in(north)

    told = selectors.people_to_tell_of_a_return(plan.versions.get())

    assert {person.pk for person in told} - {plan.versions.get().submitted_by_id} == {
        lead_north.pk,
        icb_wide.pk,
    }


def test_the_rules_check_the_records_area_not_only_the_pages(two_areas):
    north, south = two_areas
    dco = person_holding(RoleCode.DCO, areas=[north])
    commissioner = person_holding(RoleCode.COMMISSIONER, areas=[north])
    here, there = waiting_in(north), waiting_in(south)

    assert dco.has_perm("ehcp.view_child", here.assessment.child)
    assert not dco.has_perm("ehcp.view_child", there.assessment.child)
    assert dco.has_perm("ehcp.view_plan", here)
    assert not dco.has_perm("ehcp.view_plan", there)
    assert not commissioner.has_perm("ehcp.view_plan", there)
    assert not dco.has_perm("ehcp.review_quality", there)
    # Asked about no record in particular (may they use the list?), the role decides.
    assert dco.has_perm("ehcp.view_children")


def test_a_child_is_added_to_the_officers_only_area_or_one_they_choose(two_areas):
    north, south = two_areas
    elsewhere = LocalAreaFactory(name="Elsewhere", code="E08000913")
    data = {
        "first_name": "Robin",
        "last_name": "Hart",
        "date_of_birth_day": "3",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2019",
        "primary_need": "ASD",
    }
    only_north = person_holding(RoleCode.SEND_OFFICER, areas=[north])
    form = ChildForm(data, user=only_north)
    assert "area" not in form.fields
    assert form.is_valid(), form.errors
    assert form.save().area == north

    both = person_holding(RoleCode.SEND_OFFICER, areas=[north, south])
    assert not ChildForm(data, user=both).is_valid()  # which area? they must say
    outside = ChildForm({**data, "area": elsewhere.pk}, user=both)
    assert not outside.is_valid()
    assert "Choose one of the local areas you work in" in str(outside.errors["area"])
    chosen = ChildForm({**data, "area": south.pk}, user=both)
    assert chosen.is_valid(), chosen.errors
    assert chosen.save().area == south

    nowhere = person_holding(RoleCode.SEND_OFFICER, areas=[])
    refused = ChildForm(data, user=nowhere)
    assert not refused.is_valid()
    assert "You do not work in a local area" in str(refused.non_field_errors())


def test_another_areas_records_are_left_out_of_the_worklists(two_areas):
    north, south = two_areas
    dmo = person_holding(RoleCode.DMO, areas=[north])
    here = waiting_in(north)
    waiting_in(south)

    assert [plan.pk for plan in selectors.sign_off_queue(dmo)] == [here.pk]
    assert selectors.plans_waiting_count(dmo) == 1
