"""NHS numbers typed in other scripts' digits (Arabic-Indic, full-width...) were stored as
typed, so the same child could be added twice. Store the ten ASCII digits
(ehcp.statutory.nhs_number_digits does so for everything typed from now on)."""

import unicodedata

from django.db import migrations


def _ascii_digits(text: str) -> str:
    # Digits only, whatever their script; separators dropped. Frozen here rather than
    # imported, so the migration means the same thing however the module changes later.
    return "".join(str(unicodedata.digit(c)) for c in text if unicodedata.category(c) == "Nd")


def normalise(apps, schema_editor):
    Child = apps.get_model("ehcp", "Child")
    changed = []
    for child in Child.objects.exclude(nhs_number=None).only("pk", "nhs_number"):
        digits = _ascii_digits(child.nhs_number)
        if digits and digits != child.nhs_number:
            changed.append((child.pk, child.nhs_number, digits))
    for pk, typed, digits in changed:
        other = Child.objects.filter(nhs_number=digits).exclude(pk=pk).first()
        if other is not None:
            # The same child recorded twice: a person must merge the records, not a script.
            raise RuntimeError(
                f"Children {other.pk} and {pk} have the same NHS number ({digits}, once typed "
                f"as {typed!r}): merge the two records, then migrate again."
            )
        Child.objects.filter(pk=pk).update(nhs_number=digits)


class Migration(migrations.Migration):
    dependencies = [("ehcp", "0010_child_by_name")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
