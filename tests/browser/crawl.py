"""Walk every page a person can reach in a real browser, and check each one.

The walk starts at the home page and follows every link on every page it opens, the way a
person would, then adds the pages only a form leads to (an edit, an add or a confirm page)
by trying each URL pattern not yet seen with the ids the walk found in its sibling pages'
addresses (``/plans/5/`` gives ``/plans/5/sections/edit/``). On each page it opens:

- axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules (tests/browser/axe.py): a serious
  or critical violation is a failure;
- the page must not scroll sideways in a 320 px window (WCAG 2.2, 1.4.10 Reflow):
  ``document.documentElement.scrollWidth`` at most 320;
- every link on it must lead somewhere the person may go: a link answering 403 is a
  failure (a link appears only where the rules let the person follow it).

To stay affordable, a page is opened in the browser (and checked) once per URL pattern for
each person, plus a few more instances of a pattern across people; every other link found
is still asked for by a plain request, so a forbidden link is found wherever it is. The
admin's pages are the exception: who may open them is decided per model, never per row
(security/admin_site.py and each app's admin rules), so a few addresses of each admin
pattern answer for all of its rows, and the administrator's walk does not ask for every
row, sort order and filter of every list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from tests.browser.axe import describe, serious_violations
from tests.urls_walk import walk

NARROW = {"width": 320, "height": 800}
WIDE = {"width": 1280, "height": 900}
#: A URL pattern is opened in the browser for up to this many instances (by different
#: people where it can); each person's home page always.
INSTANCES_PER_PATTERN = 3
CONFIRM_PASSWORD_PATH = "/account/confirm-password/"
#: Addresses of one admin URL pattern asked for by each person's walk (see above).
ADMIN_ADDRESSES_PER_PATTERN = 4

# The NHS.UK header moves the navigation links that do not fit into its "More" menu when
# the window's resize event fires, a frame or two after the window narrows: measure once
# the page has settled.
_WIDTH = """async () => {
    const frame = () => new Promise((done) => requestAnimationFrame(() => done()));
    let width = -1;
    for (let i = 0; i < 10 && width !== document.documentElement.scrollWidth; i++) {
        width = document.documentElement.scrollWidth;
        await frame(); await frame();
    }
    return document.documentElement.scrollWidth;
}"""
# The innermost elements that reach past the window's right edge: what to fix.
_TOO_WIDE = """(limit) => Array.from(document.body.querySelectorAll('*'))
    .filter((e) => e.getBoundingClientRect().right > limit + 1)
    .filter((e) => !e.closest('[role=region][tabindex]'))  // scrolls in its own region
    .filter((e) => !Array.from(e.children).some((c) => c.getBoundingClientRect().right > limit + 1))
    .slice(0, 3)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
        + (typeof e.className === 'string' && e.className.trim()
            ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
        + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""


@dataclass
class Finding:
    person: str
    url: str
    problem: str


@dataclass
class Crawl:
    """What the walk has seen, for every person, and what it found wrong."""

    base_url: str
    findings: list[Finding] = field(default_factory=list)
    #: URL name -> the paths checked in the browser (any person).
    checked: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: URL name -> the kwargs of each address seen, for building pages reached by a form.
    seen_kwargs: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    pages_checked: int = 0
    people: list[str] = field(default_factory=list)
    downloads: set[str] = field(default_factory=set)

    def local_path(self, href: str) -> str | None:
        """The path and query of a link into the portal, or None for anywhere else."""
        url = urlsplit(urljoin(self.base_url + "/", href))
        if f"{url.scheme}://{url.netloc}" != self.base_url or url.path.startswith("/static/"):
            return None
        return url.path + (f"?{url.query}" if url.query else "")


def url_name(path: str) -> tuple[str, dict] | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name, match.kwargs


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


class PersonWalk:
    """One person's walk, in a browser context of their own."""

    def __init__(self, crawl: Crawl, context, person: str, password: str):
        self.crawl = crawl
        self.context = context
        self.page = context.new_page()
        self.person = person
        self.password = password
        self.status: dict[str, int] = {}  # path -> status, each asked once
        self.patterns_checked: set[str] = set()
        self.queue: list[tuple[str, str]] = []  # (path, the page that linked to it)
        self.links: dict[str, list[str]] = {}  # path -> the portal links on that page
        self.asked_per_pattern: dict[str, int] = defaultdict(int)
        page_errors: list[str] = []
        self.page.on("pageerror", lambda error: page_errors.append(str(error)))
        self.page_errors = page_errors

    def fail(self, url: str, problem: str) -> None:
        self.crawl.findings.append(Finding(self.person, url, problem))

    # --- Signing in ---------------------------------------------------------------------

    def sign_in(self, email: str) -> None:
        self.page.goto(self.crawl.base_url + "/account/sign-in/")
        self.page.get_by_label("Email address").fill(email)
        self.page.get_by_label("Password", exact=True).fill(self.password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name="Sign in").click()
        # Enter the password again now, so the pages behind step-up open during the walk.
        self.page.goto(self.crawl.base_url + CONFIRM_PASSWORD_PATH + "?next=/")
        self.check(CONFIRM_PASSWORD_PATH, "session_security:confirm-password")
        main = self.page.locator("main")
        main.locator("input[type=password]").fill(self.password)
        with self.page.expect_navigation():
            main.locator("form button[type=submit]").first.click()

    # --- Asking and opening ---------------------------------------------------------------

    def ask(self, path: str) -> int:
        """The status the person gets for ``path`` from a plain request (no browser); the
        links on an HTML page are kept for the walk to follow."""
        if path not in self.status:
            response = self.context.request.get(self.crawl.base_url + path, max_redirects=5)
            self.status[path] = response.status
            content_type = response.headers.get("content-type", "")
            if response.ok and not content_type.startswith("text/html"):
                self.status[path] = -response.status  # a download: nothing to look at
                found = url_name(path)
                if found:
                    self.crawl.downloads.add(found[0])
            elif response.ok:
                self.links[path] = self.local_links(response.url, response.text(), path)
            response.dispose()
        return self.status[path]

    def local_links(self, page_url: str, html: str, path: str) -> list[str]:
        parser = _Links()
        parser.feed(html)
        links = []
        for href in parser.hrefs:
            local = self.crawl.local_path(urljoin(page_url, href).split("#")[0])
            if local and local != path and local not in links:
                links.append(local)
        return links

    def wants_to_open(self, name: str, path: str) -> bool:
        """Open a page in the browser while its pattern has few instances checked, each
        person's home page always (every role's dashboard differs)."""
        checked = self.crawl.checked[name]
        if path in checked and name != "home":
            return False
        if name == "home":
            return True
        return name not in self.patterns_checked and len(checked) < INSTANCES_PER_PATTERN

    def walk(self, start: str = "/") -> None:
        self.queue.append((start, "(start)"))
        asked: set[str] = set()
        while self.queue:
            path, linked_from = self.queue.pop(0)
            if path in asked:
                continue
            asked.add(path)
            found = url_name(path)
            if found is None:
                continue  # a 404 link is the link checker's business, not this walk's
            name, kwargs = found
            if name.startswith("admin:") and path not in self.status:
                if self.asked_per_pattern[name] >= ADMIN_ADDRESSES_PER_PATTERN:
                    continue
                self.asked_per_pattern[name] += 1
            status = self.ask(path)
            if status == 403:
                self.fail(path, f"a link on {linked_from} answers 403 Forbidden")
                continue
            if status >= 500:
                self.fail(path, f"answers {status} (linked from {linked_from})")
                continue
            if status != 200:
                continue  # a download, or a form that redirects elsewhere
            self.crawl.seen_kwargs[name].append(kwargs)
            if self.wants_to_open(name, path):
                self.open(path, name)
            for link in self.links.get(path, []):
                self.queue.append((link, path))

    def open(self, path: str, name: str) -> None:
        """Open the page in the browser and check it."""
        response = self.page.goto(self.crawl.base_url + path)
        if response is None or response.status != 200:
            self.fail(path, f"answered {response and response.status} in the browser")
            return
        if urlsplit(self.page.url).path == "/account/sign-in/":
            self.fail(path, "the walk was signed out")
            return
        self.check(path, name)

    def check(self, path: str, name: str) -> None:
        self.patterns_checked.add(name)
        self.crawl.checked[name].add(path)
        self.crawl.pages_checked += 1
        violations = serious_violations(self.page)
        if violations:
            self.fail(path, describe(path, violations))
        self.page.set_viewport_size(NARROW)
        width = self.page.evaluate(_WIDTH)
        if width > NARROW["width"]:
            culprits = ", ".join(self.page.evaluate(_TOO_WIDE, NARROW["width"]))
            self.fail(path, f"scrolls sideways at 320 px: {width} px wide, past it: {culprits}")
        self.page.set_viewport_size(WIDE)
        if self.page_errors:
            self.fail(path, f"JavaScript errors: {self.page_errors}")
            self.page_errors.clear()

    # --- Pages only a form leads to ------------------------------------------------------

    def walk_unlinked(self, patterns: dict[str, list[str]]) -> None:
        """Try each URL pattern no link led to, with the ids seen in sibling addresses."""
        for name, kwarg_names in patterns.items():
            if not kwarg_names or self.crawl.checked.get(name):
                continue
            # A few tries: a pattern that answers a GET for none of them is a form's POST.
            for path in candidate_paths(name, kwarg_names, self.crawl.seen_kwargs)[:3]:
                if self.ask(path) == 200:
                    self.open(path, name)
                    break


def candidate_paths(name: str, kwarg_names: list[str], seen: dict[str, list[dict]]) -> list[str]:
    """Addresses of ``name`` built from the kwargs of addresses already seen: those in the
    same part of the portal (the same first path segment) first."""
    paths = []
    for other, kwargs_seen in seen.items():
        for kwargs in kwargs_seen:
            if sorted(kwargs) != sorted(kwarg_names):
                continue
            try:
                path = reverse(name, kwargs=kwargs)
                sibling = reverse(other, kwargs=kwargs)
            except NoReverseMatch:
                continue
            if path.split("/")[1] == sibling.split("/")[1] and path not in paths:
                paths.append(path)
    return paths


def url_patterns() -> dict[str, list[str]]:
    """Every URL pattern of the portal by name, with the kwargs it takes."""
    patterns = {}
    for example in walk():
        try:
            match = resolve(example.path)
        except Resolver404:
            continue
        patterns[example.name] = sorted(match.kwargs)
    return patterns
