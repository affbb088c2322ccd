"""factory-boy factories shared by every app's tests."""

import datetime

import factory
from django.utils import timezone

from roles.models import (
    ROLES_NOT_BOUND_TO_AREAS,
    IntegratedCareBoard,
    LocalArea,
    Organisation,
    Role,
    RoleAssignment,
    User,
)

DEFAULT_TEST_PASSWORD = "a-long-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provider {n} NHS Foundation Trust")
    kind = Organisation.Kind.NHS_TRUST


class IntegratedCareBoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntegratedCareBoard
        django_get_or_create = ("name",)

    name = "Test Integrated Care Board"
    code = "E54000901"


class LocalAreaFactory(factory.django.DjangoModelFactory):
    """A local area; codes are pattern-valid but not a real council's."""

    class Meta:
        model = LocalArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test area {n}")
    council_name = factory.LazyAttribute(lambda area: f"{area.name} Council")
    icb = factory.SubFactory(IntegratedCareBoardFactory)
    code = factory.Sequence(lambda n: f"E06{900000 + n:06d}")


def the_test_area() -> LocalArea:
    """The one area every test works in unless it says otherwise: the children factories
    make belong to it, and person_holding gives it to every area-bound role."""
    return LocalAreaFactory(name="Test area", code="E08000901")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@nhs.test")
    full_name = factory.Faker("name", locale="en_GB")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = None

    @factory.lazy_attribute
    def role(self):
        return Role.objects.get(code="health-professional")

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.areas.set(extracted)


def person_holding(
    code: str, organisation: Organisation | None = None, areas=None, **assignment
) -> User:
    """A new user who holds the role ``code`` today (unless dates say otherwise), in
    ``areas`` (by default the test area, for a role held in areas; none for one that is not,
    or when ``every_area_of_icb`` is given)."""
    kwargs = {"role": Role.objects.get(code=code), **assignment}
    if organisation is not None:
        kwargs["organisation"] = organisation
    if areas is None and code not in ROLES_NOT_BOUND_TO_AREAS and "every_area_of_icb" not in kwargs:
        areas = [the_test_area()]
    return RoleAssignmentFactory(areas=areas or [], **kwargs).user
