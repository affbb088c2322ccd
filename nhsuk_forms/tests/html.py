"""A small HTML tree for tests: find elements by tag, class and attributes.

Tests look for elements and compare their attributes and text, so they keep
passing when whitespace or attribute order changes, and fail when the markup
that matters (classes, ids, aria attributes) does.
"""

from __future__ import annotations

from html.parser import HTMLParser

VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None = None):
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Element | str] = []

    def __repr__(self) -> str:
        attrs = " ".join(f'{k}="{v}"' if v is not None else k for k, v in self.attrs.items())
        return f"<{self.tag} {attrs}>".replace(" >", ">")

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        """All text inside, with runs of whitespace made single spaces."""
        parts = []
        for child in self.children:
            parts.append(child if isinstance(child, str) else child.text)
        return " ".join(" ".join(parts).split())

    def elements(self):
        """Every element inside this one, in document order."""
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.elements()

    def find_all(self, tag=None, cls=None, **attrs) -> list[Element]:
        """Elements matching ``tag``, having class ``cls`` and the given attributes.

        Attribute names use underscores for dashes (``aria_describedby``,
        ``data_module``) and a trailing one for Python words (``for_``); ``True``
        means "present with any value".
        """
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        found = []
        for element in self.elements():
            if tag and element.tag != tag:
                continue
            if cls and cls not in element.classes:
                continue
            if all(
                name in element.attrs and (value is True or element.attrs[name] == value)
                for name, value in wanted.items()
            ):
                found.append(element)
        return found

    def find(self, tag=None, cls=None, **attrs) -> Element:
        """The only element matching; fails the test if there are none or several."""
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one {tag or '*'} .{cls} {attrs}, found {found}"
        return found[0]

    def closest(self, tag=None, cls=None) -> Element | None:
        element = self.parent
        while element is not None:
            if (not tag or element.tag == tag) and (not cls or cls in element.classes):
                return element
            element = element.parent
        return None


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID_ELEMENTS:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        element = self.current
        while element is not self.root and element.tag != tag:
            element = element.parent
        assert element is not self.root, f"</{tag}> closes nothing that is open"
        self.current = element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(str(html))
    builder.close()
    assert builder.current is builder.root, f"<{builder.current.tag}> is never closed"
    return builder.root
