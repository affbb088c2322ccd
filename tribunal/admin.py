"""The tribunal app has no admin. Appeals, evidence, witnesses and recommendations name a
child and say something clinical, and the administrator role sees nothing clinical
(README.md); they are read and changed in the portal's own pages, where the rules apply
and each view is audited. tests/test_admin_nothing_clinical.py fails if one is registered."""
