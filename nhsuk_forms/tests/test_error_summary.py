"""The NHS.UK error summary: drawn by crispy above the form, or by the tag elsewhere."""

from crispy_forms.layout import Layout
from django import forms

from nhsuk_forms.helpers import NhsukFormHelper

from .html import parse
from .support import (
    INVALID_DATA,
    VALID_DATA,
    EveryWidgetForm,
    crispy,
    crispy_filter,
    date_form,
    render_template,
)


def summary_links(page):
    summary = page.find("div", cls="nhsuk-error-summary")
    return [(a.attrs["href"], a.text) for a in summary.find_all("a")]


def test_summary_markup():
    page = crispy(EveryWidgetForm(data=INVALID_DATA))
    summary = page.find("div", cls="nhsuk-error-summary")
    assert summary.attrs["data-module"] == "nhsuk-error-summary"
    assert summary.attrs["tabindex"] == "-1"
    alert = summary.find("div", role="alert")
    assert alert.find("h2", cls="nhsuk-error-summary__heading").text == "There is a problem"
    body = alert.find("div", cls="nhsuk-error-summary__body")
    assert body.find("ul").classes == ["nhsuk-list", "nhsuk-error-summary__list"]


def test_summary_is_above_the_form():
    page = crispy(EveryWidgetForm(data=INVALID_DATA))
    elements = list(page.elements())
    summary = page.find("div", cls="nhsuk-error-summary")
    assert elements.index(summary) < elements.index(page.find("form"))


def test_summary_links_each_error_to_its_input_in_page_order():
    assert summary_links(crispy(EveryWidgetForm(data=INVALID_DATA))) == [
        ("#id_full_name", "This field is required."),
        ("#id_email", "Enter a valid email address."),
        ("#id_area", "This field is required."),
        ("#id_contact_0", "This field is required."),  # radios: the first radio
        ("#id_needs_0", "This field is required."),  # checkboxes: the first checkbox
        ("#id_confirm", "This field is required."),
        ("#id_date_of_birth_month", "Date of birth must include a month"),
    ]


def test_every_summary_link_points_at_an_input_on_the_page():
    page = crispy(EveryWidgetForm(data=INVALID_DATA))
    for href, _message in summary_links(page):
        assert page.find(id=href.removeprefix("#")).tag in ("input", "select", "textarea")


def test_date_links_to_the_day_box_when_the_whole_date_is_wrong():
    assert summary_links(crispy(date_form())) == [
        ("#id_date_of_birth_day", "Enter date of birth"),
    ]
    assert summary_links(crispy(date_form("31", "2", "2025"))) == [
        ("#id_date_of_birth_day", "Date of birth must be a real date"),
    ]
    assert summary_links(crispy(date_form("1", "2", "25"))) == [
        ("#id_date_of_birth_year", "Year must include 4 numbers"),
    ]


def test_errors_about_the_whole_form_are_listed_first_without_a_link():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.add_error(None, "You cannot refer a child who is already on the caseload")
    summary = crispy(form).find("div", cls="nhsuk-error-summary")
    first = summary.find_all("li")[0]
    assert first.text == "You cannot refer a child who is already on the caseload"
    assert first.find_all("a") == []


def test_hidden_field_errors_have_no_link():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.add_error("token", "The form has expired, start again")
    item = next(
        li
        for li in crispy(form).find("div", cls="nhsuk-error-summary").find_all("li")
        if "expired" in li.text
    )
    assert item.find_all("a") == []


def test_no_summary_for_a_valid_or_unbound_form():
    valid = EveryWidgetForm(data=VALID_DATA)
    assert valid.is_valid(), valid.errors
    assert crispy(valid).find_all(cls="nhsuk-error-summary") == []
    assert crispy(EveryWidgetForm()).find_all(cls="nhsuk-error-summary") == []
    assert crispy(EveryWidgetForm()).find_all(cls="nhsuk-error-message") == []


def test_crispy_filter_includes_the_summary():
    page = crispy_filter(EveryWidgetForm(data=INVALID_DATA))
    assert summary_links(page)[0] == ("#id_full_name", "This field is required.")


def test_summary_order_follows_the_helper_layout():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.helper.layout = Layout("date_of_birth", "area", "full_name")
    form.helper.render_unmentioned_fields = True
    assert [href for href, _ in summary_links(crispy(form))][:3] == [
        "#id_date_of_birth_month",
        "#id_area",
        "#id_full_name",
    ]


# --- Placing the summary elsewhere, and not drawing it twice -----------------------------


def test_tag_above_the_heading_and_crispy_does_not_repeat_it():
    page = parse(
        render_template(
            "{% load crispy_forms_tags nhsuk_forms %}"
            "{% nhsuk_error_summary form %}<h1>Refer a child</h1>{% crispy form %}",
            {"form": EveryWidgetForm(data=INVALID_DATA)},
        )
    )
    summaries = page.find_all("div", cls="nhsuk-error-summary")
    assert len(summaries) == 1
    elements = list(page.elements())
    assert elements.index(summaries[0]) < elements.index(page.find("h1"))


def test_tag_draws_nothing_without_errors():
    html = render_template(
        "{% load nhsuk_forms %}{% nhsuk_error_summary form %}", {"form": EveryWidgetForm()}
    )
    assert html.strip() == ""


def test_tag_can_cover_several_forms():
    class OtherForm(forms.Form):
        reason = forms.CharField(label="Reason")

    page = parse(
        render_template(
            "{% load nhsuk_forms %}{% nhsuk_error_summary first second %}",
            {"first": date_form(), "second": OtherForm(data={})},
        )
    )
    assert summary_links(page) == [
        ("#id_date_of_birth_day", "Enter date of birth"),
        ("#id_reason", "This field is required."),
    ]


def test_helper_can_switch_the_summary_off():
    form = EveryWidgetForm(data=INVALID_DATA)
    form.helper = NhsukFormHelper(form, show_error_summary=False)
    page = crispy(form)
    assert page.find_all(cls="nhsuk-error-summary") == []
    assert page.find_all(cls="nhsuk-error-message")  # the errors by each field remain


def test_context_flag_switches_the_summary_off():
    page = parse(
        render_template(
            "{% load crispy_forms_tags %}"
            "{% with show_error_summary=False %}{% crispy form %}{% endwith %}",
            {"form": EveryWidgetForm(data=INVALID_DATA)},
        )
    )
    assert page.find_all(cls="nhsuk-error-summary") == []


def test_as_crispy_errors_draws_the_summary():
    page = parse(
        render_template(
            "{% load crispy_forms_tags %}{{ form|as_crispy_errors }}",
            {"form": EveryWidgetForm(data=INVALID_DATA)},
        )
    )
    assert summary_links(page)[0] == ("#id_full_name", "This field is required.")


def test_formset_has_one_summary_for_all_its_forms():
    class ChildForm(forms.Form):
        name = forms.CharField(label="Child's name")

    formset_class = forms.formset_factory(ChildForm, extra=0)
    formset = formset_class(
        data={
            "form-TOTAL_FORMS": "2",
            # Initial forms, so Django does not let them be left empty.
            "form-INITIAL_FORMS": "2",
            "form-0-name": "",
            "form-1-name": "",
        }
    )
    page = parse(
        render_template("{% load crispy_forms_tags %}{% crispy formset %}", {"formset": formset})
    )
    assert len(page.find_all("div", cls="nhsuk-error-summary")) == 1
    assert summary_links(page) == [
        ("#id_form-0-name", "This field is required."),
        ("#id_form-1-name", "This field is required."),
    ]
    assert page.find("input", name="form-TOTAL_FORMS").attrs["type"] == "hidden"
    assert page.find("input", id="id_form-1-name").classes == ["nhsuk-input", "nhsuk-input--error"]
