"""EHC plans: children and young people, needs assessments, health advice, sections C and G, sign-off."""
