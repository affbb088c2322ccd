import uuid

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("case_systems", "0001_initial"),
        ("ehcp", "0022_case_changes"),
    ]

    operations = [
        migrations.CreateModel(
            name="WebhookEndpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(
                        help_text="Where the portal posts each change: https, on the public internet.",
                        max_length=500,
                        verbose_name="address",
                    ),
                ),
                ("description", models.CharField(blank=True, max_length=200)),
                (
                    "events",
                    models.JSONField(
                        default=list,
                        help_text="The kinds of change sent to it (ehcp.CaseChange.Kind).",
                    ),
                ),
                ("sealed_secret", models.CharField(editable=False, max_length=300)),
                (
                    "sealed_previous_secret",
                    models.CharField(blank=True, editable=False, max_length=300),
                ),
                (
                    "previous_secret_until",
                    models.DateTimeField(blank=True, editable=False, null=True),
                ),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("secret_rotated_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "case_system",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="webhook_endpoints",
                        to="case_systems.casesystem",
                    ),
                ),
            ],
            options={
                "verbose_name": "webhook endpoint",
                "ordering": ["case_system", "url"],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("message_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("body", models.TextField(editable=False)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued to send"),
                            ("sending", "Sending"),
                            ("waiting", "Waiting to try again"),
                            ("delivered", "Delivered"),
                            ("failed", "Failed: no more tries"),
                        ],
                        default="queued",
                        max_length=20,
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                (
                    "claimed_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When the attempt now sending (or the last) began.",
                        null=True,
                    ),
                ),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "change",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="ehcp.casechange",
                    ),
                ),
                (
                    "endpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="webhooks.webhookendpoint",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="WebhookAttempt",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.PositiveSmallIntegerField()),
                ("started_at", models.DateTimeField()),
                ("duration_ms", models.PositiveIntegerField(verbose_name="duration (ms)")),
                ("status_code", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("error", models.CharField(blank=True, max_length=300)),
                (
                    "next_attempt_at",
                    models.DateTimeField(
                        blank=True,
                        help_text="When it will be tried again; empty: not again.",
                        null=True,
                    ),
                ),
                (
                    "delivery",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt_log",
                        to="webhooks.webhookdelivery",
                    ),
                ),
            ],
            options={
                "ordering": ["delivery", "number"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("delivery", "number"), name="one_attempt_per_number"
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="webhookdelivery",
            index=models.Index(
                condition=models.Q(("status", "waiting")),
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
            ),
        ),
        migrations.AddConstraint(
            model_name="webhookdelivery",
            constraint=models.UniqueConstraint(
                fields=("endpoint", "change"), name="one_delivery_per_change"
            ),
        ),
    ]
