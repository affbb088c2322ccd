"""Clinic pages: the waiting list, referrals and triage, appointments, notes, outcomes,
letters and post-diagnosis support. Thin: check access, call a form or a service, render."""

from __future__ import annotations

import datetime
import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from rules.contrib.views import permission_required

from audit.services import Kind, record_event
from clinics import selectors, services
from clinics.filters import ReferralFilter
from clinics.forms import (
    AppointmentForm,
    AttendanceForm,
    NotesForm,
    OutcomeForm,
    ReferralForm,
    SupportOfferForm,
    TakeUpForm,
    TriageForm,
)
from clinics.models import Appointment, Outcome, Referral, SupportOffer
from clinics.presenters import ReferralRow
from ehcp.services import record_child_access
from roles.selectors import areas_of
from send_portal.page_records import fetched_once
from send_portal.pdf import PdfNotMade, pdf_download, pdf_font, render_pdf
from send_portal.refusals import change_from_form
from session_security.step_up import (
    recent_password_required_for_download,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


# Each page reads its referral, appointment or support offer among those of the person's
# areas (clinics.selectors): another area's id answers 404, as if it did not exist.


def _referral(request, pk):
    return get_object_or_404(selectors.referrals_in_my_areas(request.user), pk=pk)


def _referral_for_page(request, pk):
    """The referral page's record, fetched once for its rule and the page."""
    return fetched_once(
        request,
        (Referral, pk),
        lambda: get_object_or_404(
            selectors.referrals_in_my_areas(request.user).select_related("child", "triaged_by"),
            pk=pk,
        ),
    )


def _appointment(request, pk):
    return get_object_or_404(selectors.appointments_in_my_areas(request.user), pk=pk)


def _appointment_for_page(request, pk):
    """The appointment page's record, fetched once for its rule and the page."""
    return fetched_once(
        request,
        (Appointment, pk),
        lambda: get_object_or_404(
            selectors.appointments_in_my_areas(request.user)
            .select_related("child", "referral")
            .prefetch_related("clinicians"),
            pk=pk,
        ),
    )


def _offers(request):
    return SupportOffer.objects.filter(referral__area_id__in=areas_of(request.user))


def _crumbs(*extra):
    return [
        ("Home", reverse("home")),
        ("Social Communication Clinic", reverse("clinics:referrals")),
        *extra,
    ]


def _referral_crumbs(referral):
    # Named by the child: a referral's number means nothing to the people who triage it.
    return _crumbs((referral.child.full_name, _referral_page(referral)))


def _referral_page(referral: Referral) -> str:
    return reverse("clinics:referral", args=[referral.pk])


def _appointment_page(appointment: Appointment) -> str:
    return reverse("clinics:appointment", args=[appointment.pk])


def _changed_or_form_page(request, form, change, *, message, then, title, breadcrumbs, **extra):
    """The change made and on to ``then``; or the form's page again (a first visit, errors,
    a refusal). ``change``, ``message`` and ``then`` as send_portal.refusals.change_from_form."""
    done = change_from_form(request, form, change, message=message, then=then)
    if done is not None:
        return done
    return render(
        request,
        "clinics/form.html",
        {"form": form, "title": title, "breadcrumbs": breadcrumbs, **extra},
    )


@permission_required("clinics.see_referrals", raise_exception=True)
def referral_list(request):
    today = timezone.localdate()
    referrals = ReferralFilter(
        request.GET, queryset=selectors.referral_list(areas_of(request.user))
    )
    page = Paginator(referrals.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [ReferralRow(r, today) for r in page.object_list]
    return render(
        request,
        "clinics/referral_list.html",
        {
            "filter": referrals,
            "page": page,
            "waiting": selectors.waiting_list_size(today, areas_of(request.user)),
            "longest": selectors.longest_waits_named(today, areas_of(request.user)),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@permission_required("clinics.refer_child", raise_exception=True)
def referral_create(request):
    form = ReferralForm(request.POST or None, user=request.user)
    return _changed_or_form_page(
        request,
        form,
        lambda data: services.refer(user=request.user, **data),
        message=lambda referral: (
            f"The referral for {referral.child.full_name} has been added for triage."
        ),
        then=_referral_page,
        title="Add a referral",
        breadcrumbs=_crumbs(),
    )


@permission_required("clinics.see_referral", fn=_referral_for_page, raise_exception=True)
def referral_detail(request, pk: int):
    referral = _referral_for_page(request, pk)
    record_child_access(request, referral.child, "clinic referral")
    return render(
        request,
        "clinics/referral_detail.html",
        {
            "referral": referral,
            "row": ReferralRow(referral, timezone.localdate()),
            "appointments": selectors.appointments_for_referral(referral),
            "offers": referral.support_offers.all(),
            "triage_form": TriageForm()
            if referral.status
            in (Referral.Status.AWAITING_TRIAGE, Referral.Status.MORE_INFORMATION)
            else None,
            "diagnosed": referral.outcome == Outcome.AUTISM_DIAGNOSED,
            "breadcrumbs": _crumbs(),
        },
    )


@permission_required("clinics.triage_referral", fn=_referral, raise_exception=True)
def referral_triage(request, pk: int):
    referral = get_object_or_404(
        selectors.referrals_in_my_areas(request.user).select_related("child"), pk=pk
    )
    form = TriageForm(request.POST or None)
    return _changed_or_form_page(
        request,
        form,
        lambda data: services.triage(referral, data["decision"], request.user, data["note"]),
        message=lambda referral: (
            f"Referral for {referral.child.full_name}: {referral.get_status_display().lower()}."
        ),
        then=_referral_page,
        title=f"Triage the referral for {referral.child.full_name}",
        breadcrumbs=_referral_crumbs(referral),
        # The form page shows what is being triaged: the child and the reason.
        referral=referral,
    )


def _book(request, form, referral=None):
    data = form.cleaned_data
    return services.book_appointment(
        kind=Appointment.Kind.CLINIC if referral else Appointment.Kind.INDIVIDUAL,
        referral=referral,
        child=referral.child if referral else data["child"],
        starts_at=form.starts_at(),
        minutes=data["minutes"],
        clinicians=data["clinicians"],
        location=data["location"],
        family_email=data.get("family_email", ""),
        user=request.user,
    )


@permission_required("clinics.book_appointment", fn=_referral, raise_exception=True)
def clinic_appointment_create(request, pk: int):
    referral = get_object_or_404(
        selectors.referrals_in_my_areas(request.user).select_related("child"), pk=pk
    )
    form = AppointmentForm(request.POST or None, user=request.user, referral=referral)
    return _changed_or_form_page(
        request,
        form,
        lambda data: _book(request, form, referral),
        message="The appointment has been booked.",
        then=_appointment_page,
        title="Book a clinic appointment",
        breadcrumbs=_referral_crumbs(referral),
    )


@permission_required("clinics.book_appointment", raise_exception=True)
def individual_appointment_create(request):
    form = AppointmentForm(request.POST or None, user=request.user)
    return _changed_or_form_page(
        request,
        form,
        lambda data: _book(request, form),
        message="The appointment has been booked.",
        then=_appointment_page,
        title="Book an individual appointment with a family",
        breadcrumbs=_crumbs(),
    )


@permission_required("clinics.see_appointment", raise_exception=True)
def appointment_list(request):
    appointments = selectors.appointment_list(areas_of(request.user)).order_by("-starts_at", "-pk")
    page = Paginator(appointments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clinics/appointment_list.html",
        {"page": page, "breadcrumbs": _crumbs()},
    )


def _appointment_crumbs(appointment):
    crumbs = _crumbs(("Appointments", reverse("clinics:appointments")))
    return [*crumbs, ("Appointment", reverse("clinics:appointment", args=[appointment.pk]))]


@permission_required("clinics.see_appointment", fn=_appointment_for_page, raise_exception=True)
def appointment_detail(request, pk: int):
    appointment = _appointment_for_page(request, pk)
    record_child_access(request, appointment.child, "clinic appointment")
    shows_notes = request.user.has_perm("clinics.see_clinical_notes", appointment)
    return render(
        request,
        "clinics/appointment_detail.html",
        {
            "appointment": appointment,
            "shows_notes": shows_notes,
            "attendance_form": AttendanceForm()
            if appointment.status == Appointment.Status.BOOKED
            else None,
            "outcome_form": OutcomeForm()
            if appointment.status == Appointment.Status.ATTENDED and not appointment.outcome
            else None,
            "breadcrumbs": _crumbs(("Appointments", reverse("clinics:appointments"))),
        },
    )


def _appointment_form_page(request, appointment, form, title):
    return render(
        request,
        "clinics/form.html",
        {"form": form, "title": title, "breadcrumbs": _appointment_crumbs(appointment)},
    )


@permission_required("clinics.record_attendance", fn=_appointment, raise_exception=True)
def appointment_attendance(request, pk: int):
    appointment = get_object_or_404(selectors.appointments_in_my_areas(request.user), pk=pk)
    form = AttendanceForm(request.POST or None)
    return _changed_or_form_page(
        request,
        form,
        lambda data: services.record_attendance(appointment, data["status"], data["on"]),
        message=lambda appointment: f"Recorded: {appointment.get_status_display().lower()}.",
        then=_appointment_page,
        title="What happened at the appointment",
        breadcrumbs=_appointment_crumbs(appointment),
    )


@permission_required("clinics.write_clinical_notes", fn=_appointment, raise_exception=True)
def appointment_notes(request, pk: int):
    appointment = get_object_or_404(
        selectors.appointments_in_my_areas(request.user).select_related("child"), pk=pk
    )
    record_child_access(request, appointment.child, "clinic notes")
    form = NotesForm(request.POST or None, initial={"clinical_notes": appointment.clinical_notes})
    if request.method == "POST" and form.is_valid():
        services.save_clinical_notes(appointment, form.cleaned_data["clinical_notes"], request.user)
        messages.success(request, "The clinical notes have been saved.")
        return redirect("clinics:appointment", pk=appointment.pk)
    return _appointment_form_page(request, appointment, form, "Clinical notes")


@permission_required("clinics.record_attendance", fn=_appointment, raise_exception=True)
def appointment_outcome(request, pk: int):
    appointment = get_object_or_404(selectors.appointments_in_my_areas(request.user), pk=pk)
    form = OutcomeForm(request.POST or None)
    return _changed_or_form_page(
        request,
        form,
        lambda data: services.record_outcome(appointment, data["outcome"]),
        message=lambda appointment: f"Outcome recorded: {appointment.get_outcome_display()}.",
        then=_appointment_page,
        title="Outcome of the appointment",
        breadcrumbs=_appointment_crumbs(appointment),
    )


@permission_required("clinics.see_appointment", fn=_appointment, raise_exception=True)
@recent_password_required_for_download  # the letter names the child and their family's address
def appointment_letter(request, pk: int):
    appointment = get_object_or_404(
        selectors.appointments_in_my_areas(request.user)
        .select_related("child")
        .prefetch_related("clinicians"),
        pk=pk,
    )
    record_child_access(request, appointment.child, "appointment letter")
    html = render_to_string(
        "clinics/letter_pdf.html",
        {"appointment": appointment, "today": timezone.localdate(), "pdf_font": pdf_font()},
        request=request,
    )
    try:
        pdf = render_pdf(html)
    except PdfNotMade:
        logger.exception("Could not make the letter for appointment %s", pk)
        return render(
            request, "clinics/letter_failed.html", {"appointment": appointment}, status=503
        )
    response = pdf_download(
        pdf, f"appointment-letter-{appointment.pk}-{appointment.starts_at:%Y-%m-%d}.pdf"
    )
    record_event(
        Kind.EXPORTED, request=request, target=appointment, summary="Appointment letter PDF"
    )
    return response


@permission_required("clinics.offer_support", fn=_referral, raise_exception=True)
def support_offer_create(request, pk: int):
    referral = get_object_or_404(
        selectors.referrals_in_my_areas(request.user).select_related("child"), pk=pk
    )
    form = SupportOfferForm(request.POST or None, initial={"offered_on": timezone.localdate()})
    return _changed_or_form_page(
        request,
        form,
        lambda data: services.offer_support(referral, user=request.user, **data),
        message="The offer has been added to the support plan.",
        then=_referral_page(referral),
        title="Add to the post-diagnosis support plan",
        breadcrumbs=_referral_crumbs(referral),
    )


def _offer(request, pk):
    return get_object_or_404(_offers(request), pk=pk).referral


@permission_required("clinics.offer_support", fn=_offer, raise_exception=True)
def support_offer_take_up(request, pk: int):
    offer = get_object_or_404(_offers(request).select_related("referral__child"), pk=pk)
    form = TakeUpForm(request.POST or None, initial={"taken_up": offer.taken_up})
    return _changed_or_form_page(
        request,
        form,
        lambda data: services.record_take_up(offer, data["taken_up"]),
        message=f"{offer.get_kind_display()}: take-up saved.",
        then=_referral_page(offer.referral),
        title=offer.get_kind_display(),
        breadcrumbs=_referral_crumbs(offer.referral),
    )


@permission_required("clinics.see_waiting_figures", raise_exception=True)
def waiting_figures(request):
    today = timezone.localdate()
    # The financial year so far (1 April to today), as the commissioner reports it.
    year = today.year if today.month >= 4 else today.year - 1
    start = datetime.date(year, 4, 1)
    outcomes = selectors.outcomes_by_kind(start, today, areas_of(request.user))
    started = selectors.started_within_target(start, today, areas_of(request.user))
    return render(
        request,
        "clinics/figures.html",
        {
            "start": start,
            "end": today,
            "received": selectors.referrals_received(start, today, areas_of(request.user)),
            "waiting": selectors.waiting_list_size(today, areas_of(request.user)),
            "started": started,
            "percent": round(100 * started["within"] / started["started"])
            if started["started"]
            else None,
            "median": selectors.median_weeks_referral_to_outcome(
                start, today, areas_of(request.user)
            ),
            "outcomes": [(label, outcomes[value]) for value, label in Outcome.choices],
            "longest": selectors.longest_waits_named(today, areas_of(request.user)),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )
