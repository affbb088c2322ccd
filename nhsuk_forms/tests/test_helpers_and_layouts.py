"""NhsukFormHelper, buttons and crispy layout objects drawn the NHS.UK way."""

import pytest
from crispy_forms.bootstrap import InlineRadios, PrependedAppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import (
    HTML,
    Button,
    ButtonHolder,
    Column,
    Div,
    Fieldset,
    Hidden,
    Layout,
    Row,
    Submit,
)
from django import forms

from nhsuk_forms.helpers import NhsukButtonLink, NhsukField, NhsukFormHelper, NhsukSubmit
from nhsuk_forms.templatetags.nhsuk_forms import nhsuk_button_classes

from .support import CONTACT_CHOICES, INVALID_DATA, EveryWidgetForm, crispy, page_request


class SignInForm(forms.Form):
    email = forms.EmailField(label="Email address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)


def with_helper(form, helper):
    form.helper = helper
    return form


def test_helper_draws_a_post_form_with_csrf_token_and_a_primary_button():
    form = SignInForm()
    page = crispy(with_helper(form, NhsukFormHelper(form, submit_label="Sign in")),
                  request=page_request())  # fmt: skip
    form_tag = page.find("form")
    assert form_tag.attrs["method"] == "post"
    assert "novalidate" in form_tag.attrs
    assert "enctype" not in form_tag.attrs
    assert form_tag.find("input", type="hidden", name="csrfmiddlewaretoken").attrs["value"]

    button = form_tag.find("button")
    assert button.classes == ["nhsuk-button"]
    assert button.attrs["data-module"] == "nhsuk-button"
    assert button.attrs["type"] == "submit"
    assert button.attrs["data-prevent-double-click"] == "true"
    assert button.text == "Sign in"
    assert button.closest(cls="nhsuk-button-group") is not None


def test_helper_submit_label_defaults_to_continue():
    form = SignInForm()
    page = crispy(with_helper(form, NhsukFormHelper(form)))
    assert page.find("button").text == "Continue"


def test_get_form_has_no_csrf_token():
    form = SignInForm()
    helper = NhsukFormHelper(form, form_method="get", submit_label="Search")
    page = crispy(with_helper(form, helper), request=page_request())
    assert page.find("form").attrs["method"] == "get"
    assert page.find_all("input", name="csrfmiddlewaretoken") == []


def test_without_form_tag_the_page_writes_form_and_token():
    form = SignInForm()
    helper = NhsukFormHelper(form)
    helper.form_tag = False
    page = crispy(with_helper(form, helper), request=page_request())
    assert page.find_all("form") == []
    assert page.find_all("input", name="csrfmiddlewaretoken") == []
    assert page.find("input", id="id_email")


def test_form_action_and_id():
    form = SignInForm()
    helper = NhsukFormHelper(form, form_action="/sign-in/")
    helper.form_id = "sign-in"
    form_tag = crispy(with_helper(form, helper)).find("form")
    assert (form_tag.attrs["action"], form_tag.attrs["id"]) == ("/sign-in/", "sign-in")


def test_secondary_link_button():
    form = SignInForm()
    helper = NhsukFormHelper(
        form, submit_label="Save", secondary_label="Cancel", secondary_href="/children/"
    )
    page = crispy(with_helper(form, helper))
    link = page.find("a", role="button")
    assert link.classes == ["nhsuk-button", "nhsuk-button--secondary"]
    assert link.attrs["href"] == "/children/"
    assert link.attrs["data-module"] == "nhsuk-button"
    assert link.text == "Cancel"


def test_secondary_submit_button():
    form = SignInForm()
    helper = NhsukFormHelper(form, submit_label="Send", secondary_label="Save as draft")
    buttons = crispy(with_helper(form, helper)).find_all("button")
    assert [(b.text, b.attrs["name"], b.classes) for b in buttons] == [
        ("Send", "submit", ["nhsuk-button"]),
        ("Save as draft", "secondary", ["nhsuk-button", "nhsuk-button--secondary"]),
    ]


def test_crispy_buttons_lose_bootstrap_classes():
    form = SignInForm()
    helper = FormHelper(form)
    helper.add_input(Submit("save", "Save"))
    helper.add_input(Button("back", "Back"))
    helper.add_input(Hidden("step", "2"))
    page = crispy(with_helper(form, helper))
    save, back = page.find_all("button")
    assert save.classes == ["nhsuk-button"]
    assert (save.attrs["type"], save.attrs["name"], save.attrs["value"]) == (
        "submit",
        "save",
        "Save",
    )
    assert back.classes == ["nhsuk-button", "nhsuk-button--secondary"]
    assert back.attrs["type"] == "button"
    assert page.find("input", name="step").attrs == {"type": "hidden", "name": "step", "value": "2"}
    assert "btn" not in str(page.find("form").find_all())


@pytest.mark.parametrize(
    ("button", "expected"),
    [
        (Submit("s", "Save"), "nhsuk-button"),
        (Submit("s", "Save", css_class="nhsuk-button--warning"),
         "nhsuk-button nhsuk-button--warning"),
        (Button("b", "Back"), "nhsuk-button nhsuk-button--secondary"),
        (NhsukSubmit("s", "Save"), "nhsuk-button"),
        (NhsukSubmit("s", "Save", secondary=True), "nhsuk-button nhsuk-button--secondary"),
        (NhsukButtonLink("Cancel", "/"), "nhsuk-button nhsuk-button--secondary"),
        (NhsukButtonLink("Start", "/", secondary=False), "nhsuk-button"),
    ],
)  # fmt: skip
def test_button_classes(button, expected):
    assert nhsuk_button_classes(button) == expected


def test_nhsuk_field_as_page_heading():
    form = EveryWidgetForm()
    form.helper = NhsukFormHelper(form)
    form.helper.layout = Layout(NhsukField("full_name", page_heading=True), "contact")
    page = crispy(form)
    heading = page.find("h1")
    assert heading.classes == ["nhsuk-label-wrapper"]
    label = heading.find("label")
    assert label.classes == ["nhsuk-label", "nhsuk-label--l"]
    assert label.attrs["for"] == "id_full_name"
    # the setting applies to that field only
    assert page.find("legend").classes == ["nhsuk-fieldset__legend"]


def test_nhsuk_field_legend_as_page_heading():
    form = EveryWidgetForm()
    form.helper = NhsukFormHelper(form)
    form.helper.layout = Layout(NhsukField("contact", page_heading=True, label_size="xl"))
    legend = crispy(form).find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--xl"]
    assert legend.find("h1").classes == ["nhsuk-fieldset__heading"]
    assert legend.find("h1").text == "How should we contact you?"


def test_nhsuk_field_label_size_only():
    form = EveryWidgetForm()
    form.helper = NhsukFormHelper(form)
    form.helper.layout = Layout(NhsukField("full_name", label_size="m"))
    page = crispy(form)
    assert page.find_all("h1") == []
    assert page.find("label").classes == ["nhsuk-label", "nhsuk-label--m"]


def test_nhsuk_field_rejects_unknown_label_size():
    with pytest.raises(ValueError, match="label_size"):
        NhsukField("full_name", label_size="huge")


def test_field_css_class_reaches_the_input():
    form = EveryWidgetForm()
    form.helper = NhsukFormHelper(form)
    form.helper.layout = Layout(NhsukField("full_name", css_class="nhsuk-u-width-two-thirds"))
    control = crispy(form).find("input", id="id_full_name")
    assert control.classes == ["nhsuk-input", "nhsuk-u-width-two-thirds"]


def test_layout_objects():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.helper = NhsukFormHelper(form)
    form.helper.layout = Layout(
        Fieldset("Your details", "full_name", "email", css_id="details"),
        Row(Column("age"), Column("website", css_class="nhsuk-grid-column-one-third")),
        Div("notes", css_class="app-notes"),
        HTML("<p class='nhsuk-body'>Check your answers</p>"),
        InlineRadios("contact"),
        PrependedAppendedText("nhs_number", "£", "per item"),
        ButtonHolder(Submit("save", "Save")),
    )
    page = crispy(form)

    fieldset = page.find("fieldset", id="details")
    assert fieldset.classes == ["nhsuk-fieldset"]
    legend = fieldset.find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-fieldset__legend--m"]
    assert legend.text == "Your details"
    assert fieldset.find("input", id="id_email")

    row = page.find("div", cls="nhsuk-grid-row")
    assert row.find("input", id="id_age").closest(cls="nhsuk-grid-column-one-half")
    assert row.find("input", id="id_website").closest(cls="nhsuk-grid-column-one-third")
    assert page.find("div", cls="app-notes").find("textarea", id="id_notes")
    assert page.find("p", cls="nhsuk-body").text == "Check your answers"

    radios = page.find("div", cls="nhsuk-radios")
    assert radios.classes == ["nhsuk-radios", "nhsuk-radios--inline"]
    assert len(radios.find_all("input")) == len(CONTACT_CHOICES)

    wrapper = page.find("div", cls="nhsuk-input-wrapper")
    assert wrapper.find("div", cls="nhsuk-input-wrapper__prefix").text == "£"
    assert wrapper.find("div", cls="nhsuk-input-wrapper__suffix").text == "per item"
    assert wrapper.find("div", cls="nhsuk-input-wrapper__prefix").attrs["aria-hidden"] == "true"
    assert wrapper.find("input").attrs["id"] == "id_nhs_number"

    # the ButtonHolder's group, then the helper's own "Continue"
    groups = page.find_all("div", cls="nhsuk-button-group")
    assert [g.find("button").text for g in groups] == ["Save", "Continue"]


def test_form_show_labels_off_keeps_labels_for_screen_readers():
    form = EveryWidgetForm()
    form.helper.form_show_labels = False
    page = crispy(form)
    label = page.find("label", for_="id_email")
    assert label.classes == ["nhsuk-label", "nhsuk-u-visually-hidden"]
    legend = page.find("input", id="id_contact_0").closest("fieldset").find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend", "nhsuk-u-visually-hidden"]
