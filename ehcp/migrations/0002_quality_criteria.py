"""The audit criteria for health advice and sections C and G, as used in published audits:
the RCPCH audit of medical advice for EHC needs assessments and the Council for
Disabled Children's Section C checklist. Administrators may add more in the admin."""

from django.db import migrations

RCPCH = "RCPCH audit of medical advice"
CDC = "Council for Disabled Children Section C checklist"

CRITERIA = [
    ("Advice returned within 6 weeks of the request", "SEN Regulations 2014 reg 8(1); " + RCPCH),
    ("Written in plain language without jargon", RCPCH + "; " + CDC),
    ("Says clearly if there are no health needs", CDC),
    ("Describes the child's or young person's strengths", RCPCH + "; " + CDC),
    ("Health needs that affect education identified and linked to the SEN in section B", CDC),
    ("Outcomes are specific and measurable", CDC),
    ("Every need in section C is matched by provision in section G", CDC),
    ("Provision is specific and quantified: who, what, how often, how long", CDC),
    ("The child's or young person's own views are included", RCPCH + "; " + CDC),
    ("Co-produced with the family", CDC),
    ("Advice dated within the last 12 months", RCPCH),
]


def create_criteria(apps, schema_editor):
    QualityCriterion = apps.get_model("ehcp", "QualityCriterion")
    for order, (text, source) in enumerate(CRITERIA, start=1):
        QualityCriterion.objects.get_or_create(
            text=text, defaults={"source": source, "display_order": order * 10}
        )


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0001_initial")]

    operations = [migrations.RunPython(create_criteria, migrations.RunPython.noop)]
