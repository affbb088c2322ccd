"""Every NHS.UK summary list and tag is drawn by the one shared template tag.

``{% summary_list %}``, ``{% summary_row %}`` and ``{% status_tag %}``
(nhsuk_forms/templatetags/nhsuk_components.py) hold the markup of nhsuk-frontend's summary
list and tag: the action link's hidden context, the no-actions rows, the colours NHS.UK
has. A row or tag typed by hand drifts from them, so this test reads every template the
portal can render, and every module of the portal's own code, and fails on one.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from tests.test_table_pattern import portal_templates

_BY_HAND = re.compile(r"nhsuk-summary-list|nhsuk-tag\b")

_THE_TAGS = "nhsuk_forms/templatetags/nhsuk_components.py"


def drawn_by_hand(text: str) -> list[int]:
    """The line numbers that write a summary list or tag class themselves."""
    return [number for number, line in enumerate(text.splitlines(), 1) if _BY_HAND.search(line)]


def portal_modules() -> list[Path]:
    base = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", "staticfiles", "artifacts", "var", "tests", "migrations"}
    return sorted(
        path for path in base.rglob("*.py") if not skip & set(path.relative_to(base).parts)
    )


def offenders(paths: list[Path]) -> list[str]:
    base = Path(settings.BASE_DIR)
    found = []
    for path in paths:
        name = path.relative_to(base).as_posix()
        if name == _THE_TAGS:
            continue
        found += [f"{name}:{line}" for line in drawn_by_hand(path.read_text(encoding="utf-8"))]
    return found


def test_the_check_finds_a_row_and_a_tag_by_hand_and_accepts_the_shared_tags():
    by_hand = (
        '<dl class="nhsuk-summary-list">\n<strong class="nhsuk-tag nhsuk-tag--red">Overdue</strong>'
    )
    shared = '{% summary_list %}{% summary_row "Due" due %}{% endsummary_list %}\n'
    shared += '{% status_tag "Overdue" "red" %}'
    assert drawn_by_hand(by_hand) == [1, 2]
    assert drawn_by_hand(shared) == []


def test_every_summary_list_and_tag_in_the_templates_is_the_shared_one():
    templates = portal_templates()
    assert len(templates) > 50, "The walk over the templates found too few to be right"
    found = offenders(templates)
    assert not found, (
        "These lines write an NHS.UK summary list or tag by hand: use "
        '{% load nhsuk_components %}{% summary_list %}{% summary_row "Key" value %}…'
        '{% endsummary_list %} and {% status_tag "Text" "colour" %}:\n' + "\n".join(found)
    )


def test_no_python_of_the_portal_builds_a_tag_or_summary_list_itself():
    modules = portal_modules()
    assert len(modules) > 50, "The walk over the modules found too few to be right"
    found = offenders(modules)
    assert not found, (
        "These lines build NHS.UK tag or summary list markup in Python: call "
        "nhsuk_forms.templatetags.nhsuk_components.status_tag, or pass the colour to "
        "{% status_tag %}:\n" + "\n".join(found)
    )
