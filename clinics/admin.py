"""The clinics app has no admin. Referrals, appointments, notes, outcomes and support offers
all name a child or say something clinical, and the administrator role sees nothing clinical
(README.md). Clinic records are read and changed in the portal's own pages, where the
clinical rules apply and each view of a child's record is audited. The reminders to
families are notifications' deliveries, listed there by appointment id and never with the
family's address. tests/test_admin_nothing_clinical.py fails if a clinical model is
registered again."""
