"""The clinics app has no admin. Referrals, appointments, notes, outcomes, support offers and
reminders to families all name a child or say something clinical, and the administrator
role sees nothing clinical (README.md). Clinic records are read and changed in the portal's
own pages, where the clinical rules apply and each view of a child's record is audited.
tests/test_admin_nothing_clinical.py fails if a clinical model is registered again."""
