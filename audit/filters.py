"""The audit log's filters (django-filter). Each narrows the query in the database."""

from __future__ import annotations

import datetime
from pathlib import Path

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from audit.models import AuditEvent
from nhsuk_forms.fields import NhsukDateField
from send_portal.forms import PortalForm


def target_type_choices() -> list[tuple[str, str]]:
    """The portal's own record types, by name, from the code rather than from the log:
    no query, and every type is offered whether or not it has events yet."""
    base = Path(settings.BASE_DIR).resolve()
    choices = []
    for model in apps.get_models():
        app_path = Path(model._meta.app_config.path).resolve()
        if base in app_path.parents and ".venv" not in app_path.parts:
            label = model._meta.label_lower
            choices.append((label, f"{capfirst(model._meta.verbose_name)} ({label})"))
    return sorted(choices, key=lambda choice: choice[1].lower())


class AuditFilterForm(PortalForm):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("date_from"), cleaned.get("date_to")
        if since and until and until < since:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned


class LondonDayFilter(django_filters.Filter):
    """A day typed in three boxes, taken as that whole day in Europe/London.

    ``lookup_expr`` "gte" keeps events from the start of the day; "lt" keeps events up
    to the end of the day (before the next day starts), so "from 1 to 1" is one day.
    """

    field_class = NhsukDateField

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.lookup_expr == "lt" and value == datetime.date.max:
            return qs  # up to the end of time: no day follows 31 December 9999
        day = value if self.lookup_expr == "gte" else value + datetime.timedelta(days=1)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        return qs.filter(**{f"{self.field_name}__{self.lookup_expr}": start})


class AddressFilter(django_filters.Filter):
    # A checked address: an address that is not one would make PostgreSQL's inet column
    # raise an error instead of matching nothing.
    field_class = forms.GenericIPAddressField


class AuditEventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        label="What happened", choices=AuditEvent.Kind.choices, empty_label="Any event"
    )
    who = django_filters.CharFilter(
        label="Who",
        method="filter_who",
        help_text="Part of an email address. Failed sign-ins match the name typed.",
        # No email or typed name is longer; SQLite refuses a LIKE pattern of 50,000 bytes.
        max_length=254,
    )
    date_from = LondonDayFilter(
        label="Date from",
        field_name="occurred_at",
        lookup_expr="gte",
        help_text="For example, 27 11 2026",
    )
    date_to = LondonDayFilter(
        label="Date to",
        field_name="occurred_at",
        lookup_expr="lt",
        help_text="For example, 27 11 2026",
    )
    target_type = django_filters.ChoiceFilter(
        label="Record type", choices=target_type_choices, empty_label="Any type"
    )
    target_id = django_filters.CharFilter(label="Record id", field_name="target_id", max_length=64)
    client_address = AddressFilter(
        label="Client address",
        field_name="client_address",
        help_text="An IPv4 or IPv6 address, for example 192.0.2.10",
    )

    class Meta:
        model = AuditEvent
        fields = [
            "kind",
            "who",
            "date_from",
            "date_to",
            "target_type",
            "target_id",
            "client_address",
        ]
        form = AuditFilterForm

    def filter_who(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor__email__icontains=value) | Q(identifier__icontains=value))
