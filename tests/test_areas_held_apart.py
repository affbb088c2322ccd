"""Local areas are held apart: a person of another area asking for a record by its id gets
404, as if it did not exist, on every page of the EHC plans and the Tribunal that names a
record (found from the URL resolver, so a new page is covered without anyone remembering);
the person of the record's own area gets the page. Lists, search and CSV show only the
person's own areas' children; the DMO of both areas sees both, each row naming its area.

The world is tests/access_world.py (every kind of record, all in the test area "A"); area
"B" is another area of another ICB, with a person in each role that works on plans.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings
from django.urls import reverse

import tests.test_access_matrix as matrix
from ehcp.tests.factories import ChildFactory, make_assessment
from roles.models import RoleCode
from tests.access_world import world  # noqa: F401
from tests.factories import IntegratedCareBoardFactory, LocalAreaFactory, person_holding

#: The roles that work on children's plans in an area, by the world's persona names.
AREA_ROLES = {
    "dmo": RoleCode.DMO,
    "dco": RoleCode.DCO,
    "clinical_lead": RoleCode.CLINICAL_LEAD,
    "commissioner": RoleCode.COMMISSIONER,
    "send_officer": RoleCode.SEND_OFFICER,
}
#: Every page of the EHC plans and the Tribunal that names a record by its id.
RECORD_PAGES = [
    url
    for url in matrix.PORTAL_URLS
    if url.name.split(":")[0] in ("ehcp", "tribunal")
    and matrix.PAGES.get(url.name) is not None
    and matrix.PAGES[url.name].kwargs is not None
]


def _client(user) -> Client:
    from session_security.step_up import PASSWORD_ENTERED_AT

    client = Client(raise_request_exception=True)
    client.force_login(user)
    session = client.session
    session[PASSWORD_ENTERED_AT] = time.time()
    session.save()
    return client


@pytest.fixture(scope="module")
def area_b(world, django_db_blocker):  # noqa: F811
    """Another area of another ICB, with its own person in each role, and a DMO of both."""
    with django_db_blocker.unblock():
        icb_b = IntegratedCareBoardFactory(name="Other ICB", code="E54000902")
        area = LocalAreaFactory(name="Area B", code="E08000902", icb=icb_b)
        people = {
            name: person_holding(code, areas=[area], user__full_name=f"{name} of B")
            for name, code in AREA_ROLES.items()
            if code != RoleCode.COMMISSIONER
        }
        people["commissioner"] = person_holding(
            RoleCode.COMMISSIONER, every_area_of_icb=icb_b, user__full_name="commissioner of B"
        )
        both = person_holding(
            RoleCode.DMO,
            areas=[world.child.area, area],
            user__full_name="Dr Both Areas",
            user__registration_number="GMC 7000002",
        )
        child_b = ChildFactory(area=area, first_name="Bethany", last_name="Bywater")
        make_assessment(child_b)
    with override_settings(STEP_UP_MINUTES=24 * 60):
        yield {"area": area, "people": people, "both": both, "child": child_b}


@pytest.mark.django_db
@pytest.mark.parametrize("url", RECORD_PAGES, ids=lambda url: url.name)
def test_another_areas_record_is_not_found(world, area_b, url, record_property):  # noqa: F811
    page = matrix.PAGES[url.name]
    tally = {"pages": 1, "requests": 0, "not found": 0}
    path = reverse(url.name, kwargs=page.kwargs(world)) + page.query
    problems = []
    for name in AREA_ROLES:
        mine, theirs = _client(world.people[name]), _client(area_b["people"][name])
        for method in ("get", "post"):
            own, error, _ = matrix._ask(_Asker(mine), method, path, True)
            if error is not None:
                problems.append(f"{method.upper()} as {name} of A: raised {error!r}")
                continue
            allowed = page.access(method).decides(world.people[name], world)
            if (
                allowed
                and not (method == "get" and page.post_only)
                and own.status_code in (403, 404)
            ):
                problems.append(f"{method.upper()} as {name} of A: {own.status_code}")
            other, error, _ = matrix._ask(_Asker(theirs), method, path, True)
            tally["requests"] += 1
            if own.status_code == 403:
                # The role itself is refused the page, in any area: 403 says nothing of
                # whether the record exists.
                expected = (403, 404)
            elif method == "get" and page.post_only:
                expected = (404, 405)
            else:
                expected = (404,)
            if error is not None or other.status_code not in expected:
                problems.append(
                    f"{method.upper()} as {name} of B: {error or other.status_code}, "
                    f"expected {expected} (A's {name}: {own.status_code})"
                )
            elif other.status_code == 404:
                tally["not found"] += 1
    # Summed over every worker and printed after the run (conftest.py): how many pages,
    # requests and 404s.
    record_property("areas_held_apart", tally)
    assert tally["requests"] == 2 * len(AREA_ROLES)
    assert not problems, "\n".join(problems)


class _Asker:
    """matrix._ask's client: asks with the session the client signed in with."""

    def __init__(self, client):
        self.client = client

    def ask(self, method, path, *, password_confirmed):
        return getattr(self.client, method)(path)


LISTS = [
    "ehcp:children",
    "ehcp:advice-list",
    "ehcp:sign-off-queue",
    "ehcp:annual-reviews",
    "ehcp:plans-returned",
    "ehcp:plans-awaiting-agreement",
    "tribunal:appeals",
    "home",
]


@pytest.mark.django_db
def test_lists_show_only_the_persons_areas_and_the_dmo_of_both_sees_both(world, area_b):  # noqa: F811
    a_name = world.child.full_name
    b_name = area_b["child"].full_name
    shown = 0
    for name in AREA_ROLES:
        of_a, of_b = _client(world.people[name]), _client(area_b["people"][name])
        for list_name in LISTS:
            page_b = of_b.get(reverse(list_name))
            page_a = of_a.get(reverse(list_name))
            assert a_name not in page_b.content.decode(), (name, list_name)
            assert b_name not in page_a.content.decode(), (name, list_name)
            shown += page_b.status_code == 200
    assert shown > 10
    page = _client(area_b["people"]["send_officer"]).get(reverse("ehcp:children"))
    assert b_name in page.content.decode()
    both = _client(area_b["both"]).get(reverse("ehcp:children")).content.decode()
    assert a_name in both and b_name in both
    # Each row names its area for someone who works in more than one.
    assert "Area B" in both and world.child.area.name in both


def test_every_page_that_names_a_record_is_asked():
    """The record pages come from the URL resolver and the access matrix's table: a change
    there that found none would leave the test above asking nothing."""
    assert len(RECORD_PAGES) > 20
