"""Children and young people: the form's checks, the access log, who sees whom."""

import datetime

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from audit.selectors import child_record_views
from ehcp.models import Child
from ehcp.tests.factories import ChildFactory, make_advice_request

VALID_NHS_NUMBER = "9434765919"


def child_form(**overrides):
    born = timezone.localdate() - datetime.timedelta(days=6 * 365)
    data = {
        "first_name": "Sam",
        "last_name": "Jones",
        "date_of_birth_day": born.day,
        "date_of_birth_month": born.month,
        "date_of_birth_year": born.year,
        "nhs_number": "943 476 5919",
        "school_or_setting": "Harbourside Primary School",
        "primary_need": "ASD",
        "secondary_need": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_send_officer_adds_a_child_with_a_spaced_nhs_number(client, send_officer):
    client.force_login(send_officer)

    response = client.post(reverse("ehcp:child-create"), child_form())

    assert response.status_code == 302
    assert Child.objects.get().nhs_number == VALID_NHS_NUMBER


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"nhs_number": "9434765918"}, "This is not a valid NHS number"),
        ({"nhs_number": "12345"}, "Enter an NHS number of 10 digits"),
        (
            {"date_of_birth_year": str(timezone.localdate().year + 1)},
            "must be today or in the past",
        ),
        ({"date_of_birth_year": str(timezone.localdate().year - 27)}, "up to 25"),
        ({"date_of_birth_month": "13"}, "must be a real date"),
        ({"first_name": ""}, "Enter the first name"),
        ({"secondary_need": "ASD"}, "must differ from the primary"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_kept(
    client, send_officer, overrides, message
):
    client.force_login(send_officer)

    response = client.post(reverse("ehcp:child-create"), child_form(**overrides))

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "There is a problem" in page
    assert 'value="Jones"' in page  # what was typed stays
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_an_nhs_number_belongs_to_one_child_only(client, send_officer):
    ChildFactory(nhs_number=VALID_NHS_NUMBER)
    client.force_login(send_officer)

    response = client.post(reverse("ehcp:child-create"), child_form())

    assert "Another child already has this NHS number" in response.content.decode()


@pytest.mark.django_db
def test_every_view_of_a_childs_record_is_logged(client, dco):
    child = ChildFactory()
    client.force_login(dco)

    client.get(reverse("ehcp:child", args=[child.pk]))
    client.get(reverse("ehcp:child", args=[child.pk]))

    views = child_record_views(child)
    assert views.filter(actor=dco, summary="child record", url_name="ehcp:child").count() == 2


@pytest.mark.django_db
def test_a_health_professional_sees_only_children_with_a_request_to_their_provider(
    client, health_professional_a, provider_a, provider_b
):
    mine = make_advice_request(provider=provider_a).assessment.child
    other = make_advice_request(provider=provider_b).assessment.child
    client.force_login(health_professional_a)

    listed = list(client.get(reverse("ehcp:children")).context["page"].object_list)

    assert listed == [mine]
    assert client.get(reverse("ehcp:child", args=[mine.pk])).status_code == 200
    assert client.get(reverse("ehcp:child", args=[other.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "sendiass_officer", "no_role_user"])
def test_people_outside_the_clinical_and_council_roles_see_no_child(client, request, persona):
    child = ChildFactory()
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("ehcp:children")).status_code == 403
    assert client.get(reverse("ehcp:child", args=[child.pk])).status_code == 403
    assert not child_record_views().exists()


@pytest.mark.django_db
def test_the_assessment_page_shows_the_statutory_clock(client, send_officer):
    from ehcp.tests.factories import make_assessment

    requested = timezone.localdate() - datetime.timedelta(weeks=21)
    assessment = make_assessment(requested_on=requested)
    make_advice_request(assessment=assessment)
    client.force_login(send_officer)

    page = client.get(reverse("ehcp:assessment", args=[assessment.pk])).content.decode()

    assert "Final plan issued" in page and "20 weeks, reg 13(2)" in page
    assert "All health advice returned" in page
    assert "Overdue" in page
    assert dateformat.format(requested + datetime.timedelta(weeks=20), "j M Y") in page


@pytest.mark.django_db
def test_the_children_list_runs_a_fixed_number_of_queries(client, dco, django_assert_num_queries):
    for _ in range(15):
        ChildFactory()
    client.force_login(dco)
    client.get(reverse("ehcp:children"))

    # session, user (with the roles held today), count, the ids of the page, its children
    # (the session is saved at most once a minute: not here)
    with django_assert_num_queries(5):
        response = client.get(reverse("ehcp:children"))
    names = [(c.last_name, c.first_name, c.pk) for c in response.context["page"].object_list]
    assert len(names) == 15 and names == sorted(names)


# --- NHS numbers: ten ASCII digits, however they were typed ---------------------------

ARABIC_INDIC = "٩٤٣٤٧٦٥٩١٩"  # 9434765919 in Arabic-Indic digits
FULL_WIDTH = "９４３ ４７６ ５９１９"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    [ARABIC_INDIC, FULL_WIDTH, "۹۴۳-۴۷۶-۵۹۱۹", "943\u00a0476\u00a05919", "943–476–5919"],
)
def test_an_nhs_number_in_other_digits_is_stored_as_ten_ascii_digits(client, send_officer, typed):
    client.force_login(send_officer)

    response = client.post(reverse("ehcp:child-create"), child_form(nhs_number=typed))

    assert response.status_code == 302
    assert Child.objects.get().nhs_number == VALID_NHS_NUMBER


@pytest.mark.django_db
def test_the_same_nhs_number_in_other_digits_is_the_same_child(client, send_officer):
    client.force_login(send_officer)
    assert client.post(reverse("ehcp:child-create"), child_form()).status_code == 302

    response = client.post(
        reverse("ehcp:child-create"), child_form(first_name="Samuel", nhs_number=ARABIC_INDIC)
    )

    assert "Another child already has this NHS number" in response.content.decode()
    assert Child.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed",
    ["0000000000", "1111111111", "4444444444", "²²²²²²²²²²", "943 476 591⁹", "94347659１9x"],
)
def test_numbers_that_can_never_be_issued_are_refused(client, send_officer, typed):
    client.force_login(send_officer)

    response = client.post(reverse("ehcp:child-create"), child_form(nhs_number=typed))

    assert response.status_code == 200
    page = response.content.decode()
    assert "This is not a valid NHS number" in page or "Enter an NHS number of 10 digits" in page
    assert not Child.objects.exists()


@pytest.mark.django_db
def test_the_migration_stores_existing_numbers_as_ascii_digits():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ehcp.migrations.0011_c_nhs_number_ascii_digits")
    typed = ChildFactory(nhs_number=ARABIC_INDIC)
    plain = ChildFactory(nhs_number="4857773456")

    migration.normalise(apps, None)

    typed.refresh_from_db()
    plain.refresh_from_db()
    assert (typed.nhs_number, plain.nhs_number) == (VALID_NHS_NUMBER, "4857773456")


@pytest.mark.django_db
def test_the_migration_stops_rather_than_lose_a_child_recorded_twice():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ehcp.migrations.0011_c_nhs_number_ascii_digits")
    first = ChildFactory(nhs_number=VALID_NHS_NUMBER)
    second = ChildFactory(nhs_number=ARABIC_INDIC)

    with pytest.raises(RuntimeError, match=f"Children {first.pk} and {second.pk}"):
        migration.normalise(apps, None)


@pytest.mark.django_db
def test_a_record_page_fetches_its_record_once_for_the_rule_and_the_page(client, dco):
    # The permission rule is asked of the record the page then shows: one query, not two.
    from ehcp.tests.factories import make_advice_request
    from tests.fetched import times_fetched

    advice = make_advice_request()
    assessment = advice.assessment
    client.force_login(dco)
    pages = {
        reverse("ehcp:child", args=[assessment.child_id]): "ehcp_child",
        reverse("ehcp:assessment", args=[assessment.pk]): "ehcp_assessment",
        reverse("ehcp:advice", args=[advice.pk]): "ehcp_advicerequest",
    }
    for url, table in pages.items():
        assert times_fetched(client, url, table) == 1, url
