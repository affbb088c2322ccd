"""ehcp's reminders move to the portal's one record of messages sent once,
notifications.Delivery. Every reminder already sent is copied across first (kind
"ehcp.<kind>", its subject, recipient and time), so none is sent again; then the old table
goes. Backwards, the deliveries of ehcp that went (or may have: "sending") come back as
reminders and leave the deliveries."""

from django.db import migrations

BATCH = 2000
PREFIX = "ehcp."


def copy_reminders_to_deliveries(apps, schema_editor):
    Reminder = apps.get_model("ehcp", "Reminder")
    Delivery = apps.get_model("notifications", "Delivery")
    batch = []
    for reminder in Reminder.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            Delivery(
                kind=PREFIX + reminder.kind,
                subject=reminder.subject,
                about=reminder.subject if reminder.subject.startswith("advice:") else "",
                recipient_id=reminder.recipient_id,
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
    Reminder = apps.get_model("ehcp", "Reminder")
    Delivery = apps.get_model("notifications", "Delivery")
    deliveries = Delivery.objects.filter(kind__startswith=PREFIX)
    batch = []
    for delivery in deliveries.filter(
        outcome__in=["sent", "sending"], recipient__isnull=False
    ).iterator(chunk_size=BATCH):
        batch.append(
            Reminder(
                kind=delivery.kind.removeprefix(PREFIX),
                subject=delivery.subject[:50],
                recipient_id=delivery.recipient_id,
                sent_at=delivery.sent_at or delivery.created_at,
            )
        )
        if len(batch) >= BATCH:
            Reminder.objects.bulk_create(batch)
            batch = []
    if batch:
        Reminder.objects.bulk_create(batch)
    deliveries.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("ehcp", "0013_b_sign_off_acknowledgements"),
        ("notifications", "0002_delivery"),
    ]

    operations = [
        migrations.RunPython(copy_reminders_to_deliveries, copy_deliveries_back_to_reminders),
        migrations.DeleteModel(name="Reminder"),
    ]
