import pytest
from django.core.management import CommandError, call_command

from roles.demo import DEMO_PASSWORD, PEOPLE, demo_email
from roles.models import Organisation, RoleAssignment, RoleCode, User
from roles.selectors import current_role_codes


def _counts():
    return (User.objects.count(), Organisation.objects.count(), RoleAssignment.objects.count())


@pytest.mark.django_db
def test_seed_demo_creates_one_user_per_role_and_running_it_twice_changes_nothing(client):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")

    assert _counts() == first
    holders = {code for user in User.objects.all() for code in current_role_codes(user)}
    assert holders == set(RoleCode.values)
    assert client.login(email=demo_email(PEOPLE[0]), password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_keeps_a_history_of_former_dmos():
    call_command("seed_demo")

    assert RoleAssignment.objects.filter(role__code=RoleCode.DMO).past().exists()


@pytest.mark.django_db
def test_seed_demo_if_empty_leaves_a_used_database_alone(dmo):
    call_command("seed_demo", "--if-empty")

    assert User.objects.count() == 1


@pytest.mark.django_db
def test_seed_demo_refuses_to_run_in_production(settings):
    settings.IS_PRODUCTION = True

    with pytest.raises(CommandError, match="never loaded into a production portal"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_children_have_valid_synthetic_nhs_numbers():
    import nhs_number

    from ehcp.models import Child

    call_command("seed_demo")

    numbers = list(Child.objects.values_list("nhs_number", flat=True))
    assert numbers and all(nhs_number.is_valid(n) and n.startswith("999") for n in numbers)
