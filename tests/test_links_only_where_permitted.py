"""A page links only to pages the person may open: the template asks the same rule the
linked view asks (``{% has_perm %}``), so a link never answers 403.

tests/browser/test_every_page.py finds such links on every page of the demo; these
tests pin the kinds it found.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp.models import ProviderService
from ehcp.tests.factories import make_advice_request, make_assessment
from roles.models import RoleCode
from tests.factories import person_holding

pytestmark = pytest.mark.django_db


def test_a_health_professional_sees_links_only_to_their_own_organisations_advice(
    client, health_professional_a, provider_a, provider_b
):
    assessment = make_assessment()
    ours = make_advice_request(assessment, provider=provider_a, service=ProviderService.SALT)
    theirs = make_advice_request(assessment, provider=provider_b, service=ProviderService.CAMHS)
    client.force_login(health_professional_a)

    page = client.get(reverse("ehcp:assessment", args=[assessment.pk])).content.decode()

    assert reverse("ehcp:advice", args=[ours.pk]) in page
    assert reverse("ehcp:advice", args=[theirs.pk]) not in page
    assert theirs.get_service_display() in page  # still listed, as text
    # The link left out is one the person may not follow.
    assert client.get(reverse("ehcp:advice", args=[theirs.pk])).status_code == 403


def test_the_dco_sees_a_link_to_every_request(client, dco, provider_a, provider_b):
    assessment = make_assessment()
    requests = [make_advice_request(assessment, provider=p) for p in (provider_a, provider_b)]
    client.force_login(dco)

    page = client.get(reverse("ehcp:assessment", args=[assessment.pk])).content.decode()

    for advice in requests:
        assert reverse("ehcp:advice", args=[advice.pk]) in page


def test_a_former_role_holder_sees_their_roles_without_links_to_role_pages(client, provider_a):
    today = timezone.localdate()
    former = person_holding(
        RoleCode.DMO,
        provider_a,
        starts_on=today - datetime.timedelta(days=900),
        ends_on=today - datetime.timedelta(days=400),
    )
    client.force_login(former)

    page = client.get(reverse("roles:my-roles"), follow=True).content.decode()

    assert "Designated Medical Officer" in page
    assert reverse("roles:role", args=[RoleCode.DMO]) not in page
    assert client.get(reverse("roles:role", args=[RoleCode.DMO])).status_code == 403


def test_a_current_role_holder_sees_links_to_their_role_pages(client, dmo):
    client.force_login(dmo)

    page = client.get(reverse("roles:my-roles"), follow=True).content.decode()

    assert reverse("roles:role", args=[RoleCode.DMO]) in page


def test_a_commissioner_on_a_plan_has_no_breadcrumb_to_the_child_or_the_assessment(
    client, commissioner, dmo, clinical_lead
):
    from ehcp.tests.test_plan_lists import named_plan, signed

    plan = signed(named_plan(clinical_lead, "Amara", "Okafor"), dmo).plan
    client.force_login(commissioner)

    page = client.get(reverse("ehcp:plan", args=[plan.pk])).content.decode()

    child_page = reverse("ehcp:child", args=[plan.assessment.child_id])
    assessment_page = reverse("ehcp:assessment", args=[plan.assessment_id])
    assert child_page not in page and assessment_page not in page
    assert client.get(child_page).status_code == 403


def _panel_meeting_chaired_by_a_send_officer():
    """A meeting whose chair (a SEND officer) may not open the meetings dashboard."""
    from meetings.models import MeetingKind
    from meetings.tests.factories import make_series, next_meeting

    series = make_series(
        name="SEND Panel",
        kind=MeetingKind.SEND_PANEL,
        chair=RoleCode.SEND_OFFICER,
        member_roles=(RoleCode.SEND_OFFICER,),
    )
    return next_meeting(series)


@pytest.mark.parametrize("page_name", ["meetings:chair", "meetings:move", "meetings:cancel"])
def test_a_chair_who_may_not_open_the_dashboard_is_led_back_to_their_meetings(
    client, send_officer, page_name
):
    meeting = _panel_meeting_chaired_by_a_send_officer()
    client.force_login(send_officer)

    page = client.get(reverse(page_name, args=[meeting.pk])).content.decode()

    assert reverse("meetings:dashboard") not in page
    assert reverse("meetings:mine") in page
    assert client.get(reverse("meetings:dashboard")).status_code == 403
