"""Who may do what with children's records, health advice and the health sections.

Health professionals see only what was asked of their own organisation: a
request whose provider is an organisation where they hold the health
professional role today, and the children and plans those requests belong to.
"""

import rules

from roles.models import RoleCode
from roles.rules import (
    is_clinical_lead,
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
def request_is_for_my_organisation(user, advice_request) -> bool:
    return advice_request is not None and advice_request.provider_id in _provider_ids(user)


@rules.predicate
def request_is_open(user, advice_request) -> bool:
    return advice_request is not None and advice_request.is_open


@rules.predicate
def child_has_a_request_to_my_organisation(user, child) -> bool:
    from ehcp.models import AdviceRequest

    ids = _provider_ids(user)
    return (
        bool(ids)
        and AdviceRequest.objects.filter(assessment__child=child, provider_id__in=ids).exists()
    )


@rules.predicate
def plan_has_a_request_to_my_organisation(user, plan) -> bool:
    from ehcp.models import AdviceRequest

    ids = _provider_ids(user)
    return (
        bool(ids)
        and AdviceRequest.objects.filter(
            assessment_id=plan.assessment_id, provider_id__in=ids
        ).exists()
    )


@rules.predicate
def in_my_areas(user, record) -> bool:
    """The record (a child, or anything of a child's) belongs to an area the user works in.
    Asked without a record (may they see such records at all?) it holds: the selectors bound
    which records (ehcp.selectors.reachable_by)."""
    return record is None or record_is_in_my_areas(user, record)


#: Everyone who works on every child's plan in their local areas.
sees_every_plan = is_designated_health_role | is_send_officer

# Children and assessments
rules.add_perm("ehcp.view_children", sees_every_plan | is_health_professional)
rules.add_perm(
    "ehcp.view_child",
    (sees_every_plan & in_my_areas)
    | (is_health_professional & child_has_a_request_to_my_organisation),
)
rules.add_perm("ehcp.manage_assessments", is_send_officer | is_dco)

# Health advice
rules.add_perm("ehcp.view_advice_requests", sees_every_plan | is_health_professional)
rules.add_perm("ehcp.request_advice", is_send_officer | is_dco)
rules.add_perm("ehcp.chase_advice", is_dco)
rules.add_perm("ehcp.record_exception", is_send_officer | is_dco)
rules.add_perm(
    "ehcp.view_advice_request",
    (sees_every_plan & in_my_areas) | (is_health_professional & request_is_for_my_organisation),
)
rules.add_perm(
    "ehcp.write_advice",
    is_health_professional & request_is_for_my_organisation & request_is_open,
)

# Health sections C and G, QA and sign-off
rules.add_perm(
    "ehcp.view_plan",
    ((sees_every_plan | is_commissioner) & in_my_areas)
    | (is_health_professional & plan_has_a_request_to_my_organisation),
)
rules.add_perm(
    "ehcp.edit_sections",
    (is_clinical_lead & in_my_areas)
    | (is_health_professional & plan_has_a_request_to_my_organisation),
)
rules.add_perm("ehcp.review_quality", (is_dco | is_clinical_lead) & in_my_areas)
rules.add_perm("ehcp.view_sign_off_queue", is_designated_health_role)
rules.add_perm("ehcp.sign_off_plan", is_dmo)
rules.add_perm("ehcp.return_plan", is_dmo)
rules.add_perm("ehcp.agree_provision", is_commissioner)
# The worklists of plans: those returned for amendment (their authors and the DMO who
# returned them), and those waiting for the ICB's agreement (the commissioner agrees them).
rules.add_perm("ehcp.list_returned_plans", is_designated_health_role)
# Any plan's sections, not only those with a request to one's organisation: the Clinical
# Lead, whose home page counts every return waiting to be amended.
rules.add_perm("ehcp.edit_any_plan", is_clinical_lead)
rules.add_perm("ehcp.list_plans_awaiting_agreement", is_commissioner | is_designated_health_role)
rules.add_perm("ehcp.view_annual_reviews", sees_every_plan)
rules.add_perm("ehcp.manage_annual_reviews", is_send_officer | is_dco)

# Django admin for the ehcp app: the criteria administrators extend.
from roles.rules import is_administrator  # noqa: E402

rules.add_perm("ehcp", is_administrator)
for _action in ("view", "add", "change"):
    rules.add_perm(f"ehcp.{_action}_qualitycriterion", is_administrator)
