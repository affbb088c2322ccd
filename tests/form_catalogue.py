"""Every form of the portal, found by importing the project's modules, with how to build
each one as its page does and an example of answers it accepts.

``tests/test_forms_bad_input.py`` throws bad input at every form listed here. A form is
found wherever it is defined (``forms.py``, ``forms_*.py``, a view module...); one that
needs constructor arguments (``user=``, ``meeting=``, ``instance=``...) or whose answers
need setting up must have an entry in ``CATALOGUE``, or the completeness test fails and
says which. A form built from its data alone is covered without an entry.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import timezone

# Modules that are not part of the running portal, or that run code when imported.
_SKIPPED_MODULE_PARTS = {"tests", "migrations", "management", "demo"}


def _project_packages() -> list[str]:
    base = Path(settings.BASE_DIR).resolve()
    names = ["send_portal"]
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and ".venv" not in path.parts and config.name not in names:
            names.append(config.name)
    return names


def project_modules() -> list:
    modules = []
    for package_name in _project_packages():
        package = importlib.import_module(package_name)
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            if _SKIPPED_MODULE_PARTS & set(info.name.split(".")):
                continue
            modules.append(importlib.import_module(info.name))
    return modules


def _defined_in_project(base: type) -> dict[str, type]:
    found = {}
    for module in project_modules():
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, base)
                and value.__module__ == module.__name__
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return dict(sorted(found.items()))


#: The bases the portal's forms are built on, not forms of any page.
_BASES = {"send_portal.forms.PortalForm", "send_portal.forms.PortalModelForm"}


def project_form_classes() -> dict[str, type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in the portal's own modules, by dotted name."""
    return {
        name: form
        for name, form in _defined_in_project(forms.BaseForm).items()
        if name not in _BASES
    }


def project_filtersets() -> dict[str, type[django_filters.FilterSet]]:
    """Every django-filter FilterSet of the portal (each draws a form from the query string)."""
    return _defined_in_project(django_filters.FilterSet)


def needs_arguments(form_class: type) -> list[str]:
    """Constructor parameters a form needs besides its data (a sign it needs an entry)."""
    parameters = inspect.signature(form_class.__init__).parameters.values()
    return [
        p.name
        for p in parameters
        if p.kind == p.KEYWORD_ONLY and p.default is inspect.Parameter.empty
    ]


# --- The world the forms are built in --------------------------------------------------------


def build_world(request) -> SimpleNamespace:
    """The records the portal's forms refer to, made once per test from the persona fixtures."""
    from ehcp.models import AdviceRequest, QualityCriterion
    from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
    from intelligence.models import Theme
    from meetings.models import AgendaItem, Attendance
    from meetings.selectors import intelligence_meetings
    from meetings.tests.factories import in_three_weeks, make_series, next_meeting
    from roles.selectors import areas_of

    world = SimpleNamespace()
    for persona in (
        "dmo",
        "dco",
        "clinical_lead",
        "health_professional_a",
        "commissioner",
        "sendiass_officer",
        "send_officer",
        "administrator",
        "provider_a",
    ):
        setattr(world, persona, request.getfixturevalue(persona))
    world.child = ChildFactory(first_name="Sam", last_name="Taylor")
    world.young_child = ChildFactory(
        first_name="Alex",
        last_name="Morgan",
        date_of_birth=timezone.localdate() - datetime.timedelta(days=3 * 365),
    )
    world.assessment = make_assessment(child=world.child)
    world.plan = world.assessment.plan
    world.advice_request = make_advice_request(
        assessment=world.assessment, provider=world.provider_a, requested_by=world.dco
    )
    world.advice_requests = AdviceRequest.objects.filter(assessment=world.assessment)
    world.criteria = list(QualityCriterion.objects.filter(is_active=True).order_by("pk"))
    themes = Theme.objects.filter(is_active=True, merged_into__isnull=True).order_by("pk")
    world.theme, world.other_theme = themes[0], themes[1]
    world.series = make_series(starts_on=in_three_weeks())  # the agenda open, any day
    world.meeting = next_meeting(world.series)
    world.item = AgendaItem.objects.create(meeting=world.meeting, position=1, title="Welcome")
    world.guest = Attendance.objects.create(
        meeting=world.meeting, guest_name="Pat Guest", status=Attendance.Status.EXPECTED
    )
    world.intelligence_meetings = intelligence_meetings(areas_of(world.dco), limit=None)
    return world


def date_parts(name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def _days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# --- The catalogue ----------------------------------------------------------------------------


@dataclass
class FormEntry:
    """How a page builds the form, and answers it accepts (``None``: none worked out)."""

    build: Callable[..., forms.BaseForm]  # build(world, data, files) -> bound form
    valid_data: Callable[[SimpleNamespace], dict] | None = None
    # Text fields whose cleaned value is not the text typed (a clean_<name> that turns it
    # into something else), beyond what the tests already recognise.
    transformed: set[str] = field(default_factory=set)


#: Text fields of plain Forms (not ModelForms, which take their limits from the model) that
#: the page stores in a column of limited length: "app_label.Model.field". The form must
#: refuse longer text, or PostgreSQL refuses the row with an error (a 500).
COLUMNS: dict[str, dict[str, str]] = {
    "ehcp.forms.assessment.AssessmentForm": {
        "council_reference": "ehcp.Assessment.council_reference"
    },
    "ehcp.forms.sections.SignOffForm": {"registration_number": "ehcp.SignOff.registration_number"},
    "clinics.forms.ReferralForm": {
        "referrer_name": "clinics.Referral.referrer_name",
        "family_email": "clinics.Referral.family_email",
    },
    "clinics.forms.AppointmentForm": {
        "location": "clinics.Appointment.location",
        "family_email": "clinics.Appointment.family_email",
    },
    "meetings.forms.series.MoveForm": {"place": "meetings.Meeting.place"},
    "meetings.forms.series.CancelForm": {"reason": "meetings.Meeting.cancelled_reason"},
    "meetings.forms.chairing.ItemRecordForm": {
        "panel_decision": "meetings.AgendaItem.panel_decision"
    },
    "meetings.forms.chairing.GuestForm": {
        "name": "meetings.Attendance.guest_name",
        "organisation": "meetings.Attendance.guest_organisation",
    },
    "meetings.forms.series.SeriesForm": {"online_link": "meetings.MeetingSeries.online_link"},
    "meetings.forms.meeting.AgendaItemForm": {
        "title": "meetings.AgendaItem.title",
        "presenter": "meetings.AgendaItem.presenter",
    },
    "meetings.forms.meeting.PaperForm": {"title": "meetings.Paper.title"},
    "tribunal.forms.AppealForm": {"tribunal_reference": "tribunal.Appeal.tribunal_reference"},
    "tribunal.forms.WitnessForm": {
        "name": "tribunal.Witness.name",
        "role": "tribunal.Witness.role",
    },
}


def _plain(form_class):
    return lambda world, data, files=None: form_class(data, files)


def _entry(form_class, valid_data=None, **kwargs) -> FormEntry:
    return FormEntry(build=_plain(form_class), valid_data=valid_data, **kwargs)


def _catalogue() -> dict[str, FormEntry]:
    from clinics import forms as clinic_forms
    from ehcp import forms as ehcp_forms
    from ehcp.forms.assessment import _exception_choices as exception_choices
    from intelligence import forms as intelligence_forms
    from intelligence.views import from_appointment
    from meetings import forms as meeting_forms
    from roles import forms as roles_forms
    from security import forms as security_forms
    from security import people_admin as roles_admin
    from tribunal import forms as tribunal_forms

    def name(form_class) -> str:
        return f"{form_class.__module__}.{form_class.__qualname__}"

    entries: dict[type, FormEntry] = {
        # --- EHC plans
        ehcp_forms.ChildForm: FormEntry(
            build=lambda w, data, files=None: ehcp_forms.ChildForm(data, user=w.send_officer),
            valid_data=lambda w: {
                "first_name": "Robin",
                "last_name": "Hart",
                **date_parts("date_of_birth", _days_ago(7 * 365)),
                "nhs_number": "",
                "school_or_setting": "Harbourside Primary School",
                "primary_need": "ASD",
                "secondary_need": "",
            },
            transformed={"nhs_number"},
        ),
        ehcp_forms.AssessmentForm: _entry(
            ehcp_forms.AssessmentForm,
            lambda w: {**date_parts("requested_on", _days_ago(3)), "council_reference": "EHC-1"},
        ),
        ehcp_forms.AssessmentDatesForm: FormEntry(
            build=lambda w, data, files=None: ehcp_forms.AssessmentDatesForm(
                data, instance=w.assessment
            ),
            valid_data=lambda w: {"decision": ""},
        ),
        ehcp_forms.ClockExceptionForm: FormEntry(
            build=lambda w, data, files=None: ehcp_forms.ClockExceptionForm(
                data, advice_requests=w.advice_requests
            ),
            valid_data=lambda w: {
                "reason": exception_choices()[0][0],
                **date_parts("applies_from", _days_ago(2)),
                "note": "The family was away for three weeks.",
                "advice_request": str(w.advice_request.pk),
            },
        ),
        ehcp_forms.AdviceRequestForm: _entry(
            ehcp_forms.AdviceRequestForm,
            lambda w: {
                "service": "salt",
                "provider": str(w.provider_a.pk),
                **date_parts("requested_on", _days_ago(1)),
                "question": "Communication needs in class.",
            },
        ),
        ehcp_forms.AdviceForm: _entry(
            ehcp_forms.AdviceForm, lambda w: {"advice": "Needs visual supports in class."}
        ),
        ehcp_forms.ProvisionRowForm: _entry(
            ehcp_forms.ProvisionRowForm,
            lambda w: {
                "provision": "Speech and language therapy",
                "provided_by": "NHS therapist",
                "frequency": "Weekly",
                "duration": "A year",
                "outcome": "Asks for help",
            },
        ),
        ehcp_forms.SectionCForm: _entry(
            ehcp_forms.SectionCForm, lambda w: {"section_c": "Autism.", "edit_count": "0"}
        ),
        ehcp_forms.SignOffForm: _entry(
            ehcp_forms.SignOffForm,
            lambda w: {"attest": "on", "registration_number": "GMC 7012345", "password": "x"},
        ),
        ehcp_forms.ReturnForm: _entry(
            ehcp_forms.ReturnForm, lambda w: {"comments": "Say how often."}
        ),
        ehcp_forms.QualityReviewForm: FormEntry(
            build=lambda w, data, files=None: ehcp_forms.QualityReviewForm(
                data, plan=w.plan, criteria=w.criteria
            ),
            valid_data=lambda w: {
                "plan_edit_count": str(w.plan.edit_count),
                "grade": "good",
                "comment": "Clear.",
                **{f"criterion_{c.pk}": "met" for c in w.criteria},
                **{f"criterion_{c.pk}_comment": "Fine." for c in w.criteria},
            },
        ),
        ehcp_forms.AgreeProvisionForm: _entry(
            ehcp_forms.AgreeProvisionForm, lambda w: {"note": "Contract 12."}
        ),
        ehcp_forms.ReviewMeetingForm: _entry(
            ehcp_forms.ReviewMeetingForm,
            lambda w: date_parts("meeting-meeting_on", _days_ago(1)),
        ),
        ehcp_forms.ReviewDecisionForm: _entry(
            ehcp_forms.ReviewDecisionForm,
            lambda w: {
                "decision-decision": "keep",
                **date_parts("decision-decided_on", _days_ago(1)),
            },
        ),
        ehcp_forms.AmendedPlanFinalForm: _entry(
            ehcp_forms.AmendedPlanFinalForm,
            lambda w: date_parts("amended-final_on", _days_ago(1)),
        ),
        ehcp_forms.ReviewInputRequestForm: _entry(
            ehcp_forms.ReviewInputRequestForm,
            lambda w: {
                "service": "salt",
                "provider": str(w.provider_a.pk),
                "question": "Progress?",
            },
        ),
        # --- Social Communication Clinic
        clinic_forms.ReferralForm: FormEntry(
            build=lambda w, data, files=None: clinic_forms.ReferralForm(data, user=w.clinical_lead),
            valid_data=lambda w: {
                "child": str(w.young_child.pk),
                **date_parts("received_on", _days_ago(1)),
                "source": "gp",
                "referrer_name": "Dr Grey",
                "reason": "Speech delay.",
                "consent_recorded": "on",
                "family_email": "family@example.org",
            },
        ),
        clinic_forms.TriageForm: _entry(
            clinic_forms.TriageForm, lambda w: {"decision": "accept", "note": "On the list."}
        ),
        clinic_forms.AppointmentForm: FormEntry(
            build=lambda w, data, files=None: clinic_forms.AppointmentForm(
                data, user=w.clinical_lead
            ),
            valid_data=lambda w: {
                "child": str(w.young_child.pk),
                **date_parts("day", timezone.localdate() + datetime.timedelta(days=14)),
                "time": "10:00",
                "minutes": "60",
                "clinicians": [str(w.dmo.pk)],
                "location": "Clinic room 2",
                "family_email": "",
            },
        ),
        clinic_forms.AttendanceForm: _entry(
            clinic_forms.AttendanceForm, lambda w: {"status": "attended"}
        ),
        clinic_forms.NotesForm: _entry(clinic_forms.NotesForm, lambda w: {"clinical_notes": "OK"}),
        clinic_forms.OutcomeForm: _entry(
            clinic_forms.OutcomeForm, lambda w: {"outcome": "autism-diagnosed"}
        ),
        clinic_forms.SupportOfferForm: _entry(
            clinic_forms.SupportOfferForm,
            lambda w: {
                "kind": "information-pack",
                **date_parts("offered_on", _days_ago(1)),
                "taken_up": "",
            },
        ),
        clinic_forms.TakeUpForm: _entry(clinic_forms.TakeUpForm, lambda w: {"taken_up": ""}),
        # --- Intelligence
        intelligence_forms.ConcernForm: FormEntry(
            build=lambda w, data, files=None: intelligence_forms.ConcernForm(data, user=w.dco),
            valid_data=lambda w: {
                **date_parts("raised_on", _days_ago(1)),
                "source": "sendiass",
                "service": "",
                "provider": "",
                "themes": [str(w.theme.pk)],
                "summary": "Families wait a long time for therapy.",
                "families": "2",
            },
        ),
        intelligence_forms.ImportForm: FormEntry(
            build=lambda w, data, files=None: intelligence_forms.ImportForm(data, files, user=w.dco)
        ),
        intelligence_forms.ImportAreaForm: FormEntry(
            build=lambda w, data, files=None: intelligence_forms.ImportAreaForm(data, user=w.dco),
            valid_data=lambda w: {},
        ),
        intelligence_forms.EscalateForm: _entry(
            intelligence_forms.EscalateForm, lambda w: {"question": "When will waits fall?"}
        ),
        intelligence_forms.AnswerForm: _entry(
            intelligence_forms.AnswerForm, lambda w: {"response": "Soon.", "action": "Hire."}
        ),
        intelligence_forms.OutcomeForm: FormEntry(
            build=lambda w, data, files=None: intelligence_forms.OutcomeForm(
                data, meetings=w.intelligence_meetings
            ),
        ),
        intelligence_forms.ConcernMeetingForm: FormEntry(
            # The form only reads the concern's pk and meeting: no concern need be stored.
            build=lambda w, data, files=None: intelligence_forms.ConcernMeetingForm(
                data,
                meetings=w.intelligence_meetings,
                concern=SimpleNamespace(pk=1, meeting_id=None),
            ),
        ),
        intelligence_forms.MergeForm: FormEntry(
            build=lambda w, data, files=None: intelligence_forms.MergeForm(data, theme=w.theme),
            valid_data=lambda w: {"into": str(w.other_theme.pk)},
        ),
        intelligence_forms.ThemeForm: _entry(
            intelligence_forms.ThemeForm,
            lambda w: {"name": "Transport to clinics", "description": "Getting there."},
        ),
        from_appointment.ConcernFromAppointmentForm: _entry(
            from_appointment.ConcernFromAppointmentForm,
            lambda w: {"summary": "Long wait.", "themes": [str(w.theme.pk)], "families": "1"},
        ),
        # --- Meetings
        meeting_forms.SeriesForm: FormEntry(
            build=lambda w, data, files=None: meeting_forms.SeriesForm(data, user=w.dco),
            valid_data=lambda w: {
                "name": "Transition forum",
                "kind": "health-cafe",
                "chair_role": "",
                "frequency": "MONTHLY",
                "interval": "1",
                # On a date of the month, so that month_day (a number) is a question that
                # applies: an answer to a hidden question is ignored, its error too.
                "monthly_on": "date",
                "month_day": "15",
                **date_parts("starts_on", timezone.localdate()),
                "start_time": "10:00",
                "duration_minutes": "90",
                "place": "Jarrow Focus",
                "online_link": "",
                "quorum_minimum": "0",
                "agenda_lock_hours": "48",
                "reminder_days": "7, 1",
            },
            transformed={"reminder_days"},
        ),
        meeting_forms.MoveForm: _entry(
            meeting_forms.MoveForm,
            lambda w: {
                **date_parts("day", timezone.localdate() + datetime.timedelta(days=30)),
                "time": "14:00",
                "place": "Town Hall",
            },
        ),
        meeting_forms.CancelForm: _entry(meeting_forms.CancelForm, lambda w: {"reason": "Snow."}),
        meeting_forms.ItemRecordForm: FormEntry(
            build=lambda w, data, files=None: meeting_forms.ItemRecordForm(data, item=w.item),
            valid_data=lambda w: {
                f"item-{w.item.pk}-minutes": "Discussed.",
                f"item-{w.item.pk}-decision": "Agreed.",
                f"item-{w.item.pk}-edit_count": "0",
            },
        ),
        meeting_forms.ActionForm: FormEntry(
            build=lambda w, data, files=None: meeting_forms.ActionForm(data, meeting=w.meeting),
            valid_data=lambda w: {
                "action-description": "Write to the trust.",
                "action-owner": str(w.dco.pk),
                **date_parts("action-due_on", timezone.localdate() + datetime.timedelta(days=28)),
                "action-agenda_item": "",
            },
        ),
        meeting_forms.AttendanceForm: FormEntry(
            build=lambda w, data, files=None: meeting_forms.AttendanceForm(
                data, attendance=[w.guest]
            ),
            valid_data=lambda w: {f"attendance-{w.guest.pk}": "present"},
        ),
        meeting_forms.GuestForm: _entry(
            meeting_forms.GuestForm,
            lambda w: {"guest-name": "Pat Guest", "guest-organisation": "PCF"},
        ),
        meeting_forms.AgendaItemForm: FormEntry(
            build=lambda w, data, files=None: meeting_forms.AgendaItemForm(
                data, meeting=w.meeting, user=w.dco
            ),
            valid_data=lambda w: {
                "title": "Waiting times",
                "presenter": "DCO",
                "minutes_allotted": "15",
            },
        ),
        meeting_forms.PaperForm: FormEntry(
            build=lambda w, data, files=None: meeting_forms.PaperForm(
                data, files, meeting=w.meeting
            ),
        ),
        # --- SEND Tribunal appeals
        tribunal_forms.AppealForm: FormEntry(
            build=lambda w, data, files=None: tribunal_forms.AppealForm(data, user=w.dco),
            valid_data=lambda w: {
                "child": str(w.child.pk),
                "decision_appealed": "contents",
                **date_parts("registered_on", _days_ago(30)),
                "tribunal_reference": "EH123/26/00001",
                **date_parts("hearing_on", timezone.localdate() + datetime.timedelta(days=30)),
                "health_issues": "Therapy in section F.",
            },
        ),
        tribunal_forms.EvidenceRequestForm: _entry(
            tribunal_forms.EvidenceRequestForm,
            lambda w: {
                "provider": str(w.provider_a.pk),
                "asked": "A report.",
                **date_parts("due_on", timezone.localdate() + datetime.timedelta(days=14)),
            },
        ),
        tribunal_forms.EvidenceForm: _entry(
            tribunal_forms.EvidenceForm, lambda w: {"evidence": "Weekly therapy."}
        ),
        tribunal_forms.DateDoneForm: _entry(
            tribunal_forms.DateDoneForm, lambda w: date_parts("on", timezone.localdate())
        ),
        tribunal_forms.WitnessForm: _entry(
            tribunal_forms.WitnessForm, lambda w: {"name": "Ada Witness", "role": "SLT"}
        ),
        tribunal_forms.RecommendationForm: _entry(
            tribunal_forms.RecommendationForm,
            lambda w: {**date_parts("made_on", _days_ago(2)), "recommendation": "Therapy."},
        ),
        tribunal_forms.ResponseForm: _entry(
            tribunal_forms.ResponseForm,
            lambda w: {"response": "not-follow", "response_text": "Review.", "reasons": "Why."},
        ),
        tribunal_forms.ApproveForm: _entry(tribunal_forms.ApproveForm, lambda w: {"confirm": "on"}),
        # --- Sign-in and administration
        roles_forms.SignInForm: FormEntry(
            build=lambda w, data, files=None: roles_forms.SignInForm(None, data=data),
        ),
        # The sign-in page's form (the one above, refusing a password to someone whose
        # organisation signs in through NHS CIS2 or Entra ID): the request comes first.
        security_forms.PortalPasswordSignInForm: FormEntry(
            build=lambda w, data, files=None: security_forms.PortalPasswordSignInForm(
                None, data=data
            ),
        ),
        roles_admin.UserCreationForm: _entry(
            roles_admin.UserCreationForm,
            lambda w: {
                "email": "new.person@example.org",
                "full_name": "New Person",
                "job_title": "Speech and language therapist",
                "password": "a-long-enough-password-2026",
            },
        ),
    }
    return {name(form_class): entry for form_class, entry in entries.items()}


_CATALOGUE: dict[str, FormEntry] | None = None


def catalogue() -> dict[str, FormEntry]:
    """Entries by the form's dotted name; forms built from their data alone get one here too."""
    global _CATALOGUE
    if _CATALOGUE is None:
        _CATALOGUE = _catalogue()
        for dotted, form_class in project_form_classes().items():
            if dotted not in _CATALOGUE and not needs_arguments(form_class):
                _CATALOGUE[dotted] = _entry(form_class, None)
    return _CATALOGUE


def form_names() -> list[str]:
    """Every form to test: those found in the project (and any catalogued beyond them)."""
    return sorted(set(project_form_classes()) | set(_catalogue()))
