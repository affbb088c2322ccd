"""The DMO's sign-off queue: order, filters, who sees it, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp.models import Need
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off


def waiting_plan(weeks_ago, need=Need.ASD):
    return make_plan_waiting_for_sign_off(
        child=ChildFactory(primary_need=need),
        requested_on=timezone.localdate() - datetime.timedelta(weeks=weeks_ago),
    )


@pytest.mark.django_db
def test_the_queue_puts_the_nearest_deadline_first_so_overdue_plans_lead(client, dmo):
    on_track = waiting_plan(2)
    overdue = waiting_plan(22)
    due_soon = waiting_plan(19)
    client.force_login(dmo)

    response = client.get(reverse("ehcp:sign-off-queue"))

    assert [p.pk for p in response.context["page"].object_list] == [
        overdue.pk,
        due_soon.pk,
        on_track.pk,
    ]
    page = response.content.decode()
    assert page.index("Overdue") < page.index("Due soon") < page.index("On track")


@pytest.mark.django_db
def test_the_queue_filters_by_need_and_due_date(client, dmo):
    asd = waiting_plan(10, Need.ASD)
    slcn = waiting_plan(12, Need.SLCN)
    client.force_login(dmo)

    by_need = client.get(reverse("ehcp:sign-off-queue"), {"need": Need.SLCN})
    due_by = client.get(
        reverse("ehcp:sign-off-queue"),
        {"due_by": slcn.assessment.final_plan_due.isoformat()},
    )

    assert [p.pk for p in by_need.context["page"].object_list] == [slcn.pk]
    assert [p.pk for p in due_by.context["page"].object_list] == [slcn.pk]
    assert asd.pk not in [p.pk for p in due_by.context["page"].object_list]


@pytest.mark.django_db
def test_signed_and_draft_plans_are_not_in_the_queue(client, dmo):
    from ehcp.tests.factories import make_assessment

    make_assessment()  # a draft with nothing written
    client.force_login(dmo)

    response = client.get(reverse("ehcp:sign-off-queue"))

    assert list(response.context["page"].object_list) == []
    assert "No plans are waiting for sign-off" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [5, 50])
def test_the_queue_runs_the_same_queries_for_5_and_50_plans(
    client, dmo, count, django_assert_num_queries
):
    for n in range(count):
        waiting_plan(1 + n % 20)
    client.force_login(dmo)
    client.get(reverse("ehcp:sign-off-queue"))  # warm the session
    from ehcp import selectors

    selectors._FINDINGS_BY_HASH.clear()  # as in a process that has not seen these texts

    # session, user (with the roles held today), the page count (which, unfiltered, is the number
    # waiting), the page of plans (with child, advice, QA grade, checklist and version
    # annotated), the text of the page's waiting versions for their open quality findings,
    # the filter's providers (the session is saved at most once a minute: not here)
    with django_assert_num_queries(6):
        client.get(reverse("ehcp:sign-off-queue"))
    # The texts' findings are then known (by the texts' hashes): their text is not read again.
    with django_assert_num_queries(5):
        response = client.get(reverse("ehcp:sign-off-queue"))
    assert len(response.context["page"].object_list) == min(count, 25)


@pytest.mark.django_db
def test_a_filtered_queue_still_says_how_many_plans_wait_in_all(client, dmo):
    for n in range(3):
        waiting_plan(1 + n)
    client.force_login(dmo)
    unfiltered = client.get(reverse("ehcp:sign-off-queue"))
    other_need = next(
        need
        for need in Need.values
        if need != unfiltered.context["page"][0].assessment.child.primary_need
    )
    filtered = client.get(reverse("ehcp:sign-off-queue"), {"need": other_need})
    bad_date = client.get(reverse("ehcp:sign-off-queue"), {"due_by": "not a date"})
    assert unfiltered.context["waiting"] == 3
    assert filtered.context["waiting"] == 3
    assert bad_date.context["waiting"] == 3
    assert filtered.context["page"].paginator.count < 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona,status",
    [
        ("dmo", 200),
        ("dco", 200),
        ("clinical_lead", 200),
        ("health_professional_a", 403),
        ("commissioner", 403),
        ("sendiass_officer", 403),
        ("no_role_user", 403),
    ],
)
def test_who_sees_the_queue(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("ehcp:sign-off-queue")).status_code == status


@pytest.mark.django_db
def test_a_queue_row_shows_the_child_the_deadline_the_status_the_quality_and_the_version(
    client, dmo, clinical_lead
):
    """Every cell of a row, for a DMO of two areas (who sees the area column): a plan sent
    back once and sent again (version 2), overdue, with advice not returned and a checklist
    graded 'good' run on the text that waits."""
    from ehcp import services
    from ehcp.tests.factories import make_advice_request, run_quality_checklist
    from tests.factories import LocalAreaFactory

    dmo.role_assignments.get().areas.add(LocalAreaFactory(name="Another area"))
    plan = make_plan_waiting_for_sign_off(
        author=clinical_lead,
        child=ChildFactory(first_name="Rowan", last_name="Queue", primary_need=Need.SLCN),
        requested_on=timezone.localdate() - datetime.timedelta(weeks=22),
    )
    services.return_for_amendment(plan.versions.get(), dmo, "Please name the therapist.")
    plan.refresh_from_db()
    plan = services.save_sections(
        plan, clinical_lead, plan.section_c + " Named.", plan.section_g, plan.edit_count
    )
    run_quality_checklist(plan)
    version = services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
    make_advice_request(assessment=plan.assessment)
    client.force_login(dmo)

    page = client.get(reverse("ehcp:sign-off-queue")).content.decode()

    row = page[page.rindex("<tr", 0, page.index("Rowan Queue")) :]
    row = row[: row.index("</tr>")]
    due = plan.assessment.final_plan_due
    for shown in (
        "Rowan Queue<br>",
        Need.SLCN.label,
        f"{due.day} {due:%b %Y}<br>",
        '<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>',
        '<strong class="nhsuk-tag nhsuk-tag--blue">Awaiting sign-off</strong>',
        "Some advice not returned",
        '<strong class="nhsuk-tag nhsuk-tag--green">No findings</strong>',
        "Last checklist: Good",
        f'<a href="{reverse("ehcp:sign-off-review", args=[version.pk])}">Review version 2'
        '<span class="nhsuk-u-visually-hidden"> for Rowan Queue</span></a>',
        '<td class="nhsuk-table__cell">Test area</td>',
    ):
        assert shown in row, shown


def _queue(client, user, **query):
    client.force_login(user)
    response = client.get(reverse("ehcp:sign-off-queue"), query)
    assert response.status_code == 200
    page = response.context["page"]
    return [plan.pk for plan in page.object_list], page.paginator.count


@pytest.mark.django_db
def test_each_person_sees_their_own_reach_in_the_unfiltered_queue_whoever_asked_first(client):
    """The queue unfiltered is read by SQL kept from the first person who reached as many
    areas (ehcp.selectors.sign_off_queue_page): whoever opens it after sees their own areas'
    plans and no one else's, and the same as the queue filtered by nothing the SQL of which
    is built for them alone. The DMO of area B who is also a provider's health professional
    reaches, besides, the child of area A with a request to that provider."""
    from ehcp import selectors
    from ehcp.tests.factories import make_advice_request
    from roles.models import RoleCode
    from tests.factories import LocalAreaFactory, OrganisationFactory, person_holding

    area_a, area_b = LocalAreaFactory(name="Area A"), LocalAreaFactory(name="Area B")
    in_a = [
        make_plan_waiting_for_sign_off(child=ChildFactory(area=area_a), requested_on=due)
        for due in (timezone.localdate() - datetime.timedelta(weeks=w) for w in (3, 9))
    ]
    in_b = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_b))
    provider = OrganisationFactory(name="Provider asked in area A")
    make_advice_request(assessment=in_a[1].assessment, provider=provider)
    dmo_a = person_holding(RoleCode.DMO, areas=[area_a])
    dmo_b = person_holding(RoleCode.DMO, areas=[area_b])
    person_holding(RoleCode.HEALTH_PROFESSIONAL, provider, user=dmo_b)
    dmo_both = person_holding(RoleCode.DMO, areas=[area_a, area_b])
    dmo_none = person_holding(RoleCode.DMO, areas=[])
    # The nearest deadline first: the plan asked 9 weeks ago, then the one asked today in
    # area B, then the one asked 3 weeks ago... as the factory's dates make them.
    by_deadline = list(selectors.plans_waiting(dmo_both).values_list("pk", flat=True))
    expected = {
        dmo_a: [pk for pk in by_deadline if pk in (in_a[0].pk, in_a[1].pk)],
        # Their area's plan, and the one their organisation was asked about.
        dmo_b: [pk for pk in by_deadline if pk in (in_b.pk, in_a[1].pk)],
        dmo_both: by_deadline,
        dmo_none: [],
    }
    assert sorted(by_deadline) == sorted([in_a[0].pk, in_a[1].pk, in_b.pk])

    for person in (dmo_a, dmo_b, dmo_both, dmo_none, dmo_a, dmo_b, dmo_both):
        built_for_them = list(selectors.plans_waiting(person).values_list("pk", flat=True))

        assert built_for_them == expected[person]
        assert _queue(client, person) == (expected[person], len(expected[person]))
        # ... and filtered by "Any" status: the SQL built for them on the view.
        assert _queue(client, person, status="", need="") == (
            expected[person],
            len(expected[person]),
        )
    assert _queue(client, dmo_a, need=Need.SLCN) == ([], 0)


@pytest.mark.django_db
def test_the_unfiltered_queue_pages_as_the_filtered_one_does(client, dmo):
    plans = [waiting_plan(n % 20, Need.ASD) for n in range(28)]
    from ehcp import selectors

    in_order = list(selectors.plans_waiting(dmo).values_list("pk", flat=True))
    assert sorted(in_order) == sorted(plan.pk for plan in plans)

    for number, rows in (("1", in_order[:25]), ("2", in_order[25:]), ("9", in_order[25:])):
        assert _queue(client, dmo, page=number) == (rows, 28)
        assert _queue(client, dmo, page=number, need=Need.ASD) == (rows, 28)
    assert _queue(client, dmo, page="not a page") == (in_order[:25], 28)


@pytest.mark.django_db
def test_the_providers_offered_are_those_asked_about_the_persons_own_children(client, dco):
    """The queue's "Advice from" and the advice list's "Provider" offer the providers asked
    about a child the person reaches, read by SQL kept from whoever asked first: for the DMO
    of area B after the DMO of area A, B's providers only. Choosing one filters by it; another
    area's provider, or an id that is no provider's, is refused with a message."""
    from ehcp.tests.factories import make_advice_request
    from roles.models import RoleCode
    from tests.factories import LocalAreaFactory, OrganisationFactory, person_holding

    area_a, area_b = LocalAreaFactory(name="Area A"), LocalAreaFactory(name="Area B")
    plan_a = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_a))
    also_a = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_a))
    plan_b = make_plan_waiting_for_sign_off(child=ChildFactory(area=area_b))
    trust_a = OrganisationFactory(name="Alder Trust")
    trust_b = OrganisationFactory(name="Birch Trust")
    trust_ab = OrganisationFactory(name="Aspen and Birch Trust")
    make_advice_request(assessment=plan_a.assessment, provider=trust_a)
    make_advice_request(assessment=plan_a.assessment, provider=trust_ab)
    make_advice_request(assessment=plan_b.assessment, provider=trust_b)
    make_advice_request(assessment=plan_b.assessment, provider=trust_ab)
    dmo_a = person_holding(RoleCode.DMO, areas=[area_a])
    dmo_b = person_holding(RoleCode.DMO, areas=[area_b])
    dco_b = person_holding(RoleCode.DCO, areas=[area_b])

    def offered(response, name):
        return [label for _, label in response.context["filter"].form.fields[name].choices]

    for person, trusts in (
        (dmo_a, ["Any provider", "Alder Trust", "Aspen and Birch Trust"]),
        (dmo_b, ["Any provider", "Aspen and Birch Trust", "Birch Trust"]),
    ):
        client.force_login(person)
        response = client.get(reverse("ehcp:sign-off-queue"))
        assert offered(response, "provider") == trusts
        assert [f">{trust}</option>" in response.content.decode() for trust in trusts[1:]] == [
            True,
            True,
        ]

    assert _queue(client, dmo_a, provider=trust_ab.pk) == ([plan_a.pk], 1)
    assert _queue(client, dmo_b, provider=str(trust_ab.pk)) == ([plan_b.pk], 1)
    assert also_a.pk in _queue(client, dmo_a)[0]
    for refused in (trust_b.pk, f" {trust_b.pk}", "not an id", "99999999999999999999", "-1"):
        client.force_login(dmo_a)
        response = client.get(reverse("ehcp:sign-off-queue"), {"provider": refused})
        assert response.status_code == 200
        assert response.context["filter"].form.errors["provider"] == [
            "Select a valid choice. That choice is not one of the available choices."
        ]
    # The advice list offers the same, to a DCO of area B.
    client.force_login(dco_b)
    listed = client.get(reverse("ehcp:advice-list"), {"state": "", "provider": trust_ab.pk})
    assert offered(listed, "provider") == ["Any provider", "Aspen and Birch Trust", "Birch Trust"]
    assert [request.provider_id for request in listed.context["page"].object_list] == [trust_ab.pk]
    refused = client.get(reverse("ehcp:advice-list"), {"provider": trust_a.pk})
    assert refused.context["filter"].form.errors["provider"]
