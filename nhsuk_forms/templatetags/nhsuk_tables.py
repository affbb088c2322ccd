"""The one way a page draws an NHS.UK table: ``{% load nhsuk_tables %}``.

``{% responsive_table %}<table class="nhsuk-table">…</table>{% endresponsive_table %}``
    Puts the table in a container that scrolls sideways on its own, so a table wider
    than a 320 px window scrolls inside the page and the page itself does not (WCAG 2.2,
    1.4.10 Reflow). A keyboard user can reach the container (``tabindex="0"``) and scroll
    it with the arrow keys, and a screen reader announces it as a region named after the
    table's caption (``role="region"`` with ``aria-label``). A table without a caption
    names its region in the tag: ``{% responsive_table "Scheduled tasks" %}``.

tests/test_table_pattern.py fails when a template draws an ``nhsuk-table`` outside this tag.
"""

from __future__ import annotations

import re
from html import unescape

from django import template
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_CAPTION = re.compile(r"<caption\b[^>]*>(?P<text>.*?)</caption>", re.IGNORECASE | re.DOTALL)


def region_label(table_html: str, label: str = "") -> str:
    """The region's name: the label given, else the caption's text as it is read out."""
    if label:
        return label
    caption = _CAPTION.search(table_html)
    text = " ".join(unescape(strip_tags(caption.group("text"))).split()) if caption else ""
    if not text:
        # A region without a name is no landmark at all: fail where the page is drawn.
        raise template.TemplateSyntaxError(
            "{% responsive_table %} needs a <caption> in its table or a label: "
            '{% responsive_table "What the table lists" %}'
        )
    return text


class ResponsiveTableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        table = self.nodelist.render(context)
        label = str(self.label.resolve(context)) if self.label is not None else ""
        return format_html(
            '<div class="nhsuk-table-container portal-table-region" role="region" '
            'aria-label="{}" tabindex="0">{}</div>',
            region_label(table, label),
            mark_safe(table),  # noqa: S308 - the template's own rendered, escaped output
        )


@register.tag
def responsive_table(parser, token):
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError(
            "{% responsive_table %} takes at most one argument, the region's label"
        )
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endresponsive_table",))
    parser.delete_first_token()
    return ResponsiveTableNode(nodelist, label)
