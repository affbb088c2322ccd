"""django-filter sets for the EHC plan lists. Filters carry codes and ids, never personal data."""

import django_filters
from django.utils import timezone

from ehcp.models import AdviceRequest, Child, Need, Plan, ProviderService
from ehcp.selectors import providers_asked_for_advice
from roles.models import Organisation
from send_portal.forms import ModelChoiceFilter


def _providers_asked_for_advice(request=None) -> list[Organisation]:
    """The providers the person may filter by (``selectors.providers_asked_for_advice``);
    without a request (a filter made outside a page), none."""
    if request is None:
        return []
    return providers_asked_for_advice(request.user)


class ChildFilter(django_filters.FilterSet):
    primary_need = django_filters.ChoiceFilter(
        label="Primary need", choices=Need.choices, empty_label="Any need"
    )

    class Meta:
        model = Child
        fields = ["primary_need"]


class AdviceRequestFilter(django_filters.FilterSet):
    STATE_CHOICES = (
        ("open", "Waiting for advice"),
        ("overdue", "Overdue"),
        ("returned", "Returned"),
    )
    state = django_filters.ChoiceFilter(
        label="Status", choices=STATE_CHOICES, method="filter_state", empty_label="All"
    )
    service = django_filters.ChoiceFilter(
        label="Service", choices=ProviderService.choices, empty_label="Any service"
    )
    provider = ModelChoiceFilter(
        label="Provider",
        queryset=Organisation.objects.none(),  # the model: the choices are ``offered``
        offered=_providers_asked_for_advice,
        empty_label="Any provider",
    )

    class Meta:
        model = AdviceRequest
        fields = ["state", "service", "provider"]

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.filter(submitted_at__isnull=True)
        if value == "overdue":
            return queryset.filter(submitted_at__isnull=True, due_on__lt=timezone.localdate())
        if value == "returned":
            return queryset.filter(submitted_at__isnull=False)
        return queryset


class SignOffQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[(s.value, s.label) for s in Plan.WAITING_FOR_SIGN_OFF],
        empty_label="Any",
    )
    provider = ModelChoiceFilter(
        label="Advice from",
        queryset=Organisation.objects.none(),  # the model: the choices are ``offered``
        offered=_providers_asked_for_advice,
        method="filter_provider",
        empty_label="Any provider",
    )
    need = django_filters.ChoiceFilter(
        label="Primary need",
        choices=Need.choices,
        field_name="assessment__child__primary_need",
        empty_label="Any need",
    )
    due_by = django_filters.DateFilter(
        label="Final plan due on or before",
        field_name="assessment__final_plan_due",
        lookup_expr="lte",
        help_text="For example, 2026-12-31",
    )

    class Meta:
        model = Plan
        fields = ["status", "provider", "need", "due_by"]

    def filter_provider(self, queryset, name, value):
        return queryset.filter(assessment__advice_requests__provider=value).distinct()
