"""Who may do what with concerns, themes, escalations and reports.

Commissioners and governance readers see aggregated, anonymised figures; SENDIASS
officers see the concerns they logged; the DCO and the Clinical Lead see everything;
Parent Carer Forum representatives read the "you said, we did" list.
"""

import rules

from roles.rules import (
    is_administrator,
    is_clinical_lead,
    is_commissioner,
    is_dco,
    is_dmo,
    is_governance_reader,
    is_parent_carer_forum,
    is_sendiass_officer,
)

sees_all_intelligence = is_dco | is_clinical_lead
reads_reports = sees_all_intelligence | is_commissioner | is_governance_reader | is_dmo


@rules.predicate
def logged_it(user, concern) -> bool:
    return concern is not None and concern.logged_by_id == user.pk


@rules.predicate
def asked_for_the_pack(user, pack) -> bool:
    """A governance pack is its asker's alone: nobody else sees or downloads it, whatever
    their role; to anyone else it does not exist (the pages answer 404)."""
    return pack is not None and pack.requested_by_id == user.pk


rules.add_perm("intelligence.log_concerns", sees_all_intelligence | is_sendiass_officer | is_dmo)
rules.add_perm("intelligence.list_concerns", sees_all_intelligence | is_sendiass_officer | is_dmo)
rules.add_perm("intelligence.see_concern", sees_all_intelligence | logged_it)
rules.add_perm("intelligence.import_concerns", sees_all_intelligence | is_sendiass_officer)
rules.add_perm("intelligence.escalate", sees_all_intelligence)
rules.add_perm("intelligence.record_outcome", sees_all_intelligence)
rules.add_perm("intelligence.manage_themes", is_dco)
rules.add_perm("intelligence.list_escalations", sees_all_intelligence | is_commissioner)
rules.add_perm("intelligence.answer_escalations", is_commissioner)
rules.add_perm(
    "intelligence.read_you_said_we_did",
    sees_all_intelligence
    | is_commissioner
    | is_governance_reader
    | is_parent_carer_forum
    | is_sendiass_officer,
)
rules.add_perm("intelligence.read_reports", reads_reports)
# The ICB's page: each area the reader works in, side by side (intelligence/areas.py).
rules.add_perm("intelligence.compare_areas", reads_reports)

rules.add_perm(
    "intelligence.see_report_pack",
    reads_reports & asked_for_the_pack,
)

rules.add_perm("intelligence", is_administrator)
rules.add_perm("intelligence.view_reportpack", is_administrator)
rules.add_perm("intelligence.view_theme", is_administrator)
rules.add_perm("intelligence.change_theme", is_administrator)
