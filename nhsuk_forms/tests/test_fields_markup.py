"""Each kind of field comes out as its NHS.UK component (see the nhsuk-frontend fixtures)."""

import datetime

import pytest
from django import forms

from nhsuk_forms.fields import NhsukDateField, needed_when

from .html import parse
from .support import (
    INVALID_DATA,
    EveryWidgetForm,
    crispy,
    date_form,
    form_group,
    render_template,
)


@pytest.fixture
def invalid_page():
    return crispy(EveryWidgetForm(data=INVALID_DATA))


@pytest.fixture
def blank_page():
    return crispy(EveryWidgetForm())


def error_span(page, error_id):
    span = page.find("span", cls="nhsuk-error-message", id=error_id)
    hidden = span.children[1] if isinstance(span.children[0], str) else span.children[0]
    assert hidden.classes == ["nhsuk-u-visually-hidden"]
    assert hidden.text == "Error:"
    return span


# --- Text inputs -------------------------------------------------------------------


def test_text_input_with_hint_and_error(invalid_page):
    group = form_group(invalid_page, "id_full_name")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error"]

    label = group.find("label")
    assert label.classes == ["nhsuk-label"]
    assert label.attrs["for"] == "id_full_name"
    assert label.text == "Full name"

    hint = group.find("div", cls="nhsuk-hint")
    assert hint.attrs["id"] == "id_full_name-hint"
    assert hint.text == "As it appears on NHS letters"

    span = error_span(group, "id_full_name-error")
    assert span.text == "Error: This field is required."

    control = group.find("input", id="id_full_name")
    assert control.classes == ["nhsuk-input", "nhsuk-input--error"]
    assert control.attrs["name"] == "full_name"
    assert control.attrs["type"] == "text"
    assert control.attrs["aria-describedby"] == "id_full_name-hint id_full_name-error"


def test_children_come_in_nhsuk_order(invalid_page):
    """Label, hint, error message, then the control."""
    group = form_group(invalid_page, "id_full_name")
    order = [el.tag for el in group.elements() if el.tag in ("label", "div", "span", "input")]
    assert order == ["label", "div", "span", "span", "input"]


def test_text_input_without_errors(blank_page):
    group = form_group(blank_page, "id_full_name")
    assert group.classes == ["nhsuk-form-group"]
    assert group.find_all("span", cls="nhsuk-error-message") == []
    control = group.find("input", id="id_full_name")
    assert control.classes == ["nhsuk-input"]
    assert control.attrs["aria-describedby"] == "id_full_name-hint"
    assert "aria-invalid" not in control.attrs


def test_no_aria_describedby_without_hint_or_error(blank_page):
    assert "aria-describedby" not in blank_page.find("input", id="id_age").attrs


def test_typed_value_is_kept(invalid_page):
    assert invalid_page.find("input", id="id_email").attrs["value"] == "not an email"


@pytest.mark.parametrize(
    ("field_id", "input_type"),
    [
        ("id_email", "email"),
        ("id_age", "number"),
        ("id_password", "password"),
        ("id_website", "url"),
    ],
)
def test_text_like_widgets_are_nhsuk_inputs(blank_page, field_id, input_type):
    control = blank_page.find("input", id=field_id)
    assert control.attrs["type"] == input_type
    assert control.classes == ["nhsuk-input"]
    assert control.closest(cls="nhsuk-form-group").find("label").attrs["for"] == field_id


def test_email_input_is_not_spellchecked(blank_page):
    assert blank_page.find("input", id="id_email").attrs["spellcheck"] == "false"


def test_widget_classes_follow_the_nhsuk_classes():
    form = EveryWidgetForm(data={**INVALID_DATA, "nhs_number": "x"})
    form.add_error("nhs_number", "Enter a 10 digit NHS number")
    control = crispy(form).find("input", id="id_nhs_number")
    assert control.classes == ["nhsuk-input", "nhsuk-input--error", "nhsuk-input--width-10"]


def test_optional_fields_say_so_and_required_fields_are_not_marked(blank_page):
    assert blank_page.find("label", for_="id_email").text == "Email address (optional)"
    assert blank_page.find("label", for_="id_full_name").text == "Full name"
    assert "*" not in blank_page.text


def test_a_field_needed_only_with_some_answers_says_when_not_optional():
    class ReasonsForm(forms.Form):
        reasons = needed_when(
            forms.CharField(label="Reasons", required=False, widget=forms.Textarea),
            "needed unless you agree",
        )

    label = crispy(ReasonsForm()).find("label", for_="id_reasons")
    assert label.text == "Reasons (needed unless you agree)"
    with pytest.raises(ValueError, match="required=False"):
        needed_when(forms.CharField(label="Reasons"), "needed unless you agree")


# --- Textarea and select -----------------------------------------------------------


def test_textarea():
    form = EveryWidgetForm(data={**INVALID_DATA, "notes": "Line one"})
    form.add_error("notes", "Notes must be 500 characters or fewer")
    group = form_group(crispy(form), "id_notes")
    textarea = group.find("textarea", id="id_notes")
    assert textarea.classes == ["nhsuk-textarea", "nhsuk-textarea--error"]
    assert textarea.attrs["aria-describedby"] == "id_notes-error"
    assert textarea.text == "Line one"
    assert group.find("label").text == "Notes (optional)"


def test_select_with_error(invalid_page):
    group = form_group(invalid_page, "id_area")
    assert "nhsuk-form-group--error" in group.classes
    select = group.find("select", id="id_area")
    assert select.classes == ["nhsuk-select", "nhsuk-select--error"]
    assert select.attrs["aria-describedby"] == "id_area-error"
    assert [o.text for o in select.find_all("option")] == ["Choose an area", "North", "South"]
    error_span(group, "id_area-error")


def test_select_keeps_the_chosen_option():
    page = crispy(EveryWidgetForm(data={**INVALID_DATA, "area": "south"}))
    select = page.find("select", id="id_area")
    assert select.classes == ["nhsuk-select"]
    assert [o.attrs["value"] for o in select.find_all("option", selected=True)] == ["south"]


# --- Radios and checkboxes ----------------------------------------------------------


def test_radios_with_hint_and_error(invalid_page):
    group = invalid_page.find("div", cls="nhsuk-radios").closest(cls="nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-form-group--error"]

    fieldset = group.find("fieldset")
    assert fieldset.classes == ["nhsuk-fieldset"]
    assert fieldset.attrs["aria-describedby"] == "id_contact-hint id_contact-error"
    legend = fieldset.find("legend")
    assert legend.classes == ["nhsuk-fieldset__legend"]
    assert legend.text == "How should we contact you?"
    assert fieldset.find("div", cls="nhsuk-hint").attrs["id"] == "id_contact-hint"
    error_span(fieldset, "id_contact-error")

    radios = fieldset.find("div", cls="nhsuk-radios")
    assert radios.attrs["data-module"] == "nhsuk-radios"
    items = radios.find_all("div", cls="nhsuk-radios__item")
    assert len(items) == 3
    for item, (value, text) in zip(items, [("email", "Email"), ("phone", "Phone"),
                                           ("letter", "Letter")], strict=True):  # fmt: skip
        radio = item.find("input")
        assert radio.classes == ["nhsuk-radios__input"]
        assert radio.attrs["type"] == "radio"
        assert radio.attrs["name"] == "contact"
        assert radio.attrs["value"] == value
        assert "checked" not in radio.attrs
        label = item.find("label")
        assert label.classes == ["nhsuk-label", "nhsuk-radios__label"]
        assert label.attrs["for"] == radio.attrs["id"]
        assert label.text == text
    assert [i.find("input").attrs["id"] for i in items] == [
        "id_contact_0",
        "id_contact_1",
        "id_contact_2",
    ]


def test_radios_keep_the_choice():
    page = crispy(EveryWidgetForm(data={**INVALID_DATA, "contact": "phone"}))
    assert [r.attrs["value"] for r in page.find_all("input", type="radio", checked=True)] == [
        "phone"
    ]
    fieldset = page.find("div", cls="nhsuk-radios").closest("fieldset")
    assert fieldset.attrs["aria-describedby"] == "id_contact-hint"


def test_checkboxes_with_error(invalid_page):
    fieldset = invalid_page.find("input", id="id_needs_0").closest("fieldset")
    assert fieldset.closest(cls="nhsuk-form-group").classes == [
        "nhsuk-form-group",
        "nhsuk-form-group--error",
    ]
    assert fieldset.attrs["aria-describedby"] == "id_needs-error"
    assert fieldset.find("legend").text == "Which needs apply?"
    error_span(fieldset, "id_needs-error")
    inputs = fieldset.find_all("input", cls="nhsuk-checkboxes__input")
    assert [(i.attrs["type"], i.attrs["name"], i.attrs["value"]) for i in inputs] == [
        ("checkbox", "needs", "speech"),
        ("checkbox", "needs", "hearing"),
        ("checkbox", "needs", "sight"),
    ]
    assert fieldset.find("label", for_="id_needs_1").classes == [
        "nhsuk-label",
        "nhsuk-checkboxes__label",
    ]
    assert fieldset.find("div", cls="nhsuk-checkboxes").attrs["data-module"] == "nhsuk-checkboxes"


def test_checkboxes_keep_the_choices():
    page = crispy(EveryWidgetForm(data={**INVALID_DATA, "needs": ["speech", "sight"]}))
    checked = page.find_all("input", cls="nhsuk-checkboxes__input", name="needs", checked=True)
    assert [c.attrs["value"] for c in checked] == ["speech", "sight"]


def test_single_checkbox(invalid_page):
    control = invalid_page.find("input", id="id_confirm")
    assert control.attrs["type"] == "checkbox"
    assert control.classes == ["nhsuk-checkboxes__input"]
    assert control.attrs["aria-describedby"] == "id_confirm-hint id_confirm-error"

    item = control.closest(cls="nhsuk-checkboxes__item")
    assert item.find("label").classes == ["nhsuk-label", "nhsuk-checkboxes__label"]
    assert item.find("label").text == "I confirm the details are correct"
    hint = item.find("div", cls="nhsuk-checkboxes__hint")
    assert hint.classes == ["nhsuk-hint", "nhsuk-checkboxes__hint"]
    assert hint.attrs["id"] == "id_confirm-hint"

    group = control.closest(cls="nhsuk-form-group")
    assert "nhsuk-form-group--error" in group.classes
    assert group.find_all("fieldset") == []  # one checkbox answers its own label
    error_span(group, "id_confirm-error")


def test_optional_single_checkbox_is_not_marked_optional(blank_page):
    assert blank_page.find("label", for_="id_newsletter").text == "Send me updates"


def test_single_checkbox_keeps_its_tick():
    page = crispy(EveryWidgetForm(data={**INVALID_DATA, "newsletter": "on"}))
    assert "checked" in page.find("input", id="id_newsletter").attrs
    assert "checked" not in page.find("input", id="id_confirm").attrs


# --- File upload and hidden inputs --------------------------------------------------


def test_file_upload(blank_page):
    control = blank_page.find("input", id="id_letter")
    assert control.attrs["type"] == "file"
    assert control.classes == ["nhsuk-file-upload__input"]
    group = control.closest(cls="nhsuk-form-group")
    assert group.classes == ["nhsuk-form-group", "nhsuk-file-upload"]
    assert group.attrs["data-module"] == "nhsuk-file-upload"
    assert group.find("label").attrs["for"] == "id_letter"
    assert blank_page.find("form").attrs["enctype"] == "multipart/form-data"


def test_file_upload_with_error():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.add_error("letter", "The selected file must be a PDF")
    control = crispy(form).find("input", id="id_letter")
    assert control.attrs["aria-describedby"] == "id_letter-error"
    assert control.closest(cls="nhsuk-form-group").classes == [
        "nhsuk-form-group",
        "nhsuk-form-group--error",
        "nhsuk-file-upload",
    ]


def test_current_file_and_remove_checkbox_come_after_the_upload():
    class CurrentFile:
        url = "/media/letter.pdf"

        def __str__(self):
            return "letter.pdf"

    page = crispy(EveryWidgetForm(initial={"letter": CurrentFile()}))
    upload = page.find("input", id="id_letter").closest(cls="nhsuk-file-upload")
    # the NHS.UK script enhances the first input inside the upload component
    assert [i.attrs["type"] for i in upload.find_all("input")] == ["file"]
    link = page.find("a", href="/media/letter.pdf")
    assert link.text == "letter.pdf"
    remove = page.find("input", name="letter-clear")
    assert (remove.attrs["type"], remove.classes) == ("checkbox", ["nhsuk-checkboxes__input"])
    assert page.find("label", for_=remove.attrs["id"]).text == "Remove letter.pdf"


def test_multiple_file_upload_says_files():
    class MultipleFileInput(forms.ClearableFileInput):
        allow_multiple_selected = True

    class LettersForm(forms.Form):
        letters = forms.FileField(label="Letters", widget=MultipleFileInput, required=False)

    control = crispy(LettersForm()).find("input", id="id_letters")
    assert "multiple" in control.attrs
    group = control.closest(cls="nhsuk-file-upload")
    assert group.attrs["data-i18n.choose-files-button"] == "Choose files"


def test_hidden_input_has_no_form_group(blank_page):
    hidden = blank_page.find("input", id="id_token")
    assert hidden.attrs["type"] == "hidden"
    assert hidden.closest(cls="nhsuk-form-group") is None
    assert blank_page.find_all("label", for_="id_token") == []


# --- Date input ----------------------------------------------------------------------


def test_date_input_markup(invalid_page):
    date_input = invalid_page.find("div", cls="nhsuk-date-input", id="id_date_of_birth")
    fieldset = date_input.closest("fieldset")
    assert fieldset.classes == ["nhsuk-fieldset"]
    assert fieldset.attrs["role"] == "group"
    assert fieldset.attrs["aria-describedby"] == "id_date_of_birth-hint id_date_of_birth-error"
    assert fieldset.find("legend").text == "Date of birth"
    assert fieldset.find("div", cls="nhsuk-hint").text == "For example, 15 3 2014"
    span = error_span(fieldset, "id_date_of_birth-error")
    assert span.text == "Error: Date of birth must include a month"
    assert fieldset.closest(cls="nhsuk-form-group").classes == [
        "nhsuk-form-group",
        "nhsuk-form-group--error",
    ]

    items = date_input.find_all("div", cls="nhsuk-date-input__item")
    inputs = date_input.find_all("input")
    assert len(items) == len(inputs) == 3
    assert [i.attrs["name"] for i in inputs] == [
        "date_of_birth_day",
        "date_of_birth_month",
        "date_of_birth_year",
    ]
    assert [i.attrs["id"] for i in inputs] == [
        "id_date_of_birth_day",
        "id_date_of_birth_month",
        "id_date_of_birth_year",
    ]
    assert all(i.attrs["type"] == "text" for i in inputs)
    assert all(i.attrs["inputmode"] == "numeric" for i in inputs)
    labels = date_input.find_all("label")
    assert [label.text for label in labels] == ["Day", "Month", "Year"]
    assert [label.attrs["for"] for label in labels] == [i.attrs["id"] for i in inputs]
    assert all(label.classes == ["nhsuk-label", "nhsuk-date-input__label"] for label in labels)


def test_date_input_keeps_what_was_typed_and_highlights_the_missing_part(invalid_page):
    day, month, year = invalid_page.find("div", cls="nhsuk-date-input").find_all("input")
    assert day.attrs["value"] == "31"
    assert "value" not in month.attrs
    assert year.attrs["value"] == "2014"
    assert day.classes == ["nhsuk-input", "nhsuk-input--width-2", "nhsuk-date-input__input"]
    assert month.classes == [
        "nhsuk-input",
        "nhsuk-input--error",
        "nhsuk-input--width-2",
        "nhsuk-date-input__input",
    ]
    assert year.classes == ["nhsuk-input", "nhsuk-input--width-4", "nhsuk-date-input__input"]
    assert month.attrs["aria-invalid"] == "true"
    assert "aria-invalid" not in day.attrs
    assert form_group(invalid_page, "id_date_of_birth_month").classes == [
        "nhsuk-form-group",
        "nhsuk-form-group--error",
    ]
    assert form_group(invalid_page, "id_date_of_birth_day").classes == ["nhsuk-form-group"]


@pytest.mark.parametrize(
    ("typed", "wrong_parts"),
    [
        (("", "", ""), {"day", "month", "year"}),
        (("30", "2", "2025"), {"day"}),
        (("1", "13", "2025"), {"month"}),
        (("1", "2", "25"), {"year"}),
        (("x", "y", "2025"), {"day", "month"}),
    ],
)
def test_date_input_highlights_the_wrong_parts(typed, wrong_parts):
    page = crispy(date_form(*typed))
    inputs = page.find("div", cls="nhsuk-date-input").find_all("input")
    highlighted = {
        i.attrs["id"].rsplit("_", 1)[1] for i in inputs if "nhsuk-input--error" in i.classes
    }
    assert highlighted == wrong_parts
    # whatever was typed, even nonsense, is shown again
    assert [i.attrs.get("value", "") for i in inputs] == list(typed)


def test_error_from_the_form_highlights_the_whole_date():
    form = date_form("1", "1", "2030")
    form.is_valid()
    form.add_error("date_of_birth", "Date of birth must be in the past")
    inputs = crispy(form).find("div", cls="nhsuk-date-input").find_all("input")
    assert all("nhsuk-input--error" in i.classes for i in inputs)


def test_date_input_shows_an_initial_date():
    class ReviewForm(forms.Form):
        review_date = NhsukDateField(label="Review date", initial=datetime.date(2025, 7, 4))

    page = crispy(ReviewForm())
    inputs = page.find("div", cls="nhsuk-date-input").find_all("input")
    assert [i.attrs["value"] for i in inputs] == ["4", "7", "2025"]
    assert page.find_all(cls="nhsuk-input--error") == []
    assert page.find("fieldset").find("legend").text == "Review date"


def test_date_widget_on_its_own_in_a_page():
    """{{ form.date_of_birth }} without crispy still gives the NHS.UK boxes."""
    page = parse(render_template("{{ form.date_of_birth }}", {"form": date_form("1", "2", "")}))
    assert page.find("div", cls="nhsuk-date-input", id="id_date_of_birth")
    assert len(page.find_all("input", cls="nhsuk-date-input__input")) == 3


# --- Through {{ form|crispy }} and as_crispy_field ------------------------------------


def test_crispy_filter_draws_the_same_fields_without_a_form_tag():
    page = parse(
        render_template(
            "{% load crispy_forms_tags %}{{ form|crispy }}",
            {"form": EveryWidgetForm(data=INVALID_DATA)},
        )
    )
    assert page.find_all("form") == []
    assert page.find_all("button") == []
    assert page.find("input", id="id_full_name").classes == ["nhsuk-input", "nhsuk-input--error"]
    assert page.find("div", cls="nhsuk-error-summary")


def test_as_crispy_field():
    page = parse(
        render_template(
            "{% load crispy_forms_tags %}{{ form.full_name|as_crispy_field }}",
            {"form": EveryWidgetForm(data=INVALID_DATA)},
        )
    )
    assert page.find("div", cls="nhsuk-form-group--error")
    error_span(page, "id_full_name-error")


def test_other_multi_input_widgets_are_grouped_under_a_legend():
    class AppointmentForm(forms.Form):
        starts = forms.SplitDateTimeField(label="Starts", help_text="Date and time")

    page = crispy(AppointmentForm(data={}))
    fieldset = page.find("input", id="id_starts_0").closest("fieldset")
    assert fieldset.attrs["role"] == "group"
    assert fieldset.find("legend").text == "Starts"
    assert fieldset.attrs["aria-describedby"] == "id_starts-hint id_starts-error"
    assert fieldset.find("input", id="id_starts_1")
    assert page.find_all("label") == []
    links = page.find("div", cls="nhsuk-error-summary").find_all("a")
    assert [a.attrs["href"] for a in links] == ["#id_starts_0"]


def test_several_errors_on_one_field_each_have_an_id():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.add_error("password", "Password must be at least 12 characters")
    form.add_error("password", "Password is too common")
    page = crispy(form)
    control = page.find("input", id="id_password")
    assert control.attrs["aria-describedby"] == "id_password-error id_password-error-2"
    assert error_span(page, "id_password-error").text.endswith("at least 12 characters")
    assert error_span(page, "id_password-error-2").text.endswith("too common")


def test_every_aria_describedby_names_an_element_on_the_page(invalid_page):
    ids = {el.attrs["id"] for el in invalid_page.elements() if "id" in el.attrs}
    for element in invalid_page.find_all(aria_describedby=True):
        for described_by in element.attrs["aria-describedby"].split():
            assert described_by in ids, f"{element} names missing #{described_by}"


def test_ids_are_unique(invalid_page):
    ids = [el.attrs["id"] for el in invalid_page.elements() if "id" in el.attrs]
    assert len(ids) == len(set(ids))
