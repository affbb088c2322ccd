"""Summary lists and tags come out as nhsuk-frontend 10 draws them (components/summary-list,
summary-list/row and tag), with the action's hidden context and the colour check."""

import datetime

import pytest
from django.template import Context, Template, TemplateSyntaxError

from .html import parse


def render(source: str, **context) -> str:
    return Template("{% load nhsuk_components %}" + source).render(Context(context))


def test_a_summary_list_of_one_line_and_block_rows():
    page = parse(
        render(
            "{% summary_list %}"
            '{% summary_row "Date of birth" born|date:"j F Y" %}'
            '{% summary_row "Place" %}{{ place }}<br><a href="/x">Online</a>{% endsummary_row %}'
            "{% endsummary_list %}",
            born=datetime.date(2015, 3, 4),
            place="Room <1>",
        )
    )
    listing = page.find("dl")
    assert listing.classes == ["nhsuk-summary-list"]
    rows = listing.find_all("div", cls="nhsuk-summary-list__row")
    assert [row.find("dt", cls="nhsuk-summary-list__key").text for row in rows] == [
        "Date of birth",
        "Place",
    ]
    values = [row.find("dd", cls="nhsuk-summary-list__value") for row in rows]
    assert values[0].text == "4 March 2015"
    # The block row keeps its own markup, and a value is escaped as in any template.
    assert values[1].find("a", href="/x").text == "Online"
    assert "Room <1>" in values[1].text
    assert not page.find_all("dd", cls="nhsuk-summary-list__actions")


def test_values_are_escaped_and_safe_filters_are_kept():
    html = render(
        '{% summary_list %}{% summary_row "Reason" reason %}'
        '{% summary_row "Note" note|linebreaksbr %}{% endsummary_list %}',
        reason="<script>",
        note="one\ntwo <b>",
    )
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "one<br>two &lt;b&gt;" in html


def test_the_no_border_variant():
    html = render('{% summary_list border=False %}{% summary_row "A" "b" %}{% endsummary_list %}')
    assert parse(html).find("dl").classes == ["nhsuk-summary-list", "nhsuk-summary-list--no-border"]


def test_an_action_names_its_row_for_screen_readers_and_the_other_rows_line_up():
    page = parse(
        render(
            "{% summary_list %}"
            '{% summary_row "Email" email action=change %}'
            '{% if True %}{% summary_row "Job title" "Nurse" %}{% endif %}'
            '{% summary_row "Team" "SEND" action=change action_text="Edit" %}'
            "{% endsummary_list %}",
            email="a@example.org",
            change="/change",
        )
    )
    rows = page.find_all("div", cls="nhsuk-summary-list__row")
    link = rows[0].find("dd", cls="nhsuk-summary-list__actions").find("a", href="/change")
    assert link.classes == ["nhsuk-link"]
    assert link.text == "Change Email"
    assert link.find("span", cls="nhsuk-u-visually-hidden").text == "Email"
    assert rows[1].classes == ["nhsuk-summary-list__row", "nhsuk-summary-list__row--no-actions"]
    assert rows[2].find("a").text == "Edit Team"


def test_a_list_without_actions_has_no_no_actions_rows():
    html = render('{% summary_list %}{% summary_row "A" "b" %}{% endsummary_list %}')
    assert "--no-actions" not in html


def test_a_status_tag():
    tag = parse(render('{% status_tag text "green" %}', text="On & off")).find("strong")
    assert tag.classes == ["nhsuk-tag", "nhsuk-tag--green"]
    assert tag.text == "On & off"


def test_a_status_tag_escapes_plain_text_after_drawing_the_same_text_marked_safe():
    """Tags are kept per text drawn: text marked safe must not lend its tag, unescaped, to
    the same characters typed as plain text."""
    from django.utils.safestring import mark_safe

    from nhsuk_forms.templatetags.nhsuk_components import status_tag

    marked = status_tag(mark_safe("<em>Due</em>"), "red")
    typed = status_tag("<em>Due</em>", "red")

    assert marked == '<strong class="nhsuk-tag nhsuk-tag--red"><em>Due</em></strong>'
    assert typed == '<strong class="nhsuk-tag nhsuk-tag--red">&lt;em&gt;Due&lt;/em&gt;</strong>'
    assert status_tag("On track", "blue") is status_tag("On track", "blue")


def test_a_tag_colour_nhsuk_does_not_have_fails_where_the_page_is_drawn():
    with pytest.raises(TemplateSyntaxError, match="colour"):
        render('{% status_tag "On" "gren" %}')
    with pytest.raises(TemplateSyntaxError, match="colour"):
        render('{% status_tag "On" "nhsuk-tag--green" %}')


def test_a_row_needs_a_key_and_names_its_options():
    with pytest.raises(TemplateSyntaxError):
        render("{% summary_list %}{% summary_row %}{% endsummary_list %}")
    with pytest.raises(TemplateSyntaxError, match="Unknown argument"):
        render('{% summary_list %}{% summary_row "A" "b" href="/x" %}{% endsummary_list %}')


def render_table(source: str, **context) -> str:
    return Template("{% load nhsuk_tables %}" + source).render(Context(context))


def test_a_table_draws_its_region_caption_and_header_row_around_the_page_s_rows():
    page = parse(
        render_table(
            '{% table "Child" "Weeks waited" caption=what caption_style="hidden" '
            'numeric="Weeks waited" %}'
            '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell">A</td>'
            '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">3</td></tr>'
            "{% endtable %}",
            what="Waiting list",
        )
    )
    region = page.find("div", cls="nhsuk-table-container")
    assert region.attrs["role"] == "region" and region.attrs["tabindex"] == "0"
    assert region.attrs["aria-label"] == "Waiting list"
    table = region.find("table")
    assert table.classes == ["nhsuk-table"]
    caption = table.find("caption")
    assert caption.classes == ["nhsuk-table__caption", "nhsuk-u-visually-hidden"]
    assert caption.text == "Waiting list"
    headers = table.find("thead", cls="nhsuk-table__head").find_all("th")
    assert [(th.attrs["scope"], th.classes, th.text) for th in headers] == [
        ("col", ["nhsuk-table__header"], "Child"),
        ("col", ["nhsuk-table__header", "nhsuk-table__header--numeric"], "Weeks waited"),
    ]
    body = table.find("tbody", cls="nhsuk-table__body")
    assert [td.text for td in body.find_all("td")] == ["A", "3"]


def test_a_table_s_caption_styles_and_its_mistakes():
    small = parse(
        render_table('{% table "A" caption="Outcomes" caption_style="s" %}{% endtable %}')
    )
    assert small.find("caption").classes == ["nhsuk-table__caption", "nhsuk-table__caption--s"]
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render_table('{% table "A" %}{% endtable %}')
    with pytest.raises(TemplateSyntaxError, match="numeric"):
        render_table('{% table "A" caption="B" numeric="C" %}{% endtable %}')
    with pytest.raises(TemplateSyntaxError, match="option"):
        render_table('{% table "A" caption="B" scope="row" %}{% endtable %}')


def test_a_table_whose_header_is_a_variable_marks_its_number_columns_from_one_column_on():
    page = parse(
        render_table(
            '{% table "Measure" "This period" compared caption="Figures" numeric_from=2 %}'
            "{% endtable %}",
            compared="A year earlier",
        )
    )
    headers = page.find("thead").find_all("th")
    assert [(header.text, header.classes) for header in headers] == [
        ("Measure", ["nhsuk-table__header"]),
        ("This period", ["nhsuk-table__header", "nhsuk-table__header--numeric"]),
        ("A year earlier", ["nhsuk-table__header", "nhsuk-table__header--numeric"]),
    ]
    for wrong in ("0", "4", '"2"'):
        with pytest.raises(TemplateSyntaxError, match="numeric_from"):
            render_table(
                f'{{% table "A" "B" "C" caption="D" numeric_from={wrong} %}}{{% endtable %}}'
            )
