"""The anonymity check reads text as it reads, not as it was typed: invisible characters,
look-alike letters, other scripts' digits, year-first dates, surname-first names, and
apostrophes and accents in any form and case (send_portal/text_match.py)."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehcp.tests.factories import ChildFactory
from intelligence import importing
from intelligence.anonymity import identifying_details
from intelligence.models import Theme
from tests.factories import the_test_area

ZWSP = "\u200b"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        f"NHS number 943{ZWSP}476{ZWSP}5919 waited",
        ZWSP.join("9434765919") + " waited",
        "NHS number 943.476.5919 waited",
        "NHS number 9.4.3.4.7.6.5.9.1.9 waited",
        "NHS number 943/476/5919 waited",
        "NHS number ٩٤٣ ٤٧٦ ٥٩١٩ waited",  # Arabic-Indic digits
        "NHS number ９４３４７６５９１９ waited",  # full-width digits
        "NHS number 943\u2060476\u00ad5919 waited",  # word joiner, soft hyphen
    ],
)
def test_nhs_numbers_split_or_in_other_digits_are_refused(text):
    assert any("NHS number" in p for p in identifying_details(text)), text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["born 2019-03-12", "DOB 2019/3/12", "born 2019.03.12", "born 2019 March 12th"]
)
def test_dates_written_year_first_are_refused(text):
    assert any("full date" in p for p in identifying_details(text)), text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Hаrry Potts waited a year",  # Cyrillic а
        "HАRRY POTTS waited a year",  # Cyrillic А
        f"Har{ZWSP}ry Potts waited a year",
        f"Harry Po{ZWSP}tts waited a year",
        "Ｈａｒｒｙ Ｐｏｔｔｓ waited a year",
        "Potts Harry waited a year",
        "Potts, Harry waited a year",
        "Harry\u00a0Potts waited a year",
    ],
)
def test_names_split_disguised_or_surname_first_are_refused(text):
    ChildFactory(first_name="Harry", last_name="Potts")

    assert any("Remove the name" in p for p in identifying_details(text)), text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        ("Zoë", "O'Connor", "zoe o’connor waited"),
        ("Zoë", "O'Connor", "ZOË OʼCONNOR waited"),
        ("Zoë", "O'Connor", "Zoe\u0308 O'Connor waited"),  # a combining diaeresis
        ("Zoe\u0308", "O’Connor", "Zoë OConnor waited"),  # stored with combining marks
        ("Élodie", "Dupont", "ÉLODIE DUPONT waited"),  # SQLite's lower() leaves É alone
        ("Siân", "Prichard", "SIAN PRICHARD waited"),
        ("Ingrid", "Straße", "Ingrid Strasse waited"),
    ],
)
def test_apostrophes_and_accents_in_any_form_and_case_are_refused(first, last, text):
    ChildFactory(first_name=first, last_name=last)

    assert any("Remove the name" in p for p in identifying_details(text)), text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Olivia, Hedley",  # first name, comma, last name: not how a name is written
        "The Health Café heard from South Tyneside families",
        "Phone 0191 123 4567 for the clinic",
        "Waits rose from 2019 to 2020 for 12 families",
    ],
)
def test_ordinary_text_is_not_refused(text):
    ChildFactory(first_name="Olivia", last_name="Hedley")

    assert identifying_details(text) == []


INVISIBLE = st.sampled_from([ZWSP, "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e"])
LOOKALIKES = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "y": "у", "H": "Н", "P": "Р"}


@pytest.mark.django_db
@settings(max_examples=30)
@given(data=st.data())
def test_a_childs_name_disguised_any_way_is_refused(data):
    ChildFactory(first_name="Harry", last_name="Potts")
    name = "Harry Potts"
    disguised = ""
    for character in name:
        if character in LOOKALIKES and data.draw(st.booleans(), label=f"swap {character}"):
            character = LOOKALIKES[character]
        if data.draw(st.booleans(), label="case"):
            character = character.upper()
        disguised += character
        if character != " " and data.draw(st.booleans(), label="invisible"):
            disguised += data.draw(INVISIBLE)
    first, _, last = disguised.partition(" ")
    order = data.draw(st.sampled_from([f"{first} {last}", f"{last} {first}", f"{last}, {first}"]))

    assert any("Remove the name" in p for p in identifying_details(f"Mum of {order} rang"))


@pytest.mark.django_db
def test_an_import_refuses_a_disguised_name_and_a_split_nhs_number():
    ChildFactory(first_name="Harry", last_name="Potts")
    theme = Theme.objects.filter(is_active=True).first()
    text = (
        "raised_on,source,themes,summary\n"
        f"2026-11-03,sendiass,{theme.name},Hаrry Potts waited a year\n"
        f"2026-11-04,sendiass,{theme.name},NHS number 943{ZWSP}476{ZWSP}5919 waited\n"
    )
    preview = importing.preview(text, datetime.date(2026, 11, 27), the_test_area())
    first, second = preview.rows
    assert any("Remove the name" in e for e in first.errors), first.errors
    assert any("NHS number" in e for e in second.errors), second.errors
