"""The one way a page draws an NHS.UK table: ``{% load nhsuk_tables %}``.

``{% table "Child" "Received" caption="Waiting list" %}<tr …>…</tr>{% endtable %}``
    The whole table but its body rows: the region below, the caption, and one header row
    whose cells have ``scope="col"``. A table with a header of its own (two header rows,
    a header cell per row) uses ``{% responsive_table %}`` and writes its own ``<table>``.
    Number columns are right-aligned: ``numeric="Received|Due"`` names them, or
    ``numeric_from=2`` marks every column from the second on (when a header is a variable).

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
from django.utils.html import format_html, format_html_join, strip_tags
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


_CAPTION_CLASSES = {
    "": "nhsuk-table__caption",
    "s": "nhsuk-table__caption nhsuk-table__caption--s",
    "m": "nhsuk-table__caption nhsuk-table__caption--m",
    "l": "nhsuk-table__caption nhsuk-table__caption--l",
    "hidden": "nhsuk-table__caption nhsuk-u-visually-hidden",
}
_NAMED = re.compile(r"^\w+=")


class TableNode(template.Node):
    """``{% table %}``: the caption, the header row and the body of an NHS.UK table, in
    the responsive region, around the body rows the page writes itself."""

    def __init__(self, nodelist, headers, options):
        self.nodelist = nodelist
        self.headers = headers
        self.options = options

    def option(self, name, context, default=""):
        return self.options[name].resolve(context) if name in self.options else default

    def numeric_from(self, context, columns: int) -> int:
        """The column (counted from 1) from which every column holds numbers; past the last
        when not given. A header that is a variable ("A year earlier" or "Period before")
        cannot be named in ``numeric``, so a table of figures names where they start."""
        if "numeric_from" not in self.options:
            return columns + 1
        value = self.option("numeric_from", context)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= columns:
            raise template.TemplateSyntaxError(
                f"{{% table %}} numeric_from is a column number from 1 to {columns}, not {value!r}"
            )
        return value

    def render(self, context):
        caption = self.option("caption", context)
        caption_style = str(self.option("caption_style", context))
        if caption_style not in _CAPTION_CLASSES:
            raise template.TemplateSyntaxError(
                f"{{% table %}} caption_style is one of {', '.join(sorted(_CAPTION_CLASSES))}"
            )
        numeric = {str(name) for name in str(self.option("numeric", context)).split("|") if name}
        # A header that resolves to nothing is a column shown only sometimes (the local
        # area, for someone working in several): left out, with its cells.
        headers = [h for h in (header.resolve(context) for header in self.headers) if h != ""]
        unknown = numeric - {str(header) for header in headers}
        if unknown:
            raise template.TemplateSyntaxError(f"{{% table %}} numeric names no header: {unknown}")
        numeric_from = self.numeric_from(context, len(headers))
        head = format_html_join(
            "",
            '<th scope="col" class="nhsuk-table__header{}">{}</th>',
            (
                (
                    " nhsuk-table__header--numeric"
                    if str(header) in numeric or number >= numeric_from
                    else "",
                    header,
                )
                for number, header in enumerate(headers, 1)
            ),
        )
        classes = " ".join(["nhsuk-table", str(self.option("classes", context))]).strip()
        table = format_html(
            '<table class="{}"><caption class="{}">{}</caption>'
            '<thead class="nhsuk-table__head"><tr class="nhsuk-table__row">{}</tr></thead>'
            '<tbody class="nhsuk-table__body">{}</tbody></table>',
            classes,
            _CAPTION_CLASSES[caption_style],
            caption,
            head,
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - rendered, escaped output
        )
        return format_html(
            '<div class="nhsuk-table-container portal-table-region" role="region" '
            'aria-label="{}" tabindex="0">{}</div>',
            region_label(table),
            table,
        )


@register.tag
def table(parser, token):
    """``{% table "Child" "Weeks waited" caption="Waiting list" numeric="Weeks waited" %}``
    rows ``{% endtable %}``. Options: ``caption`` (required: it names the region),
    ``caption_style`` ("hidden", "s", "m" or "l"; plain when not given), ``numeric``
    (the headers of right-aligned number columns, joined by ``|``), ``numeric_from`` (the
    column, counted from 1, from which every column is a number column: for a header that
    is a variable) and ``classes``."""
    bits = token.split_contents()[1:]
    headers = [parser.compile_filter(bit) for bit in bits if not _NAMED.match(bit)]
    options = {}
    for bit in (bit for bit in bits if _NAMED.match(bit)):
        name, _, value = bit.partition("=")
        if name not in {"caption", "caption_style", "numeric", "numeric_from", "classes"}:
            raise template.TemplateSyntaxError(f"{{% table %}} has no option {name!r}")
        options[name] = parser.compile_filter(value)
    if "caption" not in options or not headers:
        raise template.TemplateSyntaxError(
            '{% table %} needs its headers and a caption: {% table "Child" caption="Children" %}'
        )
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(nodelist, headers, options)
