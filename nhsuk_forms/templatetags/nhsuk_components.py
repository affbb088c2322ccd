"""The one way a page draws an NHS.UK summary list or tag: ``{% load nhsuk_components %}``.

Record details (summary list)::

    {% summary_list %}
      {% summary_row "Date of birth" child.date_of_birth|date:"j F Y" %}
      {% summary_row "Place" %}{{ meeting.place }}<br><a href="…">Online</a>{% endsummary_row %}
      {% summary_row "Email" person.email action=change_url %}
    {% endsummary_list %}

``{% summary_list border=False %}`` is NHS.UK's "no border" variant. A row given a value
as its second argument is one line; a row without one holds its value up to
``{% endsummary_row %}``. ``action`` adds a link ("Change" unless ``action_text`` says
otherwise) whose visually hidden end names the row's key, so a screen reader's list of
links reads "Change Email", not "Change" five times; when one row of a list has an
action, the rows without one carry NHS.UK's ``--no-actions`` class so the columns line up.

Status (tag): ``{% status_tag "Running" "green" %}``. The colour is one of NHS.UK's tag
colours (``TAG_COLOURS``); any other word fails where the page is drawn, so a typo cannot
ship a tag with no colour. Python that builds a tag (``ehcp_tags``) calls ``status_tag``.

The markup follows nhsuk-frontend's summary-list, summary-list/row and tag templates
(node_modules/nhsuk-frontend/dist/nhsuk/components/). It lives here, on the bottom floor,
so that every app may use it; tests/test_component_pattern.py fails when a template writes
``nhsuk-summary-list`` or ``nhsuk-tag`` by hand.
"""

from __future__ import annotations

import functools
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# nhsuk-frontend 10's tag template: the colours it has a modifier for, and no others.
TAG_COLOURS = frozenset(
    {"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow"}
)

_NAMED = re.compile(r"^\w+=")
_HAS_ACTIONS = "nhsuk_summary_list_has_actions"


@register.simple_tag
@functools.lru_cache(maxsize=512, typed=True)
def status_tag(text, colour) -> SafeString:
    """An NHS.UK tag: ``<strong class="nhsuk-tag nhsuk-tag--green">Running</strong>``.

    Kept for each text and colour drawn (a queue of 25 rows draws 75 tags of a dozen kinds).
    ``typed``: text marked safe and the same characters as plain text are kept apart, as the
    one is escaped and the other is not."""
    if colour not in TAG_COLOURS:
        raise template.TemplateSyntaxError(
            f"{{% status_tag %}} takes an NHS.UK tag colour ({', '.join(sorted(TAG_COLOURS))}), "
            f"not {colour!r}"
        )
    return format_html('<strong class="nhsuk-tag nhsuk-tag--{}">{}</strong>', colour, text)


def _options(parser, bits, allowed):
    """``name=value`` arguments of a tag, compiled; anything else is a mistake in the page."""
    options = {}
    for bit in bits:
        name, sep, value = bit.partition("=")
        if not sep or name not in allowed:
            raise template.TemplateSyntaxError(
                f"Unknown argument {bit!r}: this tag takes {', '.join(sorted(allowed))}"
            )
        options[name] = parser.compile_filter(value)
    return options


class SummaryListNode(template.Node):
    def __init__(self, nodelist, options):
        self.nodelist = nodelist
        self.options = options
        # Known when the page is compiled: does any row of this list carry an action?
        self.has_actions = any(
            "action" in row.options for row in nodelist.get_nodes_by_type(SummaryRowNode)
        )

    def render(self, context):
        border = self.options.get("border")
        classes = "nhsuk-summary-list"
        if border is not None and not border.resolve(context):
            classes += " nhsuk-summary-list--no-border"
        with context.push({_HAS_ACTIONS: self.has_actions}):
            rows = self.nodelist.render(context)
        return format_html(
            '<dl class="{}">{}</dl>',
            classes,
            mark_safe(rows),  # noqa: S308 - the template's own rendered, escaped output
        )


class SummaryRowNode(template.Node):
    def __init__(self, key, value, nodelist, options):
        self.key = key
        self.value = value
        self.nodelist = nodelist
        self.options = options

    def render(self, context):
        key = self.key.resolve(context)
        if self.nodelist is not None:
            value = mark_safe(self.nodelist.render(context).strip())  # noqa: S308 - rendered, escaped
        else:
            value = self.value.resolve(context)
        action = ""
        href = self.options["action"].resolve(context) if "action" in self.options else ""
        if href:
            text = (
                self.options["action_text"].resolve(context)
                if "action_text" in self.options
                else "Change"
            )
            action = format_html(
                '<dd class="nhsuk-summary-list__actions"><a class="nhsuk-link" href="{}">{}'
                '<span class="nhsuk-u-visually-hidden"> {}</span></a></dd>',
                href,
                text,
                key,
            )
        classes = "nhsuk-summary-list__row"
        if not action and context.get(_HAS_ACTIONS):
            classes += " nhsuk-summary-list__row--no-actions"
        return format_html(
            '<div class="{}"><dt class="nhsuk-summary-list__key">{}</dt>'
            '<dd class="nhsuk-summary-list__value">{}</dd>{}</div>',
            classes,
            key,
            value,
            action,
        )


@register.tag
def summary_list(parser, token):
    bits = token.split_contents()
    options = _options(parser, bits[1:], {"border"})
    nodelist = parser.parse(("endsummary_list",))
    parser.delete_first_token()
    return SummaryListNode(nodelist, options)


@register.tag
def summary_row(parser, token):
    bits = token.split_contents()
    named = [bit for bit in bits[1:] if _NAMED.match(bit)]
    positional = [bit for bit in bits[1:] if not _NAMED.match(bit)]
    if not 1 <= len(positional) <= 2:
        raise template.TemplateSyntaxError(
            "{% summary_row %} takes the key and, for a one-line row, the value: "
            '{% summary_row "Date of birth" child.date_of_birth|date:"j F Y" %}'
        )
    options = _options(parser, named, {"action", "action_text"})
    key = parser.compile_filter(positional[0])
    if len(positional) == 2:
        return SummaryRowNode(key, parser.compile_filter(positional[1]), None, options)
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(key, None, nodelist, options)
