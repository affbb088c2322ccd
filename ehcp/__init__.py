"""EHC plans: children and young people, assessments, health advice, sections C and G, sign-off."""
