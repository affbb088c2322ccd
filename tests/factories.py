"""factory-boy factories shared by every app's tests."""

import datetime

import factory
from django.utils import timezone

from roles.models import Organisation, Role, RoleAssignment, User

DEFAULT_TEST_PASSWORD = "a-long-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provider {n} NHS Foundation Trust")
    kind = Organisation.Kind.NHS_TRUST


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

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    ends_on = None

    @factory.lazy_attribute
    def role(self):
        return Role.objects.get(code="health-professional")


def person_holding(code: str, organisation: Organisation | None = None, **assignment) -> User:
    """A new user who holds the role ``code`` today (unless dates say otherwise)."""
    kwargs = {"role": Role.objects.get(code=code), **assignment}
    if organisation is not None:
        kwargs["organisation"] = organisation
    return RoleAssignmentFactory(**kwargs).user
