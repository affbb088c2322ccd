"""The themes families and practitioners raise most often in SEND health, as a starting
taxonomy; the DCO adds, renames and merges themes from then on."""

from django.db import migrations

THEMES = [
    ("Waiting times", "Waits for assessment, therapy or a diagnosis."),
    ("Communication between services", "Families repeating their story; services not joined up."),
    ("EHCP health advice quality", "Health advice that is late, vague or not about education."),
    ("Access to therapy", "Speech and language, occupational therapy, physiotherapy."),
    ("Autism assessment", "The autism pathway, from referral to diagnosis."),
    ("Transition to adult services", "Moving from children's to adult health services."),
    ("School health support", "Health needs met in school: medicines, care plans, nursing."),
]


def create_themes(apps, schema_editor):
    Theme = apps.get_model("intelligence", "Theme")
    for name, description in THEMES:
        Theme.objects.get_or_create(name=name, defaults={"description": description})


class Migration(migrations.Migration):
    dependencies = [("intelligence", "0001_initial")]

    operations = [migrations.RunPython(create_themes, migrations.RunPython.noop)]
