"""django-filter set for the concern log: codes, ids and dates, never free text."""

import django_filters
from django import forms

from intelligence.models import SERVICE_CHOICES, Concern, ConcernSource, Theme
from roles.models import LocalArea
from send_portal.forms import ModelChoiceFilter


class ConcernFilter(django_filters.FilterSet):
    # Offered to someone working in several areas, among theirs only (``areas``); an area
    # not among them is refused as an invalid choice, and the list is theirs anyway.
    area = ModelChoiceFilter(
        label="Local area", queryset=LocalArea.objects.none(), empty_label="All your areas"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Concern.Status.choices, empty_label="Any"
    )
    theme = ModelChoiceFilter(
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
        fields = ["area", "status", "theme", "source", "service", "raised_from", "raised_to"]

    def __init__(self, *args, areas=frozenset(), **kwargs):
        """``areas``: the ids of the areas the person works in (read with the user)."""
        super().__init__(*args, **kwargs)
        if len(areas) > 1:
            self.filters["area"].queryset = LocalArea.objects.filter(pk__in=areas).order_by("name")
        else:
            del self.filters["area"]
