"""The navigation: each item names the permission that lets a user see it.

A user sees an item only when ``user.has_perm(item.permission)`` is true, the same rule
the page's view checks, so the navigation never offers a page that would refuse the user.

The header keeps each person's daily pages in view: an item is *daily* for whoever holds
its ``daily`` permission (the permission for the work the page is for: the sign-off queue
for whoever signs off, the clinic for whoever triages). A person who may open only a few
pages has all of them in the header; one who may open more has Home, their daily pages and
"All pages", which lists every page they may open, grouped (home/views.py).

The menu depends only on the person's roles, so it is worked out once per set of roles and
kept (the permissions depend on nothing else; the current page is marked per request).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from roles.selectors import current_role_codes

PLANS = "Plans and advice"
MEETINGS = "Meetings"
CLINIC = "Social Communication Clinic"
FEEDBACK = "Feedback and reports"
ADMINISTRATION = "Roles and administration"


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user
    # Other URL names under this item, so it shows as current on its sub-pages.
    section_prefix: str = ""
    # The heading it is listed under on "All pages".
    group: str = ""
    # Whoever holds this permission has the page in the header (their daily work).
    daily: str | None = None


PRIMARY_NAVIGATION: tuple[NavigationItem, ...] = (
    NavigationItem("Home", "home", None),
    NavigationItem(
        "Meetings dashboard",
        "meetings:dashboard",
        "meetings.view_dashboard",
        group=MEETINGS,
        daily="meetings.view_dashboard",
    ),
    NavigationItem(
        "Sign-off queue",
        "ehcp:sign-off-queue",
        "ehcp.view_sign_off_queue",
        group=PLANS,
        daily="ehcp.sign_off_plan",
    ),
    NavigationItem(
        "Plans waiting for ICB agreement",
        "ehcp:plans-awaiting-agreement",
        "ehcp.list_plans_awaiting_agreement",
        group=PLANS,
        daily="ehcp.agree_provision",
    ),
    NavigationItem(
        "Social Communication Clinic",
        "clinics:referrals",
        "clinics.see_referrals",
        "clinics:",
        group=CLINIC,
        daily="clinics.triage_referral",
    ),
    NavigationItem(
        "Health advice",
        "ehcp:advice-list",
        "ehcp.view_advice_requests",
        group=PLANS,
        daily="ehcp.view_advice_requests",
    ),
    NavigationItem(
        "Returned sections",
        "ehcp:plans-returned",
        "ehcp.list_returned_plans",
        group=PLANS,
        daily="ehcp.edit_any_plan",
    ),
    NavigationItem(
        "Children",
        "ehcp:children",
        "ehcp.view_children",
        group=PLANS,
        daily="ehcp.manage_assessments",
    ),
    NavigationItem(
        "Annual reviews",
        "ehcp:annual-reviews",
        "ehcp.view_annual_reviews",
        group=PLANS,
        daily="ehcp.manage_annual_reviews",
    ),
    NavigationItem(
        "Tribunal appeals",
        "tribunal:appeals",
        "tribunal.list_appeals",
        "tribunal:",
        group=PLANS,
    ),
    NavigationItem(
        "Clinic waiting times",
        "clinics:figures",
        "clinics.see_waiting_figures",
        group=CLINIC,
    ),
    NavigationItem(
        "Concerns",
        "intelligence:concerns",
        "intelligence.list_concerns",
        group=FEEDBACK,
        daily="intelligence.manage_themes",
    ),
    NavigationItem(
        "Escalations",
        "intelligence:escalations",
        "intelligence.list_escalations",
        group=FEEDBACK,
        daily="intelligence.answer_escalations",
    ),
    NavigationItem(
        "Feedback report",
        "intelligence:report",
        "intelligence.read_reports",
        group=FEEDBACK,
        daily="intelligence.answer_escalations",
    ),
    NavigationItem(
        "You said, we did",
        "intelligence:you-said-we-did",
        "intelligence.read_you_said_we_did",
        group=FEEDBACK,
    ),
    NavigationItem("My meetings", "meetings:mine", "meetings.view_meetings", group=MEETINGS),
    NavigationItem(
        "Roles", "roles:directory", "roles.view_role_directory", "roles:", group=ADMINISTRATION
    ),
    NavigationItem(
        "Service status",
        "service_status:status",
        "service_status.view_status",
        group=ADMINISTRATION,
        daily="service_status.view_status",
    ),
    NavigationItem(
        "Audit log",
        "audit:log",
        "audit.see_audit_log",
        group=ADMINISTRATION,
        daily="audit.see_audit_log",
    ),
    NavigationItem(
        "Administration",
        "admin:index",
        "roles.use_admin_site",
        "admin:",
        group=ADMINISTRATION,
        daily="roles.use_admin_site",
    ),
)

ALL_PAGES = NavigationItem("All pages", "pages", None)
#: Up to this many items (Home included) the header shows them all; beyond it, Home, the
#: daily pages (at most this many in all) and "All pages".
HEADER_ITEMS = 6
GROUP_ORDER = (PLANS, MEETINGS, CLINIC, FEEDBACK, ADMINISTRATION)


@dataclass(frozen=True)
class VisibleItem:
    label: str
    href: str
    current: bool


@dataclass(frozen=True)
class _Menu:
    header: tuple[NavigationItem, ...]
    everything: tuple[NavigationItem, ...]  # every item the person may open, Home excepted


# One menu per set of role codes (and active or not): nothing else changes what it holds.
_menus: dict[tuple[bool, frozenset[str]], _Menu] = {}
_hrefs: dict[str, str] = {}


def _menu(user) -> _Menu:
    key = (bool(user.is_active), current_role_codes(user))
    menu = _menus.get(key)
    if menu is None:
        menu = _menus[key] = _work_out_menu(user)
    return menu


def _work_out_menu(user) -> _Menu:
    visible = [
        item for item in PRIMARY_NAVIGATION if not item.permission or user.has_perm(item.permission)
    ]
    home, others = visible[0], visible[1:]
    if len(visible) <= HEADER_ITEMS:
        return _Menu(tuple(visible), tuple(others))
    daily = [item for item in others if item.daily and user.has_perm(item.daily)]
    return _Menu((home, *daily[: HEADER_ITEMS - 1], ALL_PAGES), tuple(others))


def _href(url_name: str) -> str:
    href = _hrefs.get(url_name)
    if href is None:
        href = _hrefs[url_name] = reverse(url_name)
    return href


def _signed_in_user(request: HttpRequest):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if settings.PORTAL_REQUIRE_MFA and not _passed_second_factor(user):
        # Until the second factor is given every link would lead back to it: offer none.
        return None
    return user


def _is_current(item: NavigationItem, view_name: str) -> bool:
    return view_name == item.url_name or bool(
        item.section_prefix and view_name.startswith(item.section_prefix)
    )


def navigation_for(request: HttpRequest) -> list[VisibleItem]:
    """The header's items for this person on this page."""
    user = _signed_in_user(request)
    if user is None:
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    menu = _menu(user)
    # On a page kept off the header, "All pages" shows where the person is.
    elsewhere = not any(_is_current(item, view_name) for item in menu.header) and any(
        _is_current(item, view_name) for item in menu.everything
    )
    return [
        VisibleItem(
            item.label,
            _href(item.url_name),
            _is_current(item, view_name) or (item is ALL_PAGES and elsewhere),
        )
        for item in menu.header
    ]


def pages_for(request: HttpRequest) -> list[tuple[str, list[VisibleItem]]]:
    """Every page the person may open (Home aside), under its group's heading."""
    user = _signed_in_user(request)
    if user is None:
        return []
    groups: dict[str, list[VisibleItem]] = {group: [] for group in GROUP_ORDER}
    for item in _menu(user).everything:
        groups[item.group].append(VisibleItem(item.label, _href(item.url_name), False))
    return [(group, items) for group, items in groups.items() if items]


def _passed_second_factor(user) -> bool:
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's middleware
    return bool(is_verified and is_verified())
