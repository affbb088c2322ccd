"""Moving through a page with the keyboard alone, proving each stop's focus is visible.

When a page loads, the computed style of everything focusable is written down. Each Tab
then compares the newly focused element's style with that note: an element that looks
the same focused as unfocused has no visible focus (WCAG 2.4.7) and fails the test.
NHS.UK frontend draws some focus styles on a label or on a pseudo-element (radios and
checkboxes, the details summary's text), so those are compared too.
"""

from __future__ import annotations

_STYLE_OF = """
window.__focusStyle = (el) => {
  const props = ['outline-style', 'outline-color', 'outline-width', 'box-shadow',
    'background-color', 'color', 'text-decoration-line', 'text-decoration-thickness',
    'border-top-color', 'border-bottom-width', 'clip', 'clip-path', 'position'];
  const parts = [[el, null], [el, '::before'], [el, '::after']];
  if (el.firstElementChild) parts.push([el.firstElementChild, null]);
  for (const label of el.labels || []) {
    parts.push([label, null], [label, '::before'], [label, '::after']);
  }
  return parts.map(([node, pseudo]) => {
    const style = getComputedStyle(node, pseudo);
    return props.map((p) => style.getPropertyValue(p)).join('|');
  }).join('\\n');
};
"""

_REMEMBER = (
    """() => {"""
    + _STYLE_OF
    + """
  const focusable = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const active = document.activeElement;
  window.__unfocused = new Map();
  for (const el of document.querySelectorAll(focusable)) {
    if (el !== active) window.__unfocused.set(el, window.__focusStyle(el));
  }
}"""
)

_FOCUSED = """(target) => {
  const el = document.activeElement;
  if (!el || el === document.body) return {onBody: true};
  // A date field's own calendar button: the browser draws its focus, out of the page's reach.
  if (el.type === 'date' && !el.matches(':focus')) return {onBody: true};
  const before = window.__unfocused && window.__unfocused.get(el);
  const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
  const name = (el.labels && el.labels[0] && el.labels[0].innerText.trim()) || text;
  return {
    onBody: false,
    isTarget: el === target,
    known: before !== undefined,
    visible: before !== undefined && before !== window.__focusStyle(el),
    description: `<${el.tagName.toLowerCase()}> "${name.slice(0, 60)}"`,
    detail: before && `unfocused:\n${before}\nfocused:\n${window.__focusStyle(el)}`,
  };
}"""


class Keyboard:
    """The keyboard of one journey. Only Tab, typing and the keys a person would press."""

    def __init__(self, journey):
        self.journey = journey
        self.page = journey.page
        self.stops: list[str] = []  # where focus has been, for failure messages
        journey.on_arrival.append(self.remember_unfocused_styles)
        if journey.page.url != "about:blank":
            self.remember_unfocused_styles()

    def remember_unfocused_styles(self) -> None:
        self.page.evaluate(_REMEMBER)

    def tab(self, key: str = "Tab", target=None) -> dict:
        """Move focus on and check that it can be seen (and whether it is on ``target``, an
        element handle)."""
        self.page.keyboard.press(key)
        focused = self.page.evaluate(_FOCUSED, target)
        if not focused["onBody"]:
            self.stops.append(focused["description"])
            assert focused["known"], f"Focus went to {focused['description']}, not a control"
            assert focused["visible"], (
                f"Focus on {focused['description']} cannot be seen\n{focused['detail']}"
            )
        return focused

    def tab_to(self, locator, limit: int = 120) -> None:
        """Press Tab until ``locator`` has the focus, checking every stop on the way."""
        target = locator.element_handle()
        for _ in range(limit):
            if self.tab(target=target).get("isTarget"):
                return
        raise AssertionError(
            f"{limit} presses of Tab never reached {locator}; focus went to {self.stops[-12:]}"
        )

    def has_focus(self, locator) -> bool:
        return locator.evaluate("(el) => el === document.activeElement")

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def replace(self, text: str) -> None:
        """Select what the focused field holds and type over it."""
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.type(text)

    def submit(self, button) -> None:
        """Tab to a button and press Enter: the next page loads and axe checks it."""
        self.tab_to(button)
        self.journey.press("Enter")

    def sign_in(self, email: str, password: str) -> None:
        journey, page = self.journey, self.page
        journey.password = password
        journey.open("/account/sign-in/")
        self.tab_to(page.get_by_label("Email address"))
        self.type(email)
        self.tab()
        assert self.has_focus(page.get_by_label("Password", exact=True))
        self.type(password)
        journey.press("Enter")  # a form's text field submits it on Enter
        assert journey.path == "/", f"Not signed in: still on {journey.page.url}"

    def error_summary_has_focus(self) -> bool:
        return self.page.evaluate(
            "() => document.activeElement.classList.contains('nhsuk-error-summary')"
        )
