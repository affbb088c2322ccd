"""The portal's roles and what each is for, from the SEND Code of Practice 0–25 (2015) and
the local job descriptions summarised in DESIGN.md. Wording may be edited later in the
admin; the codes are what the permission rules are written against."""

from django.db import migrations

ROLES = [
    {
        "code": "dmo",
        "name": "Designated Medical Officer",
        "held_by": "A practising paediatrician in the Foundation Trust.",
        "is_designated": True,
        "responsibilities": [
            "Leads the medical part of Education, Health and Care (EHC) plans",
            "Signs off the medical information in EHC plans (sections C and G)",
            "Oversees the Social Communication Clinic for pre-school children with the "
            "Clinical Lead",
            "Sees families in individual appointments",
        ],
    },
    {
        "code": "dco",
        "name": "Designated Clinical Officer",
        "held_by": "A registered nurse or health visitor working for the commissioner (ICB).",
        "is_designated": True,
        "responsibilities": [
            "Assures the commissioner that statutory SEND duties are met",
            "Improves the timeliness and quality of health advice in EHC plans",
            "Chairs the bi-monthly SEND Health Café",
            "Attends SEND Panels and the monthly intelligence-sharing meeting",
            "Turns what families say into issues for commissioners",
        ],
    },
    {
        "code": "clinical-lead",
        "name": "Clinical Lead for children with additional needs",
        "held_by": "A clinician in the 0–19 service.",
        "is_designated": True,
        "responsibilities": [
            "Supports the DMO and the DCO",
            "Runs the Social Communication Clinic with the DMO",
            "Gives post-diagnosis support, for example after an autism diagnosis",
            "Gives expert advice to the SEND Panel",
            "Sees families in individual appointments",
            "Attends the monthly intelligence-sharing meeting",
        ],
    },
    {
        "code": "health-professional",
        "name": "Health professional",
        "held_by": "A clinician in a provider service: speech and language therapy, "
        "occupational therapy, physiotherapy, CAMHS, community paediatrics, school nursing "
        "or health visiting.",
        "responsibilities": [
            "Writes and submits health advice for EHC needs assessments within 6 weeks",
            "Contributes health information to annual reviews",
        ],
    },
    {
        "code": "send-officer",
        "name": "Council SEND officer",
        "held_by": "A case officer in the council's SEND team.",
        "responsibilities": [
            "Runs EHC needs assessments and keeps to the 20-week timescale",
            "Requests health advice from provider services",
            "Brings cases to the SEND Panel",
        ],
    },
    {
        "code": "sendiass-officer",
        "name": "SENDIASS officer",
        "held_by": "An adviser in the SEND Information, Advice and Support Service.",
        "responsibilities": [
            "Reports parents' concerns and emerging themes every month",
            "Logs concerns before the monthly intelligence-sharing meeting",
        ],
    },
    {
        "code": "commissioner",
        "name": "Commissioner",
        "held_by": "A commissioning manager at the Integrated Care Board.",
        "responsibilities": [
            "Agrees and secures the health provision in section G of EHC plans",
            "Reads feedback reports and answers escalated concerns",
        ],
    },
    {
        "code": "governance-reader",
        "name": "Governance board reader",
        "held_by": "A member of a governance board that oversees SEND health duties.",
        "responsibilities": ["Reads the feedback reports and governance packs"],
    },
    {
        "code": "parent-carer-forum",
        "name": "Parent carer forum representative",
        "held_by": "A representative of the local Parent Carer Forum.",
        "responsibilities": [
            "Raises what parents and carers say",
            "Reads the anonymised \u201cyou said, we did\u201d list",
        ],
    },
    {
        "code": "administrator",
        "name": "Administrator",
        "held_by": "Someone in the partnership who looks after the portal's accounts.",
        "responsibilities": [
            "Manages organisations, accounts and role assignments",
            "Looks after the portal's schedules and service status",
        ],
    },
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("roles", "Role")
    for order, role in enumerate(ROLES, start=1):
        Role.objects.update_or_create(
            code=role["code"],
            defaults={
                "name": role["name"],
                "held_by": role["held_by"],
                "is_designated": role.get("is_designated", False),
                "responsibilities": "\n".join(role["responsibilities"]),
                "display_order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("roles", "0001_initial")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
