"""NhsukDateField: cleaning day, month and year into a date, and its messages."""

import datetime

import pytest
from django import forms

from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.widgets import NhsukDateWidget

from .html import parse
from .support import date_form


def errors_of(form) -> list[str]:
    assert not form.is_valid()
    return form.errors["date_of_birth"]


@pytest.mark.parametrize(
    ("day", "month", "year", "expected"),
    [
        ("5", "3", "2014", datetime.date(2014, 3, 5)),
        ("05", "03", "2014", datetime.date(2014, 3, 5)),
        (" 5 ", " 3", "2014 ", datetime.date(2014, 3, 5)),
        ("29", "2", "2024", datetime.date(2024, 2, 29)),  # leap year
        ("31", "12", "1999", datetime.date(1999, 12, 31)),
        ("5", "March", "2014", datetime.date(2014, 3, 5)),
        ("5", "mar", "2014", datetime.date(2014, 3, 5)),
        ("5", "Sept", "2014", datetime.date(2014, 9, 5)),
    ],
)
def test_cleans_to_a_date(day, month, year, expected):
    form = date_form(day, month, year)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == expected


@pytest.mark.parametrize(
    ("day", "month", "year"),
    [
        ("30", "2", "2025"),
        ("29", "2", "2025"),  # not a leap year
        ("31", "4", "2025"),
        ("0", "1", "2025"),
        ("32", "1", "2025"),
        ("1", "13", "2025"),
        ("1", "0", "2025"),
        ("ab", "1", "2025"),
        ("1", "one", "2025"),
        ("1", "1", "20x5"),
        ("1.5", "1", "2025"),
        ("-1", "1", "2025"),
        ("1", "1", "0000"),
    ],
)
def test_impossible_dates_and_non_numbers_must_be_real_dates(day, month, year):
    assert errors_of(date_form(day, month, year)) == ["Date of birth must be a real date"]


@pytest.mark.parametrize(
    ("day", "month", "year", "missing"),
    [
        ("", "3", "2014", "day"),
        ("5", "", "2014", "month"),
        ("5", "3", "", "year"),
        ("", "", "2014", "day and month"),
        ("", "3", "", "day and year"),
        ("5", "", "", "month and year"),
    ],
)
def test_missing_parts_are_named(day, month, year, missing):
    assert errors_of(date_form(day, month, year)) == [f"Date of birth must include a {missing}"]


@pytest.mark.parametrize("year", ["14", "214", "20145"])
def test_year_must_have_four_digits(year):
    assert errors_of(date_form("5", "3", year)) == ["Year must include 4 numbers"]


def test_nothing_typed_in_a_required_date():
    assert errors_of(date_form()) == ["Enter date of birth"]


def test_only_spaces_typed_counts_as_nothing():
    assert errors_of(date_form(" ", " ", " ")) == ["Enter date of birth"]


def test_nothing_typed_in_an_optional_date_is_none():
    form = date_form(required=False)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] is None


def test_part_typed_in_an_optional_date_is_still_checked():
    assert errors_of(date_form("5", "", "", required=False)) == [
        "Date of birth must include a month and year"
    ]


def test_error_label_replaces_a_question_label_in_messages():
    form = date_form(label="When was your child born?", error_label="your child's date of birth")
    assert errors_of(form) == ["Enter your child's date of birth"]
    form = date_form("5", "3", "", label="When?", error_label="your child's date of birth")
    assert errors_of(form) == ["Your child's date of birth must include a year"]


def test_messages_keep_acronyms_at_the_start_of_a_label():
    assert errors_of(date_form(label="EHCP start date")) == ["Enter EHCP start date"]


def test_label_made_from_the_field_name_when_none_is_given():
    class ReviewForm(forms.Form):
        review_date = NhsukDateField()

    form = ReviewForm(
        data={"review_date_day": "5", "review_date_month": "", "review_date_year": ""}
    )
    assert not form.is_valid()
    assert form.errors["review_date"] == ["Review date must include a month and year"]


def test_error_messages_can_be_replaced():
    form = date_form(error_messages={"required": "Enter the date the letter was sent"})
    assert errors_of(form) == ["Enter the date the letter was sent"]


def test_errors_record_which_parts_are_wrong():
    form = date_form("5", "", "14")
    form.is_valid()
    (error,) = form.errors.as_data()["date_of_birth"]
    assert error.code == "incomplete"
    assert error.params["parts"] == ["month"]

    form = date_form("30", "2", "2025")
    form.is_valid()
    (error,) = form.errors.as_data()["date_of_birth"]
    assert (error.code, error.params["parts"]) == ("invalid", ["day"])


def test_validators_run_on_the_cleaned_date():
    def in_the_past(value):
        if value >= datetime.date(2020, 1, 1):
            raise forms.ValidationError("Date of birth must be in the past")

    form = date_form("1", "1", "2021", validators=[in_the_past])
    assert errors_of(form) == ["Date of birth must be in the past"]


def test_accepts_dates_and_iso_strings_directly():
    field = NhsukDateField()
    assert field.clean(datetime.date(2014, 3, 5)) == datetime.date(2014, 3, 5)
    assert field.clean(datetime.datetime(2014, 3, 5, 10, 30)) == datetime.date(2014, 3, 5)
    assert field.clean("2014-03-05") == datetime.date(2014, 3, 5)
    with pytest.raises(forms.ValidationError):
        field.clean("5 March")


def test_has_changed():
    field = NhsukDateField()
    assert not field.has_changed(None, ["", "", ""])
    assert field.has_changed(None, ["5", "3", "2014"])
    assert not field.has_changed(datetime.date(2014, 3, 5), ["5", "3", "2014"])
    assert field.has_changed(datetime.date(2014, 3, 5), ["6", "3", "2014"])


def test_widget_names_and_ids():
    widget = NhsukDateWidget()
    page = parse(widget.render("dob", datetime.date(2014, 3, 5), attrs={"id": "id_dob"}))
    inputs = page.find_all("input")
    assert [i.attrs["name"] for i in inputs] == ["dob_day", "dob_month", "dob_year"]
    assert [i.attrs["id"] for i in inputs] == ["id_dob_day", "id_dob_month", "id_dob_year"]
    assert [i.attrs["value"] for i in inputs] == ["5", "3", "2014"]
    assert widget.id_for_label("id_dob") == "id_dob_day"
    assert widget.value_from_datadict(
        {"dob_day": "1", "dob_month": "2", "dob_year": "2003"}, {}, "dob"
    ) == ["1", "2", "2003"]


def test_widget_autocomplete_tokens():
    widget = NhsukDateWidget(autocomplete="bday")
    page = parse(widget.render("dob", None, attrs={"id": "id_dob"}))
    assert [i.attrs["autocomplete"] for i in page.find_all("input")] == [
        "bday-day",
        "bday-month",
        "bday-year",
    ]
