"""The role directory, role history and person pages, from each side."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roles.models import RoleCode
from tests.factories import person_holding


@pytest.mark.django_db
def test_the_dmo_sees_who_holds_each_role_and_what_it_is_for(client, dmo, dco):
    client.force_login(dmo)

    response = client.get(reverse("roles:directory"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Designated Medical Officer" in page
    assert "Dr Dee Emmo" in page and "Dee Ceeo" in page
    assert "Chairs the bi-monthly SEND Health Café" in page
    assert "Vacant" in page  # e.g. nobody holds the governance reader role here


@pytest.mark.django_db
def test_the_directory_leaves_out_people_whose_role_has_ended(client, dmo):
    today = timezone.localdate()
    person_holding(
        RoleCode.DMO,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
        user__full_name="Dr Former Holder",
    )
    client.force_login(dmo)

    page = client.get(reverse("roles:directory")).content.decode()

    assert "Dr Former Holder" not in page


@pytest.mark.django_db
def test_the_directory_runs_a_fixed_number_of_queries(client, dmo, django_assert_num_queries):
    client.force_login(dmo)
    client.get(reverse("roles:directory"))  # warm the session
    for _ in range(15):
        person_holding(RoleCode.HEALTH_PROFESSIONAL)

    # session, user (with the roles held today), roles, current assignments with holder
    # and organisation (the session is saved at most once a minute: not here)
    with django_assert_num_queries(4):
        response = client.get(reverse("roles:directory"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_user_with_no_current_role_is_refused_the_directory_with_an_nhs_page(
    client, no_role_user
):
    client.force_login(no_role_user)

    response = client.get(reverse("roles:directory"))

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()
    assert "nhsuk-header" in response.content.decode()


@pytest.mark.django_db
def test_role_history_shows_past_and_present_holders_newest_first(client, dco):
    today = timezone.localdate()
    person_holding(
        RoleCode.DMO,
        starts_on=today - datetime.timedelta(days=2000),
        ends_on=today - datetime.timedelta(days=401),
        user__full_name="Dr Long Ago",
    )
    person_holding(
        RoleCode.DMO, starts_on=today - datetime.timedelta(days=400), user__full_name="Dr Now"
    )
    client.force_login(dco)

    page = client.get(reverse("roles:role", args=["dmo"])).content.decode()

    assert page.index("Dr Now") < page.index("Dr Long Ago")


@pytest.mark.django_db
def test_role_history_paginates(client, dco):
    today = timezone.localdate()
    for n in range(30):
        person_holding(
            RoleCode.DMO,
            starts_on=today - datetime.timedelta(days=100 + n * 10),
            ends_on=today - datetime.timedelta(days=95 + n * 10),
        )
    client.force_login(dco)

    first = client.get(reverse("roles:role", args=["dmo"]))
    second = client.get(reverse("roles:role", args=["dmo"]), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Page 2 of 2" in first.content.decode()


@pytest.mark.django_db
def test_an_unknown_role_is_not_found(client, dco):
    client.force_login(dco)

    assert client.get(reverse("roles:role", args=["wizard"])).status_code == 404


@pytest.mark.django_db
def test_a_person_page_shows_current_and_past_roles(client, dco):
    today = timezone.localdate()
    person = person_holding(RoleCode.CLINICAL_LEAD, user__full_name="Pat Person")
    person_holding(
        RoleCode.HEALTH_PROFESSIONAL,
        user=person,
        starts_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=31),
    )
    client.force_login(dco)

    response = client.get(reverse("roles:person", args=[person.pk]))

    assignments = response.context["assignments"]
    assert [a.role.code for a in assignments.current] == [RoleCode.CLINICAL_LEAD]
    assert [a.role.code for a in assignments.past] == [RoleCode.HEALTH_PROFESSIONAL]


@pytest.mark.django_db
def test_my_roles_works_for_a_user_without_a_role_and_says_why(client, no_role_user):
    client.force_login(no_role_user)

    response = client.get(reverse("roles:my-roles"), follow=True)

    assert response.status_code == 200
    assert "You do not hold a role today" in response.content.decode()


@pytest.mark.django_db
def test_a_user_without_a_role_cannot_see_other_people(client, no_role_user, dmo):
    client.force_login(no_role_user)

    assert client.get(reverse("roles:person", args=[dmo.pk])).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dmo", "dco", "commissioner", "administrator", "no_role_user"])
def test_navigation_shows_exactly_what_the_user_may_use(client, request, persona):
    from home.navigation import PRIMARY_NAVIGATION

    user = request.getfixturevalue(persona)
    client.force_login(user)

    context = client.get(reverse("home")).context
    header = [item.label for item in context["primary_navigation"]]
    listed = ["Home"] + [item.label for _, items in context["page_groups"] for item in items]

    expected = [
        i.label for i in PRIMARY_NAVIGATION if not i.permission or user.has_perm(i.permission)
    ]
    # Every page the person may use is listed (grouped); the header offers none other.
    assert sorted(listed) == sorted(expected)
    assert set(header) - {"All pages"} <= set(expected)


@pytest.mark.django_db
def test_the_dmo_and_the_administrator_see_different_places(client, dmo, administrator):
    def labels(context):
        return [i.label for _, items in context["page_groups"] for i in items]

    client.force_login(dmo)
    dmo_labels = labels(client.get(reverse("home")).context)
    client.force_login(administrator)
    admin_labels = labels(client.get(reverse("home")).context)

    assert "Sign-off queue" in dmo_labels and "Administration" not in dmo_labels
    assert "Administration" in admin_labels and "Sign-off queue" not in admin_labels


@pytest.mark.django_db
def test_the_header_names_the_service_and_the_local_area(client, dmo, settings):
    client.force_login(dmo)

    page = client.get(reverse("home")).content.decode()

    assert "SEND Health Coordination — Test area" in page  # the DMO's own area
    assert 'href="#maincontent"' in page  # skip link
    assert "nhsuk-footer" in page


@pytest.mark.django_db
def test_the_header_title_and_footer_name_the_areas_the_person_works_in(
    client, settings, django_assert_num_queries
):
    from tests.factories import IntegratedCareBoardFactory, LocalAreaFactory

    settings.LOCAL_AREA_NAME = "South Tyneside"
    icb = IntegratedCareBoardFactory(name="North East and North Cumbria ICB", code="E54000050")
    sunderland = LocalAreaFactory(name="Sunderland", code="E08000024", icb=icb)
    tyneside = LocalAreaFactory(name="South Tyneside", code="E08000023", icb=icb)
    gateshead = LocalAreaFactory(name="Gateshead", code="E08000037", icb=icb)

    def page_of(user) -> str:
        client.force_login(user)
        return client.get(reverse("about")).content.decode()

    sunderland_dco = person_holding(RoleCode.DCO, areas=[sunderland])
    page = page_of(sunderland_dco)
    assert "<title>About this service – SEND Health Coordination — Sunderland – NHS" in page
    assert "partners in Sunderland" in page and "South Tyneside" not in page

    both = person_holding(RoleCode.DMO, areas=[tyneside, sunderland])
    assert "SEND Health Coordination — South Tyneside and Sunderland" in page_of(both)

    commissioner = person_holding(RoleCode.COMMISSIONER, every_area_of_icb=icb)
    assert "SEND Health Coordination — 3 local areas" in page_of(commissioner)
    assert gateshead.name not in page_of(commissioner)

    # Bound to no area: the deployment's name.
    administrator = person_holding(RoleCode.ADMINISTRATOR)
    assert "SEND Health Coordination — South Tyneside" in page_of(administrator)

    # Read with the user: the page makes no query more for the names.
    client.force_login(sunderland_dco)
    client.get(reverse("about"))
    with django_assert_num_queries(2):  # the session, the user (with the unread count)
        client.get(reverse("about"))


@pytest.mark.django_db
def test_the_directory_names_ten_holders_of_a_role_and_links_to_all_of_them(
    client, dco, django_assert_num_queries
):
    for _ in range(12):
        person_holding(RoleCode.HEALTH_PROFESSIONAL)
    client.force_login(dco)
    client.get(reverse("roles:directory"))  # warm the session

    # session, user (with its roles and the header's unread count), the roles with their
    # holder counts, the holders shown
    with django_assert_num_queries(4):
        response = client.get(reverse("roles:directory"))
    roles = {role.code: role for role in response.context["roles"]}
    professionals = roles[RoleCode.HEALTH_PROFESSIONAL]
    assert professionals.current_count == 12
    assert len(professionals.current_assignments) == 10
    assert roles[RoleCode.DCO].current_count == len(roles[RoleCode.DCO].current_assignments) == 1
    page = response.content.decode()
    assert "All 12 people who hold this role" in page
    everyone = client.get(reverse("roles:role", args=[RoleCode.HEALTH_PROFESSIONAL]))
    assert len(everyone.context["current_assignments"]) == 12
