"""The primary navigation: each item names the permission that lets a user see it.

Apps add their own items here as they land. A user sees an item only when
``user.has_perm(item.permission)`` is true, the same rule the page's view checks,
so the navigation never offers a page that would refuse the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url_name: str
    permission: str | None  # None: every signed-in user
    # Other URL names under this item, so it shows as current on its sub-pages.
    section_prefix: str = ""


PRIMARY_NAVIGATION: tuple[NavigationItem, ...] = (
    NavigationItem("Home", "home", None),
    NavigationItem("Meetings dashboard", "meetings:dashboard", "meetings.view_dashboard"),
    NavigationItem("Sign-off queue", "ehcp:sign-off-queue", "ehcp.view_sign_off_queue"),
    NavigationItem("Health advice", "ehcp:advice-list", "ehcp.view_advice_requests"),
    NavigationItem("Children", "ehcp:children", "ehcp.view_children"),
    NavigationItem("Annual reviews", "ehcp:annual-reviews", "ehcp.view_annual_reviews"),
    NavigationItem(
        "Social Communication Clinic", "clinics:referrals", "clinics.see_referrals", "clinics:"
    ),
    NavigationItem("Clinic waiting times", "clinics:figures", "clinics.see_waiting_figures"),
    NavigationItem("Concerns", "intelligence:concerns", "intelligence.list_concerns"),
    NavigationItem("Feedback report", "intelligence:report", "intelligence.read_reports"),
    NavigationItem(
        "You said, we did", "intelligence:you-said-we-did", "intelligence.read_you_said_we_did"
    ),
    NavigationItem("My meetings", "meetings:mine", "meetings.view_meetings"),
    NavigationItem("Roles", "roles:directory", "roles.view_role_directory", "roles:"),
    NavigationItem("Service status", "service_status:status", "service_status.view_status"),
    NavigationItem("Audit log", "audit:log", "audit.see_audit_log"),
    NavigationItem("Administration", "admin:index", "roles.use_admin_site", "admin:"),
)


@dataclass(frozen=True)
class VisibleItem:
    label: str
    href: str
    current: bool


def navigation_for(request: HttpRequest) -> list[VisibleItem]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    if settings.PORTAL_REQUIRE_MFA and not _passed_second_factor(user):
        # Until the second factor is given every link would lead back to it: offer none.
        return []
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    items = []
    for item in PRIMARY_NAVIGATION:
        if item.permission and not user.has_perm(item.permission):
            continue
        current = view_name == item.url_name or bool(
            item.section_prefix and view_name.startswith(item.section_prefix)
        )
        items.append(VisibleItem(item.label, reverse(item.url_name), current))
    return items


def _passed_second_factor(user) -> bool:
    is_verified = getattr(user, "is_verified", None)  # set by django_otp's middleware
    return bool(is_verified and is_verified())
