"""Who may see an appeal follows who may see the child; who may do what with it."""

import pytest

from tribunal import selectors

pytestmark = pytest.mark.django_db


def test_who_sees_an_appeal(
    appeal,
    dmo,
    dco,
    clinical_lead,
    send_officer,
    commissioner,
    health_professional_a,
    health_professional_b,
    sendiass_officer,
    no_role_user,
    administrator,
):
    for person in (dmo, dco, clinical_lead, send_officer, commissioner, health_professional_a):
        assert person.has_perm("tribunal.view_appeal", appeal), person
        assert appeal in selectors.appeals_visible_to(person), person
    for person in (health_professional_b, sendiass_officer, no_role_user, administrator):
        assert not person.has_perm("tribunal.view_appeal", appeal), person
        assert appeal not in selectors.appeals_visible_to(person), person


def test_a_provider_asked_for_evidence_sees_the_appeal(
    appeal, health_professional_b, provider_b, dco
):
    from .test_selectors import ask

    ask(appeal, provider_b, dco)
    assert health_professional_b.has_perm("tribunal.view_appeal", appeal)
    assert appeal in selectors.appeals_visible_to(health_professional_b)


def test_only_the_asked_provider_writes_evidence_while_open(
    evidence_request, health_professional_a, health_professional_b, dco
):
    assert health_professional_a.has_perm("tribunal.write_evidence", evidence_request)
    assert not health_professional_b.has_perm("tribunal.write_evidence", evidence_request)
    assert not dco.has_perm("tribunal.write_evidence", evidence_request)


def test_the_dmo_or_commissioner_approves_and_the_dco_drafts(
    dmo, dco, commissioner, send_officer, health_professional_a
):
    assert dmo.has_perm("tribunal.approve_response")
    assert commissioner.has_perm("tribunal.approve_response")
    assert not dco.has_perm("tribunal.approve_response")
    assert dco.has_perm("tribunal.draft_response")
    assert not send_officer.has_perm("tribunal.draft_response")
    assert send_officer.has_perm("tribunal.record_appeal")
    assert not health_professional_a.has_perm("tribunal.record_appeal")


def test_a_provider_reads_its_own_evidence_not_another_providers(
    appeal, evidence_request, provider_b, dco, health_professional_a, health_professional_b
):
    from .test_selectors import ask

    theirs = ask(appeal, provider_b, dco)
    assert health_professional_a.has_perm("tribunal.view_evidence", evidence_request)
    assert not health_professional_a.has_perm("tribunal.view_evidence", theirs)
    assert health_professional_b.has_perm("tribunal.view_evidence", theirs)
    assert not health_professional_b.has_perm("tribunal.view_evidence", evidence_request)
    assert dco.has_perm("tribunal.view_evidence", theirs)
