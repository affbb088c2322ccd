"""Bad input thrown at every form of the portal (property-based, with hypothesis).

Every form listed by ``tests/form_catalogue.py`` (which finds them all by importing the
project) gets, in every field, very long text, any unicode (astral, emoji, right-to-left,
combining marks), control characters including NUL, and HTML and script. Whatever arrives:

- ``is_valid()`` never raises; a refused answer is an error on the form, never a crash;
- NUL is refused by validation, so it never reaches the database (PostgreSQL refuses it
  with an error, which would be a 500), and text longer than the field allows is refused;
- the form drawn again (crispy and the NHS.UK error summary) shows the text escaped,
  never as markup;
- text a form accepts is kept exactly (a ModelForm's save stores it, checked inside a
  transaction that is rolled back).

Dates (NhsukDateField) get impossible dates, and the main create pages get bad input
through the views as the person allowed to use them.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django import forms
from django.apps import apps
from django.db import connection, models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Length, StrIndex
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from nhsuk_forms.fields import NhsukDateField
from send_portal.forms import (
    INTEGER_MAX,
    INTEGER_MIN,
    ControlCharacterValidator,
    column_range,
    control_character_problem,
)
from tests.factories import the_test_area
from tests.form_catalogue import (
    COLUMNS,
    build_world,
    catalogue,
    date_parts,
    form_names,
    needs_arguments,
    project_filtersets,
    project_form_classes,
)

pytestmark = pytest.mark.django_db

# --- What is thrown ------------------------------------------------------------------------

#: Markup that must never come back out as markup. Each has a fragment (lower case) that
#: would only appear in a page if the input was drawn unescaped.
SCRIPT_PAYLOADS = {
    "<script>alert('xss')</script>": "<script>alert(",
    '"><script>alert("xss")</script>': '"><script>',
    "</textarea><script>alert(1)</script>": "</textarea><script>",
    "<img src=x onerror=alert(1)>": "<img src=x onerror",
    "<svg/onload=alert(1)>": "<svg/onload",
    "' autofocus onfocus='alert(1)": "' autofocus onfocus='",
    '" autofocus onfocus="alert(1)': '" autofocus onfocus="',
    '<a href="javascript:alert(1)">x</a>': '<a href="javascript:',
    "<iframe srcdoc='<b>x</b>'>": "<iframe srcdoc",
}
DANGEROUS_FRAGMENTS = tuple(SCRIPT_PAYLOADS.values())

# Text that tests the template engine and databases rather than the browser.
OTHER_HOSTILE = [
    "{{ request }}",
    "{% debug %}",
    "'; DROP TABLE ehcp_child; --",
    "%(label)s %s {0}",
    "../../etc/passwd",
    "\\x00",
    "NULL",
]

UNUSUAL_UNICODE = [
    "\u202eevil\u202c",  # right-to-left override
    "\u200f\u200e\u200b\u2060",  # direction marks, zero-width characters
    "👩‍👩‍👧‍👦",  # a family emoji: astral code points joined by zero-width joiners
    "𝕊𝔼ℕ𝔻",
    "e\u0301\u0302\u0303\u0304",  # stacked combining marks
    "Z̷̢͎a̶l̴g̸o̷",
    "\ufeffBOM",
    "עברית العربية",
    "\u2028line\u2029para",
    "\U0010fffd",
    "ß ǅ ﬁ İ",
    # Look-alike text: kept as typed; the anonymity check reads it as it reads.
    "Hаrry Pоtts",  # Cyrillic а and о
    "Har\u200bry Po\u200btts",
    "Ｈａｒｒｙ ９４３ ４７６ ５９１９",
    "Zoe\u0308 O\u02bcConnor",
]

CONTROL = st.text(st.characters(categories=["Cc"]), min_size=1, max_size=4)
ANY_UNICODE = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=200)
PIECE = st.one_of(
    st.sampled_from(list(SCRIPT_PAYLOADS)),
    st.sampled_from(OTHER_HOSTILE),
    st.sampled_from(UNUSUAL_UNICODE),
    ANY_UNICODE,
    CONTROL,
    st.just("\x00"),
    st.sampled_from([" ", "\n", "\r\n", "\t"]),
)
HOSTILE = st.lists(PIECE, min_size=1, max_size=5).map("".join)


def long_text(max_length: int | None) -> st.SearchStrategy[str]:
    """Text at and beyond the field's limit, up to 100,000 characters."""
    lengths = [100_000, 5_000]
    if max_length:
        lengths += [max_length, max_length + 1]
    return st.builds(
        lambda unit, length: (unit * length)[:length],
        st.sampled_from(["a", "é", "😀", "<b>", "e\u0301", "\u202e"]),
        st.sampled_from(lengths),
    )


def text_for(field: forms.Field) -> st.SearchStrategy[str]:
    return st.one_of(HOSTILE, long_text(getattr(field, "max_length", None)))


# --- Helpers -------------------------------------------------------------------------------

_CRISPY_FILTER = Template("{% load crispy_forms_tags %}{{ form|crispy }}")
_CRISPY_TAG = Template("{% load crispy_forms_tags %}{% crispy form %}")
_SUMMARY = Template("{% load nhsuk_forms %}{% nhsuk_error_summary form %}")
_TAG = re.compile(r"<[a-zA-Z/!]")


def as_query_dict(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def text_fields(form: forms.BaseForm) -> dict[str, forms.CharField]:
    return {
        name: field
        for name, field in form.fields.items()
        if isinstance(field, forms.CharField) and not field.widget.is_hidden
    }


def keeps_text_exactly(form: forms.BaseForm, name: str, field: forms.Field, transformed) -> bool:
    """Fields whose cleaned value should be the typed text (stripped), unchanged."""
    return (
        type(field) is forms.CharField
        and name not in transformed
        and not hasattr(form, f"clean_{name}")
    )


def assert_drawn_safely(html: str, inputs) -> None:
    lowered = html.lower()
    for fragment in DANGEROUS_FRAGMENTS:
        assert fragment not in lowered, f"unescaped markup {fragment!r} in the page"
    texts = [t for value in inputs for t in (value if isinstance(value, list) else [value])]
    for text in texts:
        if _TAG.search(text):
            assert text not in html, f"{text[:80]!r} drawn unescaped"


def draw_form(form_factory) -> list[str]:
    """The form drawn the ways the pages draw it: crispy (with its error summary), the
    crispy tag with the form's helper, and the error summary tag on its own."""
    pages = [_CRISPY_FILTER.render(Context({"form": form_factory()}))]
    form = form_factory()
    if getattr(form, "helper", None) is not None:
        pages.append(_CRISPY_TAG.render(Context({"form": form})))
    pages.append(_SUMMARY.render(Context({"form": form_factory()})))
    return pages


class _RolledBack(Exception):
    pass


def project_models():
    return [m for m in apps.get_models() if m.__module__.split(".")[0] in _PROJECT_APPS]


_PROJECT_APPS = {
    "roles",
    "ehcp",
    "clinics",
    "tribunal",
    "meetings",
    "intelligence",
    "notifications",
    "audit",
}


def rows_that_do_not_fit() -> list[str]:
    """Rows with text longer than its column or holding NUL, in every project table.

    SQLite stores both without complaint; PostgreSQL refuses them with an error (a 500 on
    the page), so the tests look for them here whichever database they run on."""
    found = []
    for model in project_models():
        condition = Q()
        annotations = {}
        for model_field in model._meta.concrete_fields:
            if not isinstance(model_field, models.CharField | models.TextField):
                continue
            if connection.vendor != "postgresql":  # PostgreSQL cannot hold NUL at all
                # instr(), not LIKE: SQLite's LIKE pattern ends at the NUL and matches all.
                nul_alias = f"_nul_{model_field.attname}"
                annotations[nul_alias] = StrIndex(model_field.attname, Value("\x00"))
                condition |= Q(**{f"{nul_alias}__gt": 0})
            if isinstance(model_field, models.CharField) and model_field.max_length:
                alias = f"_length_{model_field.attname}"
                annotations[alias] = Length(model_field.attname)
                condition |= Q(**{f"{alias}__gt": model_field.max_length})
        if not condition:
            continue
        rows = model.objects.annotate(**annotations).filter(condition)
        found += [f"{model._meta.label} {pk}" for pk in rows.values_list("pk", flat=True)]
    return found


@pytest.fixture
def world(request):
    return build_world(request)


# --- The catalogue covers every form ---------------------------------------------------------


def test_every_form_of_the_portal_is_in_the_catalogue():
    entries = catalogue()
    missing = [
        f"{name} (needs {', '.join(needs_arguments(form_class)) or 'setting up'})"
        for name, form_class in project_form_classes().items()
        if name not in entries
    ]
    assert not missing, (
        "These forms have no entry in tests/form_catalogue.py, so the bad-input tests cannot "
        "build them: add one to _catalogue() saying how the page builds the form and an "
        "example of valid answers. " + "; ".join(missing)
    )
    assert len(project_form_classes()) >= 40  # the discovery itself still finds the forms


def test_every_form_of_the_portal_is_bounded_by_the_portal_form_base():
    from send_portal.forms import BoundedInputMixin

    unbounded = [
        name
        for name, form_class in project_form_classes().items()
        if not issubclass(form_class, BoundedInputMixin)
    ]
    assert not unbounded, "Build these on send_portal.forms.PortalForm: " + ", ".join(unbounded)


def test_the_catalogue_finds_forms_defined_in_views():
    assert "intelligence.views.from_appointment.ConcernFromAppointmentForm" in form_names()


@pytest.mark.parametrize("form_name", [n for n in form_names() if catalogue()[n].valid_data])
def test_each_example_of_valid_answers_is_valid(form_name, world):
    """The examples are the base the properties vary one field at a time: they must hold."""
    entry = catalogue()[form_name]
    form = entry.build(world, as_query_dict(entry.valid_data(world)))
    assert form.is_valid(), form.errors.as_data()


@pytest.mark.parametrize(
    ("form_name", "field_name", "column"),
    [(form, name, column) for form, fields in COLUMNS.items() for name, column in fields.items()],
)
def test_text_stored_in_a_limited_column_is_limited_by_the_form(form_name, field_name, column):
    app_label, model_name, column_name = column.split(".")
    limit = apps.get_model(app_label, model_name)._meta.get_field(column_name).max_length
    form_field = project_form_classes()[form_name].base_fields[field_name]
    assert form_field.max_length is not None, f"{form_name}.{field_name} takes any length"
    assert form_field.max_length <= limit


# --- Every text field of every form ----------------------------------------------------------


@pytest.mark.parametrize("form_name", form_names())
@settings(max_examples=15)
@given(draw=st.data())
def test_any_text_in_any_field_is_refused_cleanly_or_kept_exactly(form_name, world, draw):
    entry = catalogue()[form_name]
    base = entry.valid_data(world) if entry.valid_data else {}
    probe = entry.build(world, None)
    fields = text_fields(probe)
    data = dict(base)
    typed: dict[str, str] = {}
    for name, field in fields.items():
        # Usually attack every text field at once; sometimes leave a field's valid answer.
        if draw.draw(st.sampled_from([False, False, True]), label=f"keep {name}"):
            continue
        typed[name] = draw.draw(text_for(field), label=name)
        data[probe.add_prefix(name)] = typed[name]
    # Other fields (choices, numbers, hidden counters) sometimes get hostile text too.
    for name, field in probe.fields.items():
        if name in fields or isinstance(field, forms.FileField | NhsukDateField):
            continue
        if draw.draw(st.sampled_from([True, False, False, False]), label=f"attack {name}"):
            data[probe.add_prefix(name)] = draw.draw(HOSTILE, label=name)

    def build():
        return entry.build(world, as_query_dict(data))

    form = build()
    valid = form.is_valid()  # never raises
    event("valid" if valid else "refused")  # --hypothesis-show-statistics shows the mix

    for name, text in typed.items():
        field = fields[name]
        stripped = text.strip() if field.strip else text
        if "\x00" in text:
            assert name in form.errors, f"NUL accepted in {name}"
        # What is left once stripped (Python strips some controls, such as \x1c to \x1f).
        if not isinstance(field.widget, forms.PasswordInput) and control_character_problem(
            stripped, multi_line=isinstance(field.widget, forms.Textarea | forms.HiddenInput)
        ):
            assert name in form.errors, f"control character accepted in {name}: {text!r}"
        if field.max_length and len(stripped) > field.max_length:
            assert name in form.errors, f"{len(stripped)} characters accepted in {name}"
        if field.required and not stripped:
            assert name in form.errors, f"{name} accepted empty"
    if not valid:
        assert form.errors
    else:
        for name, text in typed.items():
            field = fields[name]
            if keeps_text_exactly(form, name, field, entry.transformed):
                expected = text.strip() if field.strip else text
                assert form.cleaned_data[name] == (expected or field.empty_value)
        if isinstance(form, forms.ModelForm):
            _assert_saved_exactly(form, typed, fields, entry.transformed)

    for page in draw_form(build):
        assert_drawn_safely(page, list(data.values()) if data else [])


def _assert_saved_exactly(form, typed, fields, transformed):
    try:
        with transaction.atomic():
            saved = form.save()
            saved.refresh_from_db()
            for name, _text in typed.items():
                if keeps_text_exactly(form, name, fields[name], transformed) and hasattr(
                    saved, name
                ):
                    assert getattr(saved, name) == form.cleaned_data[name]
            assert not rows_that_do_not_fit()
            raise _RolledBack
    except _RolledBack:
        pass


@pytest.mark.parametrize("filterset_name", sorted(project_filtersets()))
@settings(max_examples=10)
@given(draw=st.data())
def test_list_filters_take_any_query_string(filterset_name, world, draw):
    filterset_class = project_filtersets()[filterset_name]
    probe = filterset_class(None, queryset=filterset_class._meta.model.objects.all())
    data = {name: draw.draw(HOSTILE, label=name) for name in probe.form.fields}
    filterset = filterset_class(
        as_query_dict(data), queryset=filterset_class._meta.model.objects.all()
    )
    filterset.form.is_valid()
    list(filterset.qs)  # never raises: bad values are ignored or refused
    assert_drawn_safely(
        _CRISPY_FILTER.render(Context({"form": filterset.form})), list(data.values())
    )


# --- NUL and other control characters --------------------------------------------------------


@pytest.mark.parametrize("form_name", form_names())
def test_nul_is_refused_in_every_text_field(form_name, world):
    entry = catalogue()[form_name]
    base = entry.valid_data(world) if entry.valid_data else {}
    probe = entry.build(world, None)
    for name in text_fields(probe):
        data = {**base, probe.add_prefix(name): "before\x00after"}
        form = entry.build(world, as_query_dict(data))
        assert not form.is_valid()
        assert "Null characters are not allowed." in form.errors.get(name, []), (name, form.errors)


# --- Dates -----------------------------------------------------------------------------------


class _DateForm(forms.Form):
    born = NhsukDateField(label="Date of birth")


IMPOSSIBLE_DATES = [
    # (day, month, year, the box the error points at)
    ("31", "2", "2025", "day"),
    ("29", "2", "2025", "day"),
    ("29", "2", "1900", "day"),
    ("31", "4", "2025", "day"),
    ("0", "5", "2025", "day"),
    ("32", "1", "2025", "day"),
    ("12", "13", "2025", "month"),
    ("12", "0", "2025", "month"),
    ("12", "5", "0", "year"),
    ("12", "5", "0000", "year"),
    ("12", "5", "99999", "year"),
    ("12", "5", "25", "year"),
    ("ab", "5", "2025", "day"),
    ("12", "Smarch", "2025", "month"),
    ("12", "5", "twenty", "year"),
    ("9" * 400, "5", "2025", "day"),
    ("12", "9" * 5000, "2025", "month"),
    ("-1", "5", "2025", "day"),
    ("1.5", "5", "2025", "day"),
    ("١٢", "5", "2025", "day"),  # Arabic-Indic digits
    ("²", "5", "2025", "day"),
    ("12", "5", "\x002025", "year"),
    ("", "5", "2025", "day"),
    ("12", "", "2025", "month"),
    ("12", "5", "", "year"),
]


@pytest.mark.parametrize(
    ("day", "month", "year", "box"),
    IMPOSSIBLE_DATES,
    ids=[
        f"{d[:6]}-{m[:6]}-{y[:6]}".encode("unicode_escape").decode()
        for d, m, y, _ in IMPOSSIBLE_DATES
    ],
)
def test_impossible_dates_get_a_clear_error_and_keep_what_was_typed(day, month, year, box):
    data = {"born_day": day, "born_month": month, "born_year": year}
    form = _DateForm(data)
    assert not form.is_valid()
    [error] = form.errors.as_data()["born"]
    assert box in error.params["parts"]
    message = form.errors["born"][0]
    assert message.startswith(("Date of birth", "Year must")), message
    html = _CRISPY_FILTER.render(Context({"form": _DateForm(data)}))
    assert "There is a problem" in html
    assert escape(message) in html
    for name, value in data.items():
        if value and "\x00" not in value:
            assert f'name="{name}" value="{escape(value)}"' in html, name


def test_a_real_date_on_the_29th_of_february_of_a_leap_year_is_taken():
    form = _DateForm({"born_day": "29", "born_month": "feb", "born_year": "2024"})
    assert form.is_valid()
    assert form.cleaned_data["born"] == datetime.date(2024, 2, 29)


@settings(max_examples=60)
@given(
    day=st.one_of(st.integers(-5, 40).map(str), HOSTILE),
    month=st.one_of(st.integers(-5, 15).map(str), HOSTILE),
    year=st.one_of(st.integers(-1, 100_000).map(str), HOSTILE),
)
@example(day="31", month="2", year="2024")
@example(day="1", month="1", year="9999")
def test_any_date_parts_give_a_date_or_an_error(day, month, year):
    data = {"born_day": day, "born_month": month, "born_year": year}
    form = _DateForm(data)
    if form.is_valid():
        born = form.cleaned_data["born"]
        assert (born.day, born.month, born.year) == (int(day), born.month, int(year))
    else:
        assert form.errors["born"]
    assert_drawn_safely(
        _CRISPY_FILTER.render(Context({"form": _DateForm(data)})), [day, month, year]
    )


@pytest.mark.parametrize("form_name", form_names())
def test_every_date_field_of_every_form_refuses_the_31st_of_february(form_name, world):
    entry = catalogue()[form_name]
    base = entry.valid_data(world) if entry.valid_data else {}
    probe = entry.build(world, None)
    for name, field in probe.fields.items():
        if not isinstance(field, NhsukDateField):
            continue
        key = probe.add_prefix(name)
        data = {**base, f"{key}_day": "31", f"{key}_month": "2", f"{key}_year": "2025"}
        form = entry.build(world, as_query_dict(data))
        assert not form.is_valid()
        assert name in form.errors
        html = _CRISPY_FILTER.render(Context({"form": entry.build(world, as_query_dict(data))}))
        assert f'name="{key}_day" value="31"' in html


# --- Through the pages ------------------------------------------------------------------------


def _post(client, user, url, data):
    client.force_login(user)
    return client.post(url, as_query_dict(data))


def _check_page(response, typed: dict[str, str]):
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert_drawn_safely(content, list(typed.values()))


PAGE_TEXT = st.one_of(
    HOSTILE,
    st.sampled_from(list(SCRIPT_PAYLOADS)),
    long_text(None),
    st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=50),
)


def _page_cases():
    """(name, persona, url from the world, the model whose rows it adds, valid answers)."""
    from clinics.models import Referral
    from ehcp.models import Child
    from intelligence.models import Concern
    from meetings.models import AgendaItem

    entries = catalogue()
    return {
        "child": (
            "dco",
            lambda w: reverse("ehcp:child-create"),
            Child,
            entries["ehcp.forms.assessment.ChildForm"].valid_data,
            ["first_name", "last_name", "school_or_setting"],
        ),
        "concern": (
            "sendiass_officer",
            lambda w: reverse("intelligence:concern-create"),
            Concern,
            lambda w: {**entries["intelligence.forms.ConcernForm"].valid_data(w), "save": "1"},
            ["summary"],
        ),
        "referral": (
            "clinical_lead",
            lambda w: reverse("clinics:referral-create"),
            Referral,
            entries["clinics.forms.ReferralForm"].valid_data,
            ["referrer_name", "reason"],
        ),
        "agenda item": (
            "dco",
            lambda w: reverse("meetings:agenda-item-add", args=[w.meeting.pk]),
            AgendaItem,
            entries["meetings.forms.meeting.AgendaItemForm"].valid_data,
            ["title", "presenter"],
        ),
    }


# Not "page": that name is pytest-playwright's browser page fixture.
@pytest.mark.parametrize("page_name", ["child", "concern", "referral", "agenda item"])
@settings(max_examples=20)
@given(draw=st.data())
def test_create_pages_refuse_bad_input_or_store_it_and_show_it_escaped(
    page_name, world, client, draw
):
    persona, url, model, valid_data, text_names = _page_cases()[page_name]
    user = getattr(world, persona)
    data = valid_data(world)
    typed = {name: draw.draw(PAGE_TEXT, label=name) for name in text_names}
    data.update(typed)
    before = model.objects.count()

    response = _post(client, user, url(world), data)

    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        _check_page(response, typed)
        assert model.objects.count() == before
    else:
        assert model.objects.count() == before + 1
        shown = client.get(response["Location"])
        assert shown.status_code == 200
        content = shown.content.decode()
        assert_drawn_safely(content, list(typed.values()))
        created = model.objects.order_by("-pk").first()
        for name, text in typed.items():
            assert getattr(created, name) == text.strip()
        # The short ones are on the page as typed, escaped (long ones may be truncated).
        for name in text_names:
            value = getattr(created, name)
            if value and len(value) < 60 and "\n" not in value and page_name != "concern":
                assert escape(value) in content, name
    assert not rows_that_do_not_fit()


@settings(max_examples=20)
@given(section_c=PAGE_TEXT, provision=PAGE_TEXT)
def test_sections_edit_refuses_bad_input_or_stores_it_and_shows_it_escaped(
    world, client, section_c, provision
):
    from ehcp.models import Plan

    plan = Plan.objects.get(pk=world.plan.pk)
    data = {
        "section_c": section_c,
        "edit_count": str(plan.edit_count),
        "g-TOTAL_FORMS": "1",
        "g-INITIAL_FORMS": "0",
        "g-MIN_NUM_FORMS": "0",
        "g-MAX_NUM_FORMS": "1000",
        "g-0-provision": provision,
        "g-0-provided_by": "NHS therapist",
        "g-0-frequency": "Weekly",
        "g-0-duration": "A year",
        "g-0-outcome": "Asks for help",
    }
    typed = {"section_c": section_c, "provision": provision}
    response = _post(
        client, world.clinical_lead, reverse("ehcp:sections-edit", args=[plan.pk]), data
    )
    assert response.status_code in (200, 302), response.status_code
    after = Plan.objects.get(pk=plan.pk)
    if response.status_code == 200:
        assert_drawn_safely(response.content.decode(), list(typed.values()))
        assert (after.section_c, after.edit_count) == (plan.section_c, plan.edit_count)
    else:
        assert after.section_c == section_c.strip()
        shown = client.get(response["Location"])
        assert shown.status_code == 200
        assert_drawn_safely(shown.content.decode(), list(typed.values()))
    assert not rows_that_do_not_fit()


def test_a_script_in_a_concern_is_stored_as_typed_and_shown_as_text(world, client):
    from intelligence.models import Concern

    data = {
        **catalogue()["intelligence.forms.ConcernForm"].valid_data(world),
        "summary": "<script>alert('xss')</script> at the clinic",
        "save": "1",
    }
    response = _post(client, world.sendiass_officer, reverse("intelligence:concern-create"), data)
    assert response.status_code == 302
    concern = Concern.objects.get(summary="<script>alert('xss')</script> at the clinic")
    page = client.get(reverse("intelligence:concern", args=[concern.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt; at the clinic" in page
    assert "<script>alert(" not in page


def test_a_bad_meeting_number_when_adding_a_concern_to_a_meeting_is_not_found(world, client):
    from intelligence import services

    concern = services.log_concern(
        area=the_test_area(),
        logged_by=world.dco,
        raised_on=datetime.date.today(),
        source="sendiass",
        service="",
        themes=[world.theme],
        summary="Long waits for therapy.",
        families=1,
    )
    client.force_login(world.dco)
    url = reverse("intelligence:concern-attach", args=[concern.pk])
    for meeting in ("abc", "<script>", "9" * 30, "1.5", ""):
        assert client.post(url, {"meeting": meeting}).status_code == 404, meeting


def test_date_parts_helper_names_the_boxes():
    assert date_parts("x", datetime.date(2026, 1, 2)) == {
        "x_day": "2",
        "x_month": "1",
        "x_year": "2026",
    }


def test_the_check_for_rows_that_do_not_fit_finds_them():
    from intelligence.models import Theme

    if connection.vendor == "postgresql":
        # PostgreSQL refuses such rows itself: the error the check stands in for on SQLite.
        from django.db import DataError, transaction

        with pytest.raises(DataError), transaction.atomic():
            Theme.objects.create(name="Too long", description="x" * 301)
        with pytest.raises(DataError, match="NUL"), transaction.atomic():
            Theme.objects.create(name="With NUL", description="a\x00b")
        return
    assert not rows_that_do_not_fit()
    too_long = Theme.objects.create(name="Too long", description="x" * 301)
    with_nul = Theme.objects.create(name="With NUL", description="a\x00b")
    assert sorted(rows_that_do_not_fit()) == sorted(
        [f"intelligence.Theme {too_long.pk}", f"intelligence.Theme {with_nul.pk}"]
    )


def test_a_family_email_longer_than_its_column_is_refused_on_the_referral_page(world, client):
    """Django's EmailField takes 320 characters; the column holds 254."""
    from clinics.models import Referral

    long_email = "a" * 60 + "@" + ("b" * 60 + ".") * 4 + "org"  # 308 characters, well formed
    data = {
        **catalogue()["clinics.forms.ReferralForm"].valid_data(world),
        "family_email": long_email,
    }
    response = _post(client, world.clinical_lead, reverse("clinics:referral-create"), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize("page_name", ["child", "concern", "referral", "agenda item"])
def test_script_typed_into_each_create_page_is_stored_as_typed_and_shown_as_text(
    page_name, world, client
):
    persona, url, model, valid_data, text_names = _page_cases()[page_name]
    payload = "<script>alert('xss')</script>"
    data = {**valid_data(world), **{name: payload for name in text_names}}
    response = _post(client, getattr(world, persona), url(world), data)
    assert response.status_code == 302
    created = model.objects.order_by("-pk").first()
    assert all(getattr(created, name) == payload for name in text_names)
    page = client.get(response["Location"]).content.decode()
    assert "<script>alert(" not in page
    assert "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;" in page


def _title_case_text(length: int) -> str:
    """Distinct pairs of capitalised words (each a possible child's name) up to ``length``."""
    import itertools
    import string

    words = ("Q" + "".join(c) for c in itertools.product(string.ascii_lowercase, repeat=4))
    text = ""
    while len(text) < length:
        text += f"{next(words)} {next(words)} "
    return text[:length].strip()


def test_a_long_summary_full_of_possible_names_is_checked_without_crashing(world, client):
    """The name check asks the database about every pair of capitalised words; the longest
    summary the form takes must still make a query the database accepts."""
    from intelligence.anonymity import MAX_TEXT_LENGTH
    from intelligence.models import Concern

    data = {**catalogue()["intelligence.forms.ConcernForm"].valid_data(world), "save": "1"}
    client.force_login(world.sendiass_officer)
    url = reverse("intelligence:concern-create")

    longest = client.post(url, {**data, "summary": _title_case_text(MAX_TEXT_LENGTH)})
    assert longest.status_code == 302
    assert Concern.objects.count() == 1

    too_long = client.post(url, {**data, "summary": _title_case_text(MAX_TEXT_LENGTH + 1)})
    assert too_long.status_code == 200
    assert "There is a problem" in too_long.content.decode()
    assert Concern.objects.count() == 1


def test_an_imported_summary_longer_than_the_form_takes_is_a_row_error(world):
    from intelligence import importing
    from intelligence.anonymity import MAX_TEXT_LENGTH

    text = (
        "raised_on,source,themes,summary\n"
        f"2026-11-03,sendiass,{world.theme.name},{_title_case_text(20_000)}\n"
    )
    preview = importing.preview(text, datetime.date(2026, 11, 27), the_test_area())
    [row] = preview.rows
    assert f"summary: at most {MAX_TEXT_LENGTH} characters" in row.errors


NASTY_BUT_VALID = "<b>Ünïcødé</b> 👩‍👩‍👧‍👦 \u202eevil\u202c e\u0301 <script>alert('xss')</script>"


@pytest.mark.parametrize(
    "form_name",
    [
        name
        for name in form_names()
        if catalogue()[name].valid_data
        and issubclass(project_form_classes().get(name, object), forms.BaseModelForm)
        and any(
            type(field) is forms.CharField
            for field in project_form_classes()[name].base_fields.values()
        )
    ],
)
def test_each_model_form_saves_unusual_text_exactly(form_name, world):
    entry = catalogue()[form_name]
    probe = entry.build(world, None)
    data = entry.valid_data(world)
    typed = {}
    for name, field in text_fields(probe).items():
        if keeps_text_exactly(probe, name, field, entry.transformed):
            typed[name] = (
                NASTY_BUT_VALID[: field.max_length] if field.max_length else NASTY_BUT_VALID
            )
            data[probe.add_prefix(name)] = typed[name]
    assert typed, "no free-text field to check"
    form = entry.build(world, as_query_dict(data))
    assert form.is_valid(), form.errors
    _assert_saved_exactly(form, typed, text_fields(form), entry.transformed)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Café\nBcc: someone@example.org", "The text must be one line."),
        ("Café\rBcc: x@example.org", "The text must be one line."),
        ("Café\x1b[2J", "The text cannot contain control characters."),
        ("A\u2028B", "The text must be one line."),
    ],
)
def test_a_series_name_which_heads_email_subjects_must_be_one_line(name, message, world):
    """The name heads every reminder's email subject, where a line break is refused by the
    mail library: a one-line box refuses it (send_portal/forms.py)."""
    entry = catalogue()["meetings.forms.series.SeriesForm"]
    form = entry.build(world, as_query_dict({**entry.valid_data(world), "name": name}))
    assert not form.is_valid()
    assert form.errors["name"] == [message]


# --- Query strings of the list pages ---------------------------------------------------------

LIST_PAGES = {
    # url name: (persona, the query string's names besides "page")
    "ehcp:children": ("dco", "ehcp.filters.ChildFilter"),
    "ehcp:advice-list": ("dco", "ehcp.filters.AdviceRequestFilter"),
    "ehcp:sign-off-queue": ("dmo", "ehcp.filters.SignOffQueueFilter"),
    "ehcp:annual-reviews": ("dco", "ehcp.forms.annual_review.AnnualReviewFilter"),
    "clinics:referrals": ("clinical_lead", "clinics.filters.ReferralFilter"),
    "intelligence:concerns": ("dco", "intelligence.filters.ConcernFilter"),
    "audit:log": ("administrator", "audit.filters.AuditEventFilter"),
}


def _query_names(dotted: str) -> list[str]:
    filtersets = project_filtersets()
    if dotted in filtersets:
        fields = filtersets[dotted](None, queryset=filtersets[dotted]._meta.model.objects.none())
        return list(fields.form.fields)
    return list(project_form_classes()[dotted].base_fields)


@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
@settings(max_examples=10)
@given(draw=st.data())
def test_list_pages_take_any_query_string(url_name, world, client, draw):
    persona, dotted = LIST_PAGES[url_name]
    names = [*_query_names(dotted), "page"]
    query = {name: draw.draw(st.one_of(HOSTILE, long_text(None)), label=name) for name in names}
    client.force_login(getattr(world, persona))
    response = client.get(reverse(url_name), query)
    assert response.status_code == 200
    assert_drawn_safely(response.content.decode(), list(query.values()))


def test_a_password_set_by_an_administrator_is_kept_as_typed_so_it_signs_in(world):
    """The sign-in form does not strip the password; the form that sets it must not either."""
    from django.contrib.auth import authenticate

    entry = catalogue()["security.people_admin.UserCreationForm"]
    password = "  spaces at both ends 2026  "
    form = entry.build(world, as_query_dict({**entry.valid_data(world), "password": password}))
    assert form.is_valid(), form.errors
    user = form.save()
    assert authenticate(username=user.email, password=password) == user


@pytest.mark.parametrize("url_name", sorted(LIST_PAGES))
def test_list_pages_take_nul_in_every_query_parameter(url_name, world, client):
    """A NUL that reached a query would be an error on PostgreSQL, so a 500."""
    persona, dotted = LIST_PAGES[url_name]
    query = {name: "a\x00b" for name in [*_query_names(dotted), "page"]}
    client.force_login(getattr(world, persona))
    assert client.get(reverse(url_name), query).status_code == 200


# --- The portal's limits on every field (send_portal/forms.py) ------------------------------


def _is_password(field) -> bool:
    return isinstance(field.widget, forms.PasswordInput)


@pytest.mark.parametrize("form_name", form_names())
def test_every_number_field_is_bounded_by_what_its_column_holds(form_name, world):
    """A number beyond PostgreSQL's column ("integer out of range") must be a form error.

    Walks every integer field of every form, and for a model form every model integer
    field it edits, whose PostgreSQL range (not SQLite's 64 bits) bounds it."""
    form = catalogue()[form_name].build(world, None)
    model = getattr(getattr(form, "_meta", None), "model", None)
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField):
            continue
        low, high = INTEGER_MIN, INTEGER_MAX
        if model is not None:
            model_fields = {f.name: f for f in model._meta.concrete_fields}
            if isinstance(model_fields.get(name), models.IntegerField):
                low, high = column_range(model_fields[name])
        assert field.min_value is not None and field.min_value >= low, (name, field.min_value)
        assert field.max_value is not None and field.max_value <= high, (name, field.max_value)


def _number_cases():
    return [
        (name, field_name)
        for name in form_names()
        if catalogue()[name].valid_data
        for field_name, field in project_form_classes()
        .get(name, type("_", (), {"base_fields": {}}))
        .base_fields.items()
        if isinstance(field, forms.IntegerField) and not field.widget.is_hidden
    ]


@pytest.mark.parametrize(("form_name", "field_name"), _number_cases())
@settings(max_examples=10)
@given(
    number=st.one_of(
        st.integers(min_value=INTEGER_MAX + 1),
        st.integers(max_value=INTEGER_MIN - 1),
        st.sampled_from([2**31, 2**63, 10**20, -(2**31) - 1]),
    )
)
@example(number=2_147_483_648)
def test_out_of_range_numbers_are_refused_with_a_message(form_name, field_name, world, number):
    entry = catalogue()[form_name]
    probe = entry.build(world, None)
    data = {**entry.valid_data(world), probe.add_prefix(field_name): str(number)}
    form = entry.build(world, as_query_dict(data))
    assert not form.is_valid()
    assert form.errors.get(field_name), form.errors


CONTROL_CHARACTERS = ["\x07", "\x1b[2J", "\x08", "\x7f", "\x85", "\x9b", "\x0b", "\x0c"]


@pytest.mark.parametrize("form_name", form_names())
def test_every_text_field_has_the_one_control_character_validator(form_name, world):
    form = catalogue()[form_name].build(world, None)
    form.full_clean()  # when the limits are checked: fields added in __init__ have them too
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField) and not _is_password(field):
            assert any(isinstance(v, ControlCharacterValidator) for v in field.validators), name


@pytest.mark.parametrize("form_name", form_names())
@pytest.mark.parametrize("control", CONTROL_CHARACTERS, ids=repr)
def test_control_characters_are_refused_in_every_text_field(form_name, control, world):
    entry = catalogue()[form_name]
    base = entry.valid_data(world) if entry.valid_data else {}
    probe = entry.build(world, None)
    for name, field in text_fields(probe).items():
        if _is_password(field):
            continue
        form = entry.build(world, as_query_dict({**base, probe.add_prefix(name): f"a{control}b"}))
        assert not form.is_valid()
        assert "The text cannot contain control characters." in form.errors.get(name, []), (
            name,
            form.errors,
        )


@pytest.mark.parametrize("form_name", [n for n in form_names() if catalogue()[n].valid_data])
def test_line_breaks_are_kept_in_text_areas_and_refused_in_one_line_boxes(form_name, world):
    entry = catalogue()[form_name]
    probe = entry.build(world, None)
    for name, field in text_fields(probe).items():
        if _is_password(field) or name in entry.transformed:
            continue
        data = {**entry.valid_data(world), probe.add_prefix(name): "First line\r\n\tSecond"}
        form = entry.build(world, as_query_dict(data))
        form.is_valid()
        if isinstance(field.widget, forms.Textarea):
            assert name not in form.errors, (name, form.errors)
        else:
            assert "The text must be one line." in form.errors.get(name, []), name


@pytest.mark.parametrize("form_name", [n for n in form_names() if catalogue()[n].valid_data])
@pytest.mark.parametrize("year", ["0001", "1066", "9999"])
def test_dates_far_outside_any_sensible_range_are_refused_with_a_message(form_name, year, world):
    entry = catalogue()[form_name]
    probe = entry.build(world, None)
    for name, field in probe.fields.items():
        if not isinstance(field, NhsukDateField):
            continue
        day = probe.add_prefix(name)
        data = {**entry.valid_data(world), f"{day}_day": "1", f"{day}_month": "1"}
        data[f"{day}_year"] = year
        form = entry.build(world, as_query_dict(data))
        assert not form.is_valid()
        assert form.errors.get(name), (name, form.errors)


# --- Imports -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("families", "2147483648", "families: a whole number from 1 to 2,147,483,647"),
        ("families", "9" * 30, "families: a whole number from 1 to 2,147,483,647"),
        ("families", "²", "families: a whole number from 1 to 2,147,483,647"),
        ("families", "0", "families: a whole number from 1 to 2,147,483,647"),
        ("raised_on", "0001-01-01", "raised_on: the date must be on or after"),
        ("raised_on", "01/01/1900", "raised_on: the date must be on or after"),
        ("summary", "Waits at the clinic\x85 for months", "summary: the text cannot contain"),
        ("summary", "Waits\x9b2J at the clinic", "summary: the text cannot contain"),
    ],
)
def test_an_import_refuses_out_of_range_numbers_dates_and_control_characters(
    world, column, value, message
):
    from intelligence import importing

    row = {
        "raised_on": "2026-11-03",
        "source": "sendiass",
        "themes": world.theme.name,
        "summary": "Families wait a long time for therapy.",
        "families": "2",
        column: value,
    }
    text = ",".join(row) + "\n" + ",".join(f'"{v}"' for v in row.values()) + "\n"
    preview = importing.preview(text, datetime.date(2026, 11, 27), the_test_area())
    assert not preview.ok
    [checked] = preview.rows
    assert any(error.startswith(message) for error in checked.errors), checked.errors


@settings(max_examples=25)
@given(families=st.integers(min_value=INTEGER_MAX + 1) | st.integers(max_value=0))
def test_an_import_never_says_ready_for_a_number_the_database_cannot_hold(world, families):
    from intelligence import importing

    text = (
        "raised_on,source,themes,summary,families\n"
        f"2026-11-03,sendiass,{world.theme.name},Long waits for therapy.,{families}\n"
    )
    assert not importing.preview(text, datetime.date(2026, 11, 27), the_test_area()).ok


# --- Numbers in URLs ------------------------------------------------------------------------

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("url_name", "persona"),
    [
        *[(name, persona) for name, (persona, _) in LIST_PAGES.items()],
        ("meetings:dashboard", "dco"),
    ],
)
@pytest.mark.parametrize("page", [HUGE, "2147483648", "-1", "²", "1e9", "0x10"])
def test_a_page_number_too_big_or_not_a_number_shows_a_page(url_name, persona, page, world, client):
    client.force_login(getattr(world, persona))
    assert client.get(reverse(url_name), {"page": page}).status_code == 200


def test_a_huge_id_in_any_url_is_not_found_rather_than_an_error(world, client):
    """``<int:pk>`` takes any number of digits; PostgreSQL's columns do not."""
    from tests.urls_walk import walk

    client.force_login(world.dco)
    checked = 0
    for url in walk():
        if "/1/" not in url.path or url.path.startswith("/admin/"):
            continue
        checked += 1
        response = client.get(url.path.replace("/1/", f"/{HUGE}/"))
        assert response.status_code in (302, 403, 404, 405), (url.name, response.status_code)
    assert checked > 20
