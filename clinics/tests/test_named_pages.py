"""The clinic's pages name the child and the reason for referral, not the referral's id."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics import selectors
from clinics.tests.conftest import make_child, make_referral

pytestmark = pytest.mark.django_db


def referral_for(user, first, last, reason, weeks_ago):
    received_on = timezone.localdate() - datetime.timedelta(weeks=weeks_ago)
    child = make_child(age_days=(timezone.localdate() - received_on).days + 3 * 365)
    child.first_name, child.last_name = first, last
    child.save()
    referral = make_referral(user, child=child, received_on=received_on, accept=True)
    referral.reason = reason
    referral.save()
    return referral


def test_longest_waits_name_the_child_and_the_reason(client, clinical_lead):
    oldest = referral_for(
        clinical_lead, "Amara", "Okafor", "Limited shared attention at nursery.", 16
    )
    referral_for(clinical_lead, "Leo", "Hart", "Speech regression since age 2.", 3)
    client.force_login(clinical_lead)

    page = client.get(reverse("clinics:referrals")).content.decode()

    overview = page.split("Longest waits", 1)[1].split("</dl>", 1)[0]
    assert "Amara Okafor" in overview and "Limited shared attention at nursery." in overview
    assert "Leo Hart" in overview and "Speech regression since age 2." in overview
    assert overview.index("Amara Okafor") < overview.index("Leo Hart")
    assert f"Referral {oldest.pk}" not in overview


def test_the_named_longest_waits_take_one_query(clinical_lead, django_assert_num_queries):
    for weeks in (20, 12, 6):
        referral_for(clinical_lead, f"Child{weeks}", "Smith", f"Reason {weeks}", weeks)

    # One query: the waiting referrals with their children joined.
    with django_assert_num_queries(1):
        waits = selectors.longest_waits_named(timezone.localdate(), None)

    assert [w["child_name"] for w in waits] == ["Child20 Smith", "Child12 Smith", "Child6 Smith"]
    assert [w["reason"] for w in waits] == ["Reason 20", "Reason 12", "Reason 6"]


def test_the_figures_page_stays_without_names(client, clinical_lead, commissioner):
    referral_for(clinical_lead, "Amara", "Okafor", "Limited shared attention at nursery.", 16)
    client.force_login(commissioner)

    page = client.get(reverse("clinics:figures")).content.decode()

    assert "Amara" not in page and "Limited shared attention" not in page


def test_the_triage_page_names_the_child_and_shows_the_reason(client, clinical_lead):
    child = make_child(age_days=3 * 365)
    child.first_name, child.last_name = "Isla", "Brennan"
    child.save()
    referral = make_referral(clinical_lead, child=child)
    client.force_login(clinical_lead)

    page = client.get(reverse("clinics:referral-triage", args=[referral.pk])).content.decode()

    assert "<h1>Triage the referral for Isla Brennan</h1>" in page
    assert "Concerns about social communication." in page
    assert f"Triage referral {referral.pk}" not in page
    assert f"Referral {referral.pk}" not in page
