"""The clinic's reminders to families move to the portal's one record of messages sent once,
notifications.Delivery: each becomes a delivery to the family's address (kind
"clinics.<kind>", subject and about "appointment:<id>"), copied before the old table goes,
so none is sent again. Backwards, the deliveries of clinics that went (or may have:
"sending") come back as reminders of appointments that still exist."""

from django.db import migrations

BATCH = 2000
PREFIX = "clinics."
SUBJECT = "appointment:"


def copy_reminders_to_deliveries(apps, schema_editor):
    Reminder = apps.get_model("clinics", "Reminder")
    Delivery = apps.get_model("notifications", "Delivery")
    batch = []
    for reminder in (
        Reminder.objects.exclude(recipient="").order_by("pk").iterator(chunk_size=BATCH)
    ):
        subject = f"{SUBJECT}{reminder.appointment_id}"
        batch.append(
            Delivery(
                kind=PREFIX + reminder.kind,
                subject=subject,
                about=subject,
                recipient_address=reminder.recipient,
                outcome="sent",
                attempts=1,
                created_at=reminder.sent_at,
                sent_at=reminder.sent_at,
            )
        )
        if len(batch) >= BATCH:
            Delivery.objects.bulk_create(batch)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch)


def copy_deliveries_back_to_reminders(apps, schema_editor):
    Reminder = apps.get_model("clinics", "Reminder")
    Appointment = apps.get_model("clinics", "Appointment")
    Delivery = apps.get_model("notifications", "Delivery")
    deliveries = Delivery.objects.filter(kind__startswith=PREFIX)
    sent = list(
        deliveries.filter(outcome__in=["sent", "sending"], recipient__isnull=True).values_list(
            "kind", "subject", "recipient_address"
        )
    )
    appointment_ids = {
        int(subject.removeprefix(SUBJECT))
        for _, subject, _ in sent
        if subject.removeprefix(SUBJECT).isdigit()
    }
    existing = set(Appointment.objects.filter(pk__in=appointment_ids).values_list("pk", flat=True))
    Reminder.objects.bulk_create(
        (
            Reminder(
                kind=kind.removeprefix(PREFIX),
                appointment_id=int(subject.removeprefix(SUBJECT)),
                recipient=address,
            )
            for kind, subject, address in sent
            if subject.removeprefix(SUBJECT).isdigit()
            and int(subject.removeprefix(SUBJECT)) in existing
        ),
        batch_size=BATCH,
    )
    deliveries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0001_initial"),
        ("notifications", "0002_delivery"),
    ]

    operations = [
        migrations.RunPython(copy_reminders_to_deliveries, copy_deliveries_back_to_reminders),
        migrations.DeleteModel(name="Reminder"),
    ]
