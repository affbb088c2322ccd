"""django-filter set for the concern log: codes, ids and dates, never free text."""

import django_filters
from django import forms

from intelligence.models import SERVICE_CHOICES, Concern, ConcernSource, Theme


class ConcernFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=Concern.Status.choices, empty_label="Any"
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme", field_name="themes", queryset=Theme.objects.all(), empty_label="Any"
    )
    source = django_filters.ChoiceFilter(
        label="Source", choices=ConcernSource.choices, empty_label="Any"
    )
    service = django_filters.ChoiceFilter(
        label="Service", choices=SERVICE_CHOICES, empty_label="Any"
    )
    # From the report's links: the period the figure counts.
    raised_from = django_filters.DateFilter(
        field_name="raised_on", lookup_expr="gte", widget=forms.HiddenInput
    )
    raised_to = django_filters.DateFilter(
        field_name="raised_on", lookup_expr="lte", widget=forms.HiddenInput
    )

    class Meta:
        model = Concern
        fields = ["status", "theme", "source", "service", "raised_from", "raised_to"]
