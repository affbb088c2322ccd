"""The load data generator: sizes, validity of what it makes, determinism, the command."""

from __future__ import annotations

import datetime

import nhs_number
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.test import RequestFactory

from ehcp.models import (
    AdviceRequest,
    Child,
    Plan,
    SectionsVersion,
    SignOff,
    text_hash,
)
from intelligence.models import Concern
from load_data.common import NhsNumbers, Sizes
from load_data.generator import generate
from load_data.views import PlanAdminSite, floor
from meetings.models import Meeting, MeetingSeries

TODAY = datetime.date(2026, 11, 24)


class Rollback(Exception):
    pass


def test_scale_one_is_one_area_of_south_tynesides_size():
    sizes = Sizes.for_scale(1)
    assert (sizes.areas, sizes.children_per_area, sizes.concerns_per_area) == (1, 1500, 2000)


def test_scale_one_hundred_is_a_region_of_a_hundred_areas():
    sizes = Sizes.for_scale(100)
    assert sizes.areas == 100
    assert sizes.children_with_plans == 150_000
    assert sizes.concerns == 200_000


def test_a_fractional_scale_is_one_small_area():
    sizes = Sizes.for_scale(0.01)
    assert (sizes.areas, sizes.children_per_area, sizes.concerns_per_area) == (1, 15, 20)


def test_a_scale_of_nothing_is_refused():
    with pytest.raises(ValueError):
        Sizes.for_scale(0)


def test_synthetic_nhs_numbers_are_valid_distinct_and_in_the_999_range():
    numbers = NhsNumbers()
    made = [numbers.next() for _ in range(500)]
    assert len(set(made)) == 500
    assert all(nhs_number.is_valid(n) and n.startswith("999") for n in made)


def _fingerprint() -> list:
    return [
        list(Child.objects.order_by("pk").values_list("first_name", "last_name", "nhs_number")),
        list(Plan.objects.order_by("pk").values_list("status", "section_c")),
        list(SignOff.objects.order_by("pk").values_list("text_hash", "signed_at")),
        list(Concern.objects.order_by("pk").values_list("raised_on", "summary", "status")),
        list(Meeting.objects.order_by("pk").values_list("occurrence_date", "status")),
    ]


@pytest.mark.django_db(transaction=False)
def test_the_same_seed_and_day_make_the_same_data_and_another_seed_does_not():
    prints = []
    for seed in (7, 7, 8):
        try:
            with transaction.atomic():
                generate(0.02, seed=seed, today=TODAY)
                prints.append(_fingerprint())
                raise Rollback
        except Rollback:
            pass
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


@pytest.mark.django_db
def test_what_it_makes_is_valid_portal_data():
    result = generate(0.05, seed=1, today=TODAY)
    counts = result["counts"]
    assert Plan.objects.count() == counts["plans"] == 75
    assert Concern.objects.count() == counts["concerns"] == 100
    # Every version's hash is the hash of its text, and every sign-off signs that hash.
    for version in SectionsVersion.objects.all():
        assert version.content_hash == text_hash(version.section_c, version.section_g)
    for sign_off in SignOff.objects.select_related("version"):
        assert sign_off.text_hash == sign_off.version.content_hash
    # Plans at every stage, and some waiting for the DMO.
    statuses = set(Plan.objects.values_list("status", flat=True))
    assert {Plan.Status.DRAFT, Plan.Status.SIGNED_OFF} <= statuses
    assert counts["waiting"] == Plan.objects.filter(status__in=Plan.WAITING_FOR_SIGN_OFF).count()
    # Advice is due 6 weeks after it is asked for, and nothing happens after today.
    assert not AdviceRequest.objects.filter(returned_on__gt=TODAY).exists()
    assert not Concern.objects.filter(raised_on__gt=TODAY).exists()
    # Three series per area, with 3 years of meetings behind them and a year ahead.
    assert MeetingSeries.objects.count() == 3
    # The area's series, concerns, escalations and referrals are the area's (a referral
    # its child's, as Referral.save would have made it).
    from clinics.models import Referral
    from intelligence.models import Escalation
    from roles.models import LocalArea

    area = LocalArea.objects.get()
    for model in (MeetingSeries, Concern, Escalation, Referral):
        assert set(model.objects.values_list("area_id", flat=True)) == {area.pk}, model
    assert not Referral.objects.exclude(area=F("child__area")).exists()
    assert Meeting.objects.filter(status=Meeting.Status.CLOSED).count() > 100
    assert Meeting.objects.filter(status=Meeting.Status.SCHEDULED).count() > 20
    # Each plan's history starts with its creation.
    plan = Plan.objects.filter(status=Plan.Status.SIGNED_OFF).first()
    assert plan.history.earliest("history_date").history_type == "+"
    assert plan.history.latest("history_date").status == Plan.Status.SIGNED_OFF


@pytest.mark.django_db
def test_the_command_loads_once_and_refuses_a_second_time(capsys, load_data_installed):
    call_command("generate_load_data", "--scale", "0.01", "--today", TODAY.isoformat())
    assert "Scale 0.01: 1 area(s)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="fresh database"):
        call_command("generate_load_data", "--scale", "0.01")


def test_without_portal_benchmark_the_portal_has_no_load_data_command():
    with pytest.raises(CommandError, match="Unknown command"):
        call_command("generate_load_data", "--scale", "0.01")


def test_the_floor_answers_without_the_database(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = floor(RequestFactory().get("/bench/floor"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_comparison_admin_opens_only_for_those_who_see_every_plan(
    dmo, administrator, commissioner
):
    site = PlanAdminSite(name="test-bench-admin")
    request = RequestFactory().get("/")
    for user, allowed in ((dmo, True), (administrator, False), (commissioner, False)):
        request.user = user
        assert site.has_permission(request) is allowed
