"""Who may do what in the Social Communication Clinic and individual appointments.

The DMO and the Clinical Lead run the clinic and see families: they see children's
referrals and appointments and read and write clinical notes. Health professionals of
provider services do NOT see clinic records or notes: the clinic's records are the
DMO's and the Clinical Lead's clinical records (decision recorded here; change it here
only). The DCO and commissioners see the anonymous waiting-time figures only.
"""

import rules

from roles.rules import is_administrator, is_clinical_lead, is_commissioner, is_dco, is_dmo

runs_the_clinic = is_dmo | is_clinical_lead

rules.add_perm("clinics.see_referrals", runs_the_clinic)
rules.add_perm("clinics.refer_child", runs_the_clinic)
rules.add_perm("clinics.see_referral", runs_the_clinic)
rules.add_perm("clinics.triage_referral", runs_the_clinic)
rules.add_perm("clinics.book_appointment", runs_the_clinic)
rules.add_perm("clinics.see_appointment", runs_the_clinic)
rules.add_perm("clinics.record_attendance", runs_the_clinic)
rules.add_perm("clinics.see_clinical_notes", runs_the_clinic)
rules.add_perm("clinics.write_clinical_notes", runs_the_clinic)
rules.add_perm("clinics.offer_support", runs_the_clinic)
rules.add_perm("clinics.see_waiting_figures", runs_the_clinic | is_dco | is_commissioner)

# Django admin: administrators look at clinic records read-only.
rules.add_perm("clinics", is_administrator)
for _model in ("referral", "appointment", "supportoffer", "reminder"):
    rules.add_perm(f"clinics.view_{_model}", is_administrator)
