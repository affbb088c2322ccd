"""The Social Communication Clinic and individual appointments with families."""
