"""Every NHS.UK table reflows at 320 px through the one shared pattern.

A table with no container of its own makes the whole page scroll sideways on a phone
(WCAG 2.2, 1.4.10 Reflow). The portal draws every ``nhsuk-table`` inside
``{% responsive_table %}`` (nhsuk_forms/templatetags/nhsuk_tables.py), a labelled
region that scrolls on its own and takes keyboard focus; this test reads every template
the portal can render and fails on a table drawn any other way, so a new page cannot
forget it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError

_TABLE = re.compile(r"<table\b[^>]*\bclass=\"[^\"]*\bnhsuk-table\b[^\"]*\"", re.IGNORECASE)
_OPEN = re.compile(r"{%\s*responsive_table\b[^%]*%}")
_CLOSE = re.compile(r"{%\s*endresponsive_table\s*%}")


def portal_templates() -> list[Path]:
    base = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", "staticfiles", "artifacts", "var"}
    return sorted(
        path
        for path in base.rglob("*.html")
        if not skip & set(path.relative_to(base).parts) and "templates" in path.parts
    )


def tables_outside_the_pattern(text: str) -> list[int]:
    """The line numbers of nhsuk-tables that no {% responsive_table %} block holds."""
    blocks = []
    for opening in _OPEN.finditer(text):
        closing = _CLOSE.search(text, opening.end())
        blocks.append((opening.end(), closing.start() if closing else len(text)))
    return [
        text.count("\n", 0, table.start()) + 1
        for table in _TABLE.finditer(text)
        if not any(start <= table.start() < end for start, end in blocks)
    ]


def test_the_check_finds_a_bare_table_and_accepts_a_wrapped_one():
    bare = '<h2>Children</h2>\n<table class="nhsuk-table">\n<caption>x</caption></table>'
    wrapped = "{% responsive_table %}" + bare + "{% endresponsive_table %}"
    assert tables_outside_the_pattern(bare) == [2]
    assert tables_outside_the_pattern(wrapped) == []


def test_every_nhsuk_table_in_the_templates_is_in_the_shared_pattern():
    templates = portal_templates()
    assert len(templates) > 50, "The walk over the templates found too few to be right"
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}"
        for path in templates
        for line in tables_outside_the_pattern(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        "These nhsuk-tables would make the page scroll sideways at 320 px: wrap each in "
        "{% load nhsuk_tables %}{% responsive_table %}…{% endresponsive_table %}:\n"
        + "\n".join(offenders)
    )


def render(source: str) -> str:
    return Template("{% load nhsuk_tables %}" + source).render(Context({"what": "Children"}))


def test_the_region_is_named_after_the_caption_and_takes_keyboard_focus():
    html = render(
        '{% responsive_table %}<table class="nhsuk-table"><caption class="nhsuk-table__caption">'
        "Children &amp; <span>young people</span></caption></table>{% endresponsive_table %}"
    )
    assert 'role="region"' in html and 'tabindex="0"' in html
    assert 'aria-label="Children &amp; young people"' in html
    assert 'class="nhsuk-table-container' in html


def test_a_table_without_a_caption_names_its_region_in_the_tag():
    html = render(
        '{% responsive_table what %}<table class="nhsuk-table"></table>{% endresponsive_table %}'
    )
    assert 'aria-label="Children"' in html
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render('{% responsive_table %}<table class="nhsuk-table"></table>{% endresponsive_table %}')
