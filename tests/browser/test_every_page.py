"""Every page each demo person can reach is accessible, fits a 320 px window, and links
only where the person may go (tests/browser/crawl.py says how the walk works).

The walk runs over the demo data (``manage.py seed_demo``), signed in as each of its
people through the sign-in page, the former role holders included. It fails on any serious
or critical axe-core violation (WCAG 2.0, 2.1, 2.2 A and AA), any page wider than 320 px,
any link that answers 403 and any page that fails; and it reports how many pages, URL
patterns and people it covered, and the patterns it found no instance of.
"""

from __future__ import annotations

import os
import sys
import time

import pytest
from django.core.management import call_command

from roles.demo import DEMO_PASSWORD, PEOPLE, demo_email
from tests.browser.crawl import WIDE, Crawl, PersonWalk, url_patterns

# Part of `make test` and CI: it signs in as each demo person, so it needs the browser
# (tests/browser/conftest.py skips without Chromium) and a database it may fill.
pytestmark = pytest.mark.django_db(transaction=True)


#: Patterns a GET cannot open as a page, and why: they answer only a form's POST (405 to
#: a GET), send a file, or are the admin's redirects and catch-all.
NOT_PAGES = {
    "admin:login": "sends everyone to the portal's sign-in page",
    "admin:logout": "answers only a POST",
    "admin:view_on_site": "a redirect to the object's portal page",
    "admin:autocomplete": "JSON for the admin's search boxes",
    "admin:jsi18n": "JavaScript",
    "meetings:calendar-feed": "an iCalendar feed found by its secret token",
    "healthz": "the health check's JSON",
    "sign-in": "seen before signing in",
    "password-reset-confirm": "needs a token from an email",
    "session_security:timed-out": "seen once a session has timed out",
}


#: The demo people walked by each part of the walk. Walked as one test, the fifteen took
#: 5 to 10 minutes on one core, the longest test of the suite by far, and CI waited for it
#: at the end; in three parts pytest-xdist walks them side by side. Within a part, people
#: share what has been checked (a pattern opened for three people is not opened again).
#: ``test_every_demo_person_is_walked_once`` fails when a demo person is added and no part
#: walks them.
WALK_PARTS = {
    "clinicians": ("dmo", "clinical-lead", "dco-sunderland", "former-dmo", "former-dco"),
    "dco-and-readers": ("dco", "commissioner", "sendiass", "governance", "forum"),
    "council-providers-admin": (
        "admin",
        "send-officer",
        "send-officer-sunderland",
        "salt",
        "camhs",
    ),
}


def test_every_demo_person_is_walked_once():
    walked = [person for people in WALK_PARTS.values() for person in people]
    assert sorted(walked) == sorted(person.local_part for person in PEOPLE)


# CRAWL_PEOPLE=dmo,admin walks only those people (to look into a finding quickly): only the
# parts that walk one of them are collected.
ONLY = [name for name in os.environ.get("CRAWL_PEOPLE", "").split(",") if name]


@pytest.mark.parametrize(
    "part", [part for part, people in WALK_PARTS.items() if not ONLY or set(people) & set(ONLY)]
)
def test_every_page_each_demo_person_reaches_is_accessible_and_fits_320_px(
    part, chromium, live_server, record_property
):
    people = [
        person
        for person in PEOPLE
        if person.local_part in WALK_PARTS[part] and (not ONLY or person.local_part in ONLY)
    ]
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    crawl = Crawl(base_url=live_server.url.rstrip("/"))
    patterns = url_patterns()

    for person in people:
        started = time.monotonic()
        context = chromium.new_context(locale="en-GB", timezone_id="Europe/London", viewport=WIDE)
        context.set_default_timeout(15_000)
        try:
            walk = PersonWalk(crawl, context, person.local_part, DEMO_PASSWORD)
            walk.sign_in(demo_email(person))
            walk.walk("/")
            walk.walk_unlinked(patterns)
            crawl.people.append(person.local_part)
            print(f"{person.local_part}: {time.monotonic() - started:.0f} s", file=sys.stderr)
        finally:
            context.close()

    covered = set(crawl.checked)
    without_instance = sorted(
        name
        for name in patterns
        if name not in covered and name not in crawl.downloads and name not in NOT_PAGES
    )
    summary = (
        f"Checked {crawl.pages_checked} pages of {len(covered)} URL patterns for "
        f"{len(crawl.people)} people ({part}; axe-core WCAG 2.2 AA, 320 px reflow, links "
        f"only where permitted); {len(crawl.downloads)} patterns are downloads. Patterns with no "
        f"instance the walk could open ({len(without_instance)}): {', '.join(without_instance)}"
    )
    print(summary)
    record_property("crawl_summary", summary)

    assert crawl.people == [person.local_part for person in people]
    problems = [f"{f.person} at {f.url}: {f.problem}" for f in crawl.findings]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
