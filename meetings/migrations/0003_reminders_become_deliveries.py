"""The meeting reminders move to the portal's one record of messages sent once,
notifications.Delivery. Every reminder is copied across first with its outcome, attempts,
error and times (kind "meetings.<kind>", about "meeting:<id>" for the DCO's dashboard), so
none is sent twice and the failed ones are still retried and shown; then the old table
goes. Backwards, the deliveries of meetings come back as reminders and leave the
deliveries."""

from django.db import migrations

BATCH = 2000
PREFIX = "meetings."
ABOUT = "meeting:"


def copy_reminders_to_deliveries(apps, schema_editor):
    MeetingReminder = apps.get_model("meetings", "MeetingReminder")
    Delivery = apps.get_model("notifications", "Delivery")
    batch = []
    for reminder in MeetingReminder.objects.order_by("pk").iterator(chunk_size=BATCH):
        batch.append(
            Delivery(
                kind=PREFIX + reminder.kind,
                subject=reminder.subject,
                about=f"{ABOUT}{reminder.meeting_id}" if reminder.meeting_id else "",
                recipient_id=reminder.recipient_id,
                outcome=reminder.outcome,
                attempts=reminder.attempts,
                error=reminder.error,
                created_at=reminder.created_at,
                sent_at=reminder.sent_at,
            )
        )
        if len(batch) >= BATCH:
            Delivery.objects.bulk_create(batch)
            batch = []
    if batch:
        Delivery.objects.bulk_create(batch)


def copy_deliveries_back_to_reminders(apps, schema_editor):
    MeetingReminder = apps.get_model("meetings", "MeetingReminder")
    Meeting = apps.get_model("meetings", "Meeting")
    Delivery = apps.get_model("notifications", "Delivery")
    deliveries = Delivery.objects.filter(kind__startswith=PREFIX, recipient__isnull=False)
    rows = list(deliveries)

    def meeting_id(about):
        number = about.removeprefix(ABOUT)
        return int(number) if about.startswith(ABOUT) and number.isdigit() else None

    existing = set(
        Meeting.objects.filter(pk__in={meeting_id(row.about) for row in rows} - {None}).values_list(
            "pk", flat=True
        )
    )
    MeetingReminder.objects.bulk_create(
        (
            MeetingReminder(
                kind=row.kind.removeprefix(PREFIX),
                subject=row.subject,
                recipient_id=row.recipient_id,
                meeting_id=meeting_id(row.about) if meeting_id(row.about) in existing else None,
                outcome=row.outcome,
                attempts=row.attempts,
                error=row.error,
                sent_at=row.sent_at,
            )
            for row in rows
        ),
        batch_size=BATCH,
    )
    Delivery.objects.filter(kind__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0002_dashboard_indexes"),
        ("notifications", "0002_delivery"),
    ]

    operations = [
        migrations.RunPython(copy_reminders_to_deliveries, copy_deliveries_back_to_reminders),
        migrations.DeleteModel(name="MeetingReminder"),
    ]
