"""Local areas: where a role is held, read with the user in the one query every page makes,
and the rule that a record is in one of the person's areas."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from roles.backends import EmailPasswordBackend
from roles.models import IntegratedCareBoard, LocalArea, RoleCode
from roles.rules import record_is_in_my_areas
from roles.selectors import areas_of
from tests.factories import (
    IntegratedCareBoardFactory,
    LocalAreaFactory,
    UserFactory,
    person_holding,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def nhs_icb():
    return IntegratedCareBoardFactory(name="North ICB", code="E54000050")


@pytest.fixture
def south(nhs_icb):
    return LocalAreaFactory(name="South Tyneside", code="E08000023", icb=nhs_icb)


@pytest.fixture
def sunderland(nhs_icb):
    return LocalAreaFactory(name="Sunderland", code="E08000024", icb=nhs_icb)


def test_the_areas_come_with_the_user_in_the_same_one_query(
    django_assert_num_queries, south, sunderland, nhs_icb
):
    other_icb = IntegratedCareBoardFactory(name="Other ICB", code="E54000051")
    elsewhere = LocalAreaFactory(name="Elsewhere", code="E06000001", icb=other_icb)
    LocalAreaFactory(name="Closed", code="E06000002", icb=nhs_icb, is_active=False)
    user = person_holding(RoleCode.DMO, areas=[south])
    person_holding(RoleCode.DCO, user=user, areas=[elsewhere], ends_on=timezone.localdate() - DAY)
    person_holding(RoleCode.COMMISSIONER, user=user, every_area_of_icb=nhs_icb)

    with django_assert_num_queries(1):
        loaded = EmailPasswordBackend().get_user(user.pk)
        ids = areas_of(loaded)

    # Named areas and every active area of the ICB; not the ended assignment's, not a closed one.
    assert ids == {south.pk, sunderland.pk}
    assert ids == areas_of(type(user).objects.get(pk=user.pk))  # read on its own


def test_someone_without_an_area_bound_role_works_in_no_area(django_assert_num_queries, south):
    user = person_holding(RoleCode.HEALTH_PROFESSIONAL)
    with django_assert_num_queries(1):
        assert areas_of(EmailPasswordBackend().get_user(user.pk)) == frozenset()


def test_areas_asked_about_on_another_day_are_read_afresh(django_assert_num_queries, south):
    user = person_holding(RoleCode.DCO, areas=[south], starts_on=timezone.localdate() + 5 * DAY)
    loaded = EmailPasswordBackend().get_user(user.pk)
    assert areas_of(loaded) == frozenset()
    with django_assert_num_queries(1):
        assert areas_of(loaded, timezone.localdate() + 6 * DAY) == {south.pk}


def test_a_record_is_in_my_areas_by_its_own_area_or_its_child(south, sunderland):
    user = person_holding(RoleCode.DCO, areas=[south])
    child_here = SimpleNamespace(area_id=south.pk)
    assert record_is_in_my_areas(user, child_here)
    assert not record_is_in_my_areas(user, SimpleNamespace(area_id=sunderland.pk))
    assert record_is_in_my_areas(user, SimpleNamespace(child_id=1, child=child_here))
    assert not record_is_in_my_areas(user, None)
    assert not record_is_in_my_areas(UserFactory(), child_here)


@pytest.mark.parametrize(
    "code, ok",
    [
        ("E08000023", True),
        ("E06000001", True),
        ("E09000033", True),
        ("E10000001", False),
        ("E0800002", False),
        ("e08000023x", False),
        ("W06000001", False),
    ],
)
def test_an_area_code_is_a_local_authority_ons_code(nhs_icb, code, ok):
    area = LocalArea(name="Somewhere", icb=nhs_icb, code=code)
    if ok:
        area.full_clean()
    else:
        with pytest.raises(ValidationError, match="E06, E07, E08 or E09 then six digits"):
            area.full_clean()


def test_an_icb_code_is_e54_and_codes_are_unique_only_when_set(nhs_icb):
    with pytest.raises(ValidationError, match="E54 then six digits"):
        IntegratedCareBoard(name="Wrong", code="E38000001").full_clean()
    # Two areas still waiting for their codes may both be without one.
    LocalArea.objects.create(name="Unnamed one", icb=nhs_icb, code="")
    LocalArea.objects.create(name="Unnamed two", icb=nhs_icb, code="")
    LocalArea.objects.create(name="Named", icb=nhs_icb, code="E08000099")
    with pytest.raises(ValidationError, match="Another local area has this ONS code"):
        LocalArea(name="Named again", icb=nhs_icb, code="E08000099").full_clean()
