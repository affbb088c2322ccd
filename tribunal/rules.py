"""Who may do what with a SEND Tribunal appeal.

Who may see an appeal follows who may see the child (``ehcp.view_child``), and a health
professional also sees an appeal whose Tribunal asks their organisation for evidence.
The ICB's commissioner sees appeals too: they approve health's response to a
recommendation, as they agree the health provision of plans. The council's SEND officer
or the DCO records appeals and recommendations; the DCO asks for and sends evidence,
names witnesses and drafts the response; the DMO or the commissioner approves it.
"""

import rules

from roles.models import RoleCode
from roles.rules import (
    is_commissioner,
    is_dco,
    is_designated_health_role,
    is_dmo,
    is_health_professional,
    is_send_officer,
    record_is_in_my_areas,
)
from roles.selectors import current_organisation_ids


def _provider_ids(user) -> frozenset:
    return current_organisation_ids(user, RoleCode.HEALTH_PROFESSIONAL)


@rules.predicate
def may_see_the_child(user, appeal) -> bool:
    return appeal is not None and user.has_perm("ehcp.view_child", appeal.child)


@rules.predicate
def evidence_asked_of_my_organisation(user, appeal) -> bool:
    from tribunal.models import EvidenceRequest

    ids = _provider_ids(user)
    return (
        appeal is not None
        and bool(ids)
        and EvidenceRequest.objects.filter(appeal=appeal, provider_id__in=ids).exists()
    )


@rules.predicate
def request_is_for_my_organisation(user, evidence_request) -> bool:
    return evidence_request is not None and evidence_request.provider_id in _provider_ids(user)


@rules.predicate
def request_is_open(user, evidence_request) -> bool:
    return evidence_request is not None and evidence_request.is_open


@rules.predicate
def in_my_areas(user, record) -> bool:
    """The appeal (or its evidence, witness, recommendation) belongs, through the child, to
    an area the user works in; asked without a record it holds (the selectors bound which:
    tribunal.selectors.appeals_visible_to)."""
    return record is None or record_is_in_my_areas(user, record)


#: The roles that see every child (ehcp.rules.sees_every_plan), so every appeal.
sees_every_child = is_designated_health_role | is_send_officer
sees_appeals = is_designated_health_role | is_send_officer | is_commissioner
approves_responses = is_dmo | is_commissioner

rules.add_perm("tribunal.list_appeals", sees_appeals | is_health_professional)
rules.add_perm(
    "tribunal.view_appeal",
    (is_commissioner & in_my_areas)
    | may_see_the_child
    | (is_health_professional & evidence_asked_of_my_organisation),
)
# Evidence is read as health advice is (ehcp.view_advice_request): a health professional
# reads only what was asked of their own organisation, not another provider's evidence.
rules.add_perm(
    "tribunal.view_evidence",
    ((sees_every_child | is_commissioner) & in_my_areas)
    | (is_health_professional & request_is_for_my_organisation),
)
rules.add_perm("tribunal.record_appeal", is_send_officer | is_dco)
rules.add_perm("tribunal.record_decision", is_send_officer | is_dco)
rules.add_perm("tribunal.request_evidence", is_dco)
rules.add_perm(
    "tribunal.write_evidence",
    is_health_professional & request_is_for_my_organisation & request_is_open,
)
rules.add_perm("tribunal.send_evidence", is_dco)
rules.add_perm("tribunal.manage_witnesses", is_dco)
rules.add_perm("tribunal.record_recommendation", is_send_officer | is_dco)
rules.add_perm("tribunal.draft_response", is_dco)
rules.add_perm("tribunal.approve_response", approves_responses)
rules.add_perm("tribunal.send_response", is_dco)
# The home page's line of appeals waiting on health: the DCO's and the ICB's.
rules.add_perm("tribunal.follow_appeals_waiting_on_health", is_dco | is_commissioner)
