"""Waiting list filters: by status and by who referred (codes only: no personal data in URLs)."""

import django_filters

from clinics.models import Referral, ReferralSource


class ReferralFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Referral.Status.choices, empty_label="Any status", label="Status"
    )
    source = django_filters.ChoiceFilter(
        choices=ReferralSource.choices, empty_label="Any referrer", label="Referred by"
    )

    class Meta:
        model = Referral
        fields = ["status", "source"]
