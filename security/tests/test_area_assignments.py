"""Where a role is held, set in the admin: areas or a whole ICB, never both, and the areas'
own admin flags one still without its code."""

import pytest
from django.core.exceptions import ValidationError
from django.forms import modelform_factory
from django.urls import reverse

from roles.models import LocalArea, Role, RoleAssignment, RoleCode
from roles.selectors import areas_of
from security.people_admin import RoleAssignmentForm
from tests.factories import (
    IntegratedCareBoardFactory,
    LocalAreaFactory,
    OrganisationFactory,
    RoleAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nhs_icb():
    return IntegratedCareBoardFactory(name="North ICB", code="E54000050")


@pytest.fixture
def south(nhs_icb):
    return LocalAreaFactory(name="South Tyneside", code="E08000023", icb=nhs_icb)


def _assignment_form(data):
    Form = modelform_factory(
        RoleAssignment,
        form=RoleAssignmentForm,
        fields=("user", "role", "organisation", "areas", "every_area_of_icb", "starts_on"),
    )
    return Form(data)


@pytest.mark.parametrize(
    "code, reach, error",
    [
        (RoleCode.DCO, {"areas": "south"}, None),
        (RoleCode.COMMISSIONER, {"nhs_icb": True}, None),
        (RoleCode.DCO, {"areas": "south", "nhs_icb": True}, "not both"),
        (RoleCode.HEALTH_PROFESSIONAL, {}, None),
        (RoleCode.HEALTH_PROFESSIONAL, {"areas": "south"}, "is not held in a local area"),
        (RoleCode.ADMINISTRATOR, {"nhs_icb": True}, "is not held in a local area"),
    ],
)
def test_an_assignment_names_areas_or_an_icb_not_both(south, nhs_icb, code, reach, error):
    data = {
        "user": UserFactory().pk,
        "role": Role.objects.get(code=code).pk,
        "organisation": OrganisationFactory().pk,
        "starts_on": "2026-01-05",
    }
    if reach.get("areas"):
        data["areas"] = [south.pk]
    if reach.get("nhs_icb"):
        data["every_area_of_icb"] = nhs_icb.pk
    form = _assignment_form(data)
    if error is None:
        assert form.is_valid(), form.errors
        assignment = form.save()
        expected = set() if code == RoleCode.HEALTH_PROFESSIONAL else {south.pk}
        assert areas_of(assignment.user) == expected
    else:
        assert not form.is_valid()
        assert error in str(form.non_field_errors())


def test_the_model_checks_the_areas_already_saved(south, nhs_icb):
    assignment = RoleAssignmentFactory(
        role=Role.objects.get(code=RoleCode.DCO), areas=[south], every_area_of_icb=nhs_icb
    )
    with pytest.raises(ValidationError, match="not both"):
        assignment.full_clean()


def test_the_admin_lists_areas_and_flags_one_without_a_code(client, administrator, nhs_icb, south):
    LocalArea.objects.create(name="Local area (set its name and code in the admin)", icb=nhs_icb)
    client.force_login(administrator)

    response = client.get(reverse("admin:roles_localarea_changelist"))

    assert response.status_code == 200
    assert "1 local area without an ONS code" in response.content.decode()
    assert client.get(reverse("admin:roles_localarea_change", args=[south.pk])).status_code == 200
    assert client.get(reverse("admin:roles_integratedcareboard_changelist")).status_code == 200
