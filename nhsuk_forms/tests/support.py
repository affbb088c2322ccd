"""Forms and render helpers shared by the nhsuk_forms tests."""

from __future__ import annotations

from django import forms
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper

from .html import Element, parse

CONTACT_CHOICES = [("email", "Email"), ("phone", "Phone"), ("letter", "Letter")]
NEEDS_CHOICES = [("speech", "Speech and language"), ("hearing", "Hearing"), ("sight", "Sight")]
AREA_CHOICES = [("", "Choose an area"), ("north", "North"), ("south", "South")]


class EveryWidgetForm(forms.Form):
    """One field of each kind the pack draws."""

    full_name = forms.CharField(label="Full name", help_text="As it appears on NHS letters")
    email = forms.EmailField(label="Email address", required=False)
    age = forms.IntegerField(label="Age", required=False)
    password = forms.CharField(label="Password", widget=forms.PasswordInput, required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    area = forms.ChoiceField(label="Area", choices=AREA_CHOICES)
    contact = forms.ChoiceField(
        label="How should we contact you?",
        widget=forms.RadioSelect,
        choices=CONTACT_CHOICES,
        help_text="Select one option",
    )
    needs = forms.MultipleChoiceField(
        label="Which needs apply?",
        widget=forms.CheckboxSelectMultiple,
        choices=NEEDS_CHOICES,
    )
    confirm = forms.BooleanField(
        label="I confirm the details are correct",
        help_text="You can change them later",
    )
    newsletter = forms.BooleanField(label="Send me updates", required=False)
    letter = forms.FileField(label="Upload a letter", required=False)
    date_of_birth = NhsukDateField(label="Date of birth", help_text="For example, 15 3 2014")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save and continue")


# Bound data with a mistake in every required field and a few optional ones.
INVALID_DATA = {
    "full_name": "",
    "email": "not an email",
    "age": "",
    "area": "",
    "contact": "",
    "date_of_birth_day": "31",
    "date_of_birth_month": "",
    "date_of_birth_year": "2014",
}

VALID_DATA = {
    "full_name": "Sam Smith",
    "email": "sam@example.org",
    "area": "north",
    "contact": "phone",
    "needs": ["speech", "sight"],
    "confirm": "on",
    "date_of_birth_day": "29",
    "date_of_birth_month": "2",
    "date_of_birth_year": "2024",
}


class DateForm(forms.Form):
    date_of_birth = NhsukDateField(label="Date of birth")


def date_form(day="", month="", year="", **field_kwargs) -> forms.Form:
    """A bound form with one NhsukDateField built from ``field_kwargs``."""

    class OneDateForm(forms.Form):
        date_of_birth = NhsukDateField(**{"label": "Date of birth", **field_kwargs})

    return OneDateForm(
        data={
            "date_of_birth_day": day,
            "date_of_birth_month": month,
            "date_of_birth_year": year,
        }
    )


def render_template(source: str, context: dict | None = None, *, request=None) -> str:
    """Render template source; with a request, as a page would be (CSRF token and all)."""
    template = Template(source)
    if request is not None:
        return template.render(RequestContext(request, context or {}))
    return template.render(Context(context or {}))


def crispy(form, *, request=None) -> Element:
    """``{% crispy form %}``, parsed."""
    return parse(
        render_template(
            "{% load crispy_forms_tags %}{% crispy form %}", {"form": form}, request=request
        )
    )


def crispy_filter(form) -> Element:
    """``{{ form|crispy }}``, parsed."""
    return parse(render_template("{% load crispy_forms_tags %}{{ form|crispy }}", {"form": form}))


def page_request():
    """A request for rendering with RequestContext, which supplies the CSRF token."""
    return RequestFactory().get("/")


def form_group(page: Element, control_id: str) -> Element:
    """The nhsuk-form-group that holds the element with ``control_id``."""
    control = page.find(id=control_id)
    group = control.closest(cls="nhsuk-form-group")
    assert group is not None, f"#{control_id} is not inside an nhsuk-form-group"
    return group
