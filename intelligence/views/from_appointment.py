"""Pass a concern a family raised at a clinic or individual appointment to the intelligence log,
in one step.

The person writes a new, anonymous summary: nothing is copied or pre-filled from the
appointment's notes or the child's record. ``log_concern`` refuses identifying text (NHS
numbers, full dates, names of children on record); the refusal is shown by the summary and
what was typed is kept. The concern is dated the day of the appointment and linked to it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from rules.contrib.views import permission_required

from clinics import selectors as clinic_selectors
from intelligence import services
from intelligence.anonymity import MAX_TEXT_LENGTH
from intelligence.models import SERVICE_CHOICES, ConcernSource, Theme
from nhsuk_forms.helpers import NhsukFormHelper
from send_portal.forms import PortalForm


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class ConcernFromAppointmentForm(PortalForm):
    summary = forms.CharField(
        label="What the family raised",
        max_length=MAX_TEXT_LENGTH,
        help_text=(
            "Write it anonymously: no names, NHS numbers or dates of birth. Say 'aged 4' or "
            "'a parent of a pre-school child' instead."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    themes = ThemeChoiceField(
        queryset=Theme.objects.none(), label="Themes", widget=forms.CheckboxSelectMultiple
    )
    service = forms.ChoiceField(
        label="Service it is about",
        choices=[("", "Not about one service"), *SERVICE_CHOICES],
        required=False,
    )
    families = forms.IntegerField(
        label="Families it represents",
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(
            is_active=True, merged_into__isnull=True
        ).order_by("name")
        self.helper = NhsukFormHelper(self, submit_label="Pass the concern to the log")


def _appointment(request, pk):
    # Among the appointments of the person's areas: another area's id answers 404.
    appointment = clinic_selectors.appointment_for_concern(pk, request.user)
    if appointment is None:
        raise Http404("No such appointment")
    return appointment


@permission_required(
    ("intelligence.log_concerns", "clinics.see_appointment"),
    fn=_appointment,
    raise_exception=True,
)
def concern_from_appointment(request, pk):
    appointment = _appointment(request, pk)
    form = ConcernFromAppointmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                concern = services.log_concern(
                    raised_on=timezone.localtime(appointment.starts_at).date(),
                    source=ConcernSource.APPOINTMENT,
                    summary=data["summary"],
                    themes=data["themes"],
                    service=data["service"],
                    families=data["families"],
                    logged_by=request.user,
                    area=appointment.area,  # the appointment's: the child's area
                )
                concern.source_appointment = appointment
                concern.save()
        except services.RefusedChange as refusal:
            for problem in refusal.problems:
                form.add_error("summary", problem)
        else:
            messages.success(request, "The concern has been passed to the intelligence log.")
            return redirect("clinics:appointment", pk=appointment.pk)
    return render(
        request,
        "intelligence/from_appointment.html",
        {
            "form": form,
            "appointment": appointment,
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Appointment", reverse("clinics:appointment", args=[appointment.pk])),
            ],
        },
    )
