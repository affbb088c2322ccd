"""The access-control matrix: every URL pattern × every role × GET and POST.

The patterns come from the URL resolver (tests/urls_walk.py), so a page added later is
in the matrix without anyone remembering; what each page needs is declared once below
(``PAGES``) as the permission, and the object from the world, that decides access. The
expected answer for a person is computed at run time from ``user.has_perm(...)``: the
matrix follows the rules in each app's ``rules.py`` and is not written out per role.

For each person and method:
- allowed: the page answers anything but 403 (200, a redirect, 405, a form's errors) and
  no refusal is logged; an exception (a 500) fails the test;
- refused: 403, and exactly one ACCESS_REFUSED event in the audit log, with that person as
  the actor and the page's URL name.

Each request runs in a transaction that is rolled back, so a POST cannot change what
the next request sees.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import rules
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse

from audit.models import AuditEvent
from tests.access_world import PERSONAS, World, world  # noqa: F401
from tests.urls_walk import ExampleUrl, walk

# --- What decides access ------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Who may use a page: ``decides(user, world)`` is True for those allowed."""

    describe: str
    decides: Callable[[object, World], bool]
    #: What everyone gets instead of allowed/refused: a fixed status, no refusal logged.
    fixed_status: tuple[int, ...] = ()
    perms: tuple[str, ...] = ()

    def __and__(self, other: Access) -> Access:
        return Access(
            f"{self.describe} and {other.describe}",
            lambda user, w: self.decides(user, w) and other.decides(user, w),
            perms=self.perms + other.perms,
        )

    def __or__(self, other: Access) -> Access:
        return Access(
            f"({self.describe} or {other.describe})",
            lambda user, w: self.decides(user, w) or other.decides(user, w),
            perms=self.perms + other.perms,
        )


def rule(perm: str, obj: str | None = None) -> Access:
    """The permission ``perm``, asked about the world's object named ``obj``."""

    def decides(user, w: World) -> bool:
        return user.has_perm(perm, getattr(w, obj) if obj else None)

    return Access(f"{perm}({obj or ''})", decides, perms=(perm,))


SIGNED_IN = Access("any signed-in person", lambda user, w: True)
#: Open to anyone (a signed-in person may be redirected, e.g. the sign-in page).
PUBLIC = Access("anyone, signed in or not", lambda user, w: True)
#: Nobody's page: the address answers 404 to everyone (the admin's catch-all, a calendar
#: feed without its secret token). Never a refusal.
NOT_FOUND_FOR_ALL = Access("nobody (not found)", lambda user, w: True, fixed_status=(404, 405))
#: Sends everyone to the portal's sign-in page.
REDIRECT_FOR_ALL = Access("nobody (redirected)", lambda user, w: True, fixed_status=(302,))


def owns_the_action(user, w: World) -> bool:
    return w.action.owner_id == user.pk


OWNS_THE_ACTION = Access("owner of the action", owns_the_action)


def pk(obj: str, key: str = "pk") -> Callable[[World], dict]:
    return lambda w: {key: getattr(w, obj).pk}


@dataclass(frozen=True)
class Page:
    get: Access
    #: POST's own rule when the view asks more of a POST than of a GET.
    post: Access | None = None
    kwargs: Callable[[World], dict] | None = None
    #: ``require_POST`` is the outermost decorator: a GET is 405 for everyone.
    post_only: bool = False
    query: str = ""
    #: Signing out sends the person to the sign-in page, as it should.
    ends_the_session: bool = False
    #: What an allowed person may get besides 200, 204, a redirect or 405, and why.
    also: tuple[int, ...] = ()

    def access(self, method: str) -> Access:
        return self.post if method == "post" and self.post is not None else self.get


# --- Every page of the portal -------------------------------------------------------------

# --- Records held apart by local area -------------------------------------------------------
#
# A page reading a meeting, clinic or intelligence record among those of the person's areas
# answers 404 to someone it refuses who cannot reach the record at all (another area's, or
# they work in no area): as if it did not exist, and no refusal is logged
# (tests/test_areas_held_apart_meetings.py has the two-area cases).


def _meetings(user):
    from meetings.selectors import meetings_reachable_by

    return meetings_reachable_by(user)


def _series(user):
    from meetings.selectors import series_for_list
    from roles.selectors import areas_of

    return series_for_list(areas_of(user))


def _referrals(user):
    from clinics.selectors import referrals_in_my_areas

    return referrals_in_my_areas(user)


def _appointments(user):
    from clinics.selectors import appointments_in_my_areas

    return appointments_in_my_areas(user)


def _concerns(user):
    from intelligence.selectors import concerns_in_my_areas

    return concerns_in_my_areas(user)


def _escalations(user):
    from intelligence.selectors import escalations
    from roles.selectors import areas_of

    return escalations(areas_of(user))


def _sharing_meetings(user):
    from meetings.selectors import intelligence_meetings
    from roles.selectors import areas_of

    return intelligence_meetings(areas_of(user), limit=None)


def out_of_reach(records, record_id) -> Callable[[object, World], bool]:
    """The record ``record_id(world)`` is not among ``records(user)``."""
    return lambda user, w: not records(user).filter(pk=record_id(w)).exists()


def _pk_of(obj: str, attribute: str = "pk") -> Callable[[World], int]:
    return lambda w: getattr(getattr(w, obj), attribute)


_MEETING_BY = {"agenda_item": "meeting_id", "paper": "meeting_id", "action": "meeting_id"}
HELD_APART: dict[str, Callable[[object, World], bool]] = {
    **{
        f"meetings:{name}": out_of_reach(_meetings, _pk_of("meeting"))
        for name in (
            "chair",
            "attendance-save",
            "guest-add",
            "action-add",
            "close",
            "publish",
            "approve-previous",
            "move",
            "cancel",
            "meeting",
            "agenda-item-add",
            "paper-upload",
            "apologies",
            "agenda-csv",
            "minutes-pdf",
        )
    },
    "meetings:item-record-save": out_of_reach(_meetings, _pk_of("agenda_item", "meeting_id")),
    "meetings:agenda-item-edit": out_of_reach(_meetings, _pk_of("agenda_item", "meeting_id")),
    "meetings:paper": out_of_reach(_meetings, _pk_of("paper", "meeting_id")),
    "meetings:action-complete": out_of_reach(_meetings, _pk_of("action", "meeting_id")),
    "meetings:series": out_of_reach(_series, _pk_of("series")),
    "meetings:series-edit": out_of_reach(_series, _pk_of("series")),
    **{
        f"clinics:{name}": out_of_reach(_referrals, _pk_of("referral"))
        for name in (
            "referral",
            "referral-triage",
            "clinic-appointment-create",
            "support-offer-create",
        )
    },
    "clinics:support-offer": out_of_reach(_referrals, _pk_of("support_offer", "referral_id")),
    **{
        f"clinics:{name}": out_of_reach(_appointments, _pk_of("appointment"))
        for name in (
            "appointment",
            "appointment-attendance",
            "appointment-notes",
            "appointment-outcome",
            "appointment-letter",
        )
    },
    **{
        f"intelligence:{name}": out_of_reach(_concerns, _pk_of("concern"))
        for name in (
            "concern",
            "concern-escalate",
            "concern-outcome",
            "concern-close",
            "concern-attach",
        )
    },
    "intelligence:meeting-concerns": out_of_reach(
        _sharing_meetings, _pk_of("intelligence_meeting")
    ),
    "intelligence:escalation-answer": out_of_reach(_escalations, _pk_of("escalation")),
    "intelligence:concern-from-appointment": out_of_reach(_appointments, _pk_of("appointment")),
}


CHILD = rule("ehcp.view_child", "child")
ADVICE = rule("ehcp.view_advice_request", "advice_request")
PLAN = rule("ehcp.view_plan", "plan")
CHAIR = rule("meetings.chair_meeting", "meeting")
SEE_MEETING = rule("meetings.see_meeting", "meeting")
EDIT_AGENDA = rule("meetings.edit_agenda", "meeting")
APPEAL = rule("tribunal.view_appeal", "appeal")

PAGES: dict[str, Page] = {
    # The portal as a whole and the account pages
    "home": Page(SIGNED_IN),
    "about": Page(PUBLIC),
    "pages": Page(SIGNED_IN),
    "healthz": Page(PUBLIC),
    "sign-in": Page(PUBLIC),
    "sign-out": Page(SIGNED_IN, post_only=True, ends_the_session=True),
    "password-reset": Page(PUBLIC),
    "password-reset-done": Page(PUBLIC),
    "password-reset-confirm": Page(PUBLIC),
    "password-reset-complete": Page(PUBLIC),
    "password-change": Page(SIGNED_IN),
    "password-change-done": Page(SIGNED_IN),
    # Two-step verification, sessions and confirming the password: each person's own.
    "security:two-step": Page(SIGNED_IN),
    "security:set-up": Page(SIGNED_IN),
    "security:check": Page(SIGNED_IN),
    "security:backup-codes": Page(SIGNED_IN),
    "security:new-backup-codes": Page(SIGNED_IN, post_only=True),
    "session_security:sessions": Page(SIGNED_IN),
    "session_security:sign-out-others": Page(SIGNED_IN, post_only=True),
    "session_security:keep-alive": Page(SIGNED_IN, post_only=True),
    "session_security:timed-out": Page(PUBLIC),
    "session_security:confirm-password": Page(SIGNED_IN),
    # Signing in through NHS CIS2 or Entra ID: not set up here, so not there for anyone
    # (tests/browser/test_federated_sign_in.py signs in through a real provider).
    "federated-start-cis2": Page(NOT_FOUND_FOR_ALL),
    "federated-callback-cis2": Page(NOT_FOUND_FOR_ALL),
    "federated-cis2-jwks": Page(NOT_FOUND_FOR_ALL),
    "federated-cis2-back-channel-logout": Page(NOT_FOUND_FOR_ALL),
    "federated-start-entra": Page(NOT_FOUND_FOR_ALL),
    "federated-callback-entra": Page(NOT_FOUND_FOR_ALL),
    # An invitation to link a work sign-in: 404 without a working invitation's token.
    "federated-invitation": Page(NOT_FOUND_FOR_ALL),
    # Step-up through the provider; for a person signed in with a password, the
    # confirm-password page.
    "federated-step-up": Page(SIGNED_IN),
    # Roles
    "roles:directory": Page(rule("roles.view_role_directory")),
    "roles:role": Page(rule("roles.view_role_history"), kwargs=lambda w: {"code": "dmo"}),
    "roles:my-roles": Page(SIGNED_IN),
    "roles:person": Page(rule("roles.view_person", "dmo"), kwargs=pk("dmo")),
    # Children, assessments, health advice, sections, sign-off, annual reviews
    "ehcp:children": Page(rule("ehcp.view_children")),
    "ehcp:child-create": Page(rule("ehcp.manage_assessments")),
    "ehcp:child": Page(CHILD, kwargs=pk("child")),
    "ehcp:assessment-create": Page(rule("ehcp.manage_assessments") & CHILD, kwargs=pk("child")),
    "ehcp:assessment": Page(CHILD, kwargs=pk("assessment")),
    "ehcp:assessment-dates": Page(rule("ehcp.manage_assessments") & CHILD, kwargs=pk("assessment")),
    "ehcp:exception-create": Page(rule("ehcp.record_exception") & CHILD, kwargs=pk("assessment")),
    "ehcp:advice-list": Page(rule("ehcp.view_advice_requests")),
    "ehcp:advice-request-create": Page(
        rule("ehcp.request_advice") & CHILD, kwargs=pk("assessment")
    ),
    "ehcp:advice": Page(
        ADVICE, post=rule("ehcp.write_advice", "advice_request"), kwargs=pk("advice_request")
    ),
    "ehcp:advice-chase": Page(
        rule("ehcp.chase_advice") & ADVICE, kwargs=pk("advice_request"), post_only=True
    ),
    "ehcp:plan": Page(PLAN, kwargs=pk("plan")),
    "ehcp:sections-edit": Page(rule("ehcp.edit_sections", "plan"), kwargs=pk("plan")),
    "ehcp:sections-submit": Page(
        rule("ehcp.edit_sections", "plan"), kwargs=pk("plan"), post_only=True
    ),
    "ehcp:quality-review": Page(rule("ehcp.review_quality", "plan"), kwargs=pk("plan")),
    "ehcp:sign-off-queue": Page(rule("ehcp.view_sign_off_queue")),
    "ehcp:plans-returned": Page(rule("ehcp.list_returned_plans")),
    "ehcp:plans-awaiting-agreement": Page(rule("ehcp.list_plans_awaiting_agreement")),
    # Signing is checked again by services.sign_off (a form error for anyone but the DMO).
    "ehcp:sign-off-review": Page(
        rule("ehcp.view_sign_off_queue"),
        post=rule("ehcp.view_sign_off_queue") & rule("ehcp.sign_off_plan"),
        kwargs=pk("version"),
    ),
    "ehcp:sign-off-return": Page(rule("ehcp.return_plan"), kwargs=pk("version"), post_only=True),
    "ehcp:version-print": Page(PLAN, kwargs=pk("version")),
    "ehcp:version-pdf": Page(PLAN, kwargs=pk("version")),
    "ehcp:version-agree": Page(rule("ehcp.agree_provision"), kwargs=pk("version")),
    "ehcp:annual-reviews": Page(rule("ehcp.view_annual_reviews")),
    "ehcp:annual-review": Page(
        rule("ehcp.view_annual_reviews"),
        post=rule("ehcp.view_annual_reviews") & rule("ehcp.manage_annual_reviews"),
        kwargs=pk("annual_review"),
    ),
    "ehcp:annual-review-input": Page(rule("ehcp.request_advice"), kwargs=pk("annual_review")),
    # Meetings
    "meetings:dashboard": Page(rule("meetings.view_dashboard")),
    "meetings:actions": Page(rule("meetings.view_actions")),
    "meetings:action-complete": Page(OWNS_THE_ACTION | CHAIR, kwargs=pk("action"), post_only=True),
    "meetings:chair": Page(CHAIR, kwargs=pk("meeting")),
    "meetings:attendance-save": Page(CHAIR, kwargs=pk("meeting"), post_only=True),
    "meetings:guest-add": Page(CHAIR, kwargs=pk("meeting"), post_only=True),
    "meetings:item-record-save": Page(CHAIR, kwargs=pk("agenda_item"), post_only=True),
    "meetings:action-add": Page(CHAIR, kwargs=pk("meeting"), post_only=True),
    "meetings:close": Page(CHAIR, kwargs=pk("meeting"), post_only=True),
    "meetings:publish": Page(CHAIR, kwargs=pk("meeting"), post_only=True),
    "meetings:approve-previous": Page(CHAIR, kwargs=pk("meeting"), post_only=True),
    "meetings:series-list": Page(rule("meetings.manage_series")),
    "meetings:series-create": Page(rule("meetings.manage_series")),
    "meetings:series": Page(rule("meetings.manage_series"), kwargs=pk("series")),
    "meetings:series-edit": Page(rule("meetings.manage_series"), kwargs=pk("series")),
    "meetings:move": Page(CHAIR, kwargs=pk("meeting")),
    "meetings:cancel": Page(CHAIR, kwargs=pk("meeting")),
    "meetings:mine": Page(rule("meetings.view_meetings")),
    "meetings:meeting": Page(SEE_MEETING, kwargs=pk("meeting")),
    "meetings:agenda-item-add": Page(EDIT_AGENDA, kwargs=pk("meeting")),
    "meetings:agenda-item-edit": Page(EDIT_AGENDA, kwargs=pk("agenda_item")),
    "meetings:paper-upload": Page(EDIT_AGENDA, kwargs=pk("meeting")),
    "meetings:paper": Page(SEE_MEETING, kwargs=pk("paper")),
    # A POST without "send" or "withdraw" is a bad request.
    "meetings:apologies": Page(
        rule("meetings.send_apologies", "meeting"),
        kwargs=pk("meeting"),
        post_only=True,
        also=(400,),
    ),
    "meetings:agenda-csv": Page(SEE_MEETING, kwargs=pk("meeting")),
    "meetings:minutes-pdf": Page(SEE_MEETING, kwargs=pk("meeting")),
    "meetings:actions-csv": Page(rule("meetings.view_actions")),
    "meetings:calendar": Page(SIGNED_IN),
    # A calendar app cannot sign in: the feed is found by its secret token, or not at all.
    "meetings:calendar-feed": Page(NOT_FOUND_FOR_ALL, kwargs=lambda w: {"token": "not-a-token"}),
    # The Social Communication Clinic
    "clinics:referrals": Page(rule("clinics.see_referrals")),
    "clinics:referral-create": Page(rule("clinics.refer_child")),
    "clinics:referral": Page(rule("clinics.see_referral", "referral"), kwargs=pk("referral")),
    "clinics:referral-triage": Page(
        rule("clinics.triage_referral", "referral"), kwargs=pk("referral")
    ),
    "clinics:clinic-appointment-create": Page(
        rule("clinics.book_appointment", "referral"), kwargs=pk("referral")
    ),
    "clinics:support-offer-create": Page(
        rule("clinics.offer_support", "referral"), kwargs=pk("referral")
    ),
    "clinics:support-offer": Page(
        rule("clinics.offer_support", "referral"), kwargs=pk("support_offer")
    ),
    "clinics:appointments": Page(rule("clinics.see_appointment")),
    "clinics:individual-appointment-create": Page(rule("clinics.book_appointment")),
    "clinics:appointment": Page(
        rule("clinics.see_appointment", "appointment"), kwargs=pk("appointment")
    ),
    "clinics:appointment-attendance": Page(
        rule("clinics.record_attendance", "appointment"), kwargs=pk("appointment")
    ),
    "clinics:appointment-notes": Page(
        rule("clinics.write_clinical_notes", "appointment"), kwargs=pk("appointment")
    ),
    "clinics:appointment-outcome": Page(
        rule("clinics.record_attendance", "appointment"), kwargs=pk("appointment")
    ),
    "clinics:appointment-letter": Page(
        rule("clinics.see_appointment", "appointment"), kwargs=pk("appointment")
    ),
    "clinics:figures": Page(rule("clinics.see_waiting_figures")),
    # SEND Tribunal appeals: every page of one appeal asks who may see it (as the child).
    "tribunal:appeals": Page(rule("tribunal.list_appeals")),
    "tribunal:appeal-create": Page(rule("tribunal.record_appeal")),
    "tribunal:appeal": Page(APPEAL, kwargs=pk("appeal")),
    "tribunal:appeal-decision": Page(
        APPEAL & rule("tribunal.record_decision"), kwargs=pk("appeal")
    ),
    "tribunal:evidence-request-create": Page(
        APPEAL & rule("tribunal.request_evidence"), kwargs=pk("appeal")
    ),
    "tribunal:evidence": Page(
        APPEAL & rule("tribunal.view_evidence", "evidence_request"),
        post=rule("tribunal.write_evidence", "evidence_request"),
        kwargs=pk("evidence_request"),
    ),
    "tribunal:evidence-sent": Page(
        APPEAL & rule("tribunal.send_evidence"), kwargs=pk("evidence_request")
    ),
    "tribunal:witness-create": Page(
        APPEAL & rule("tribunal.manage_witnesses"), kwargs=pk("appeal")
    ),
    "tribunal:witness-confirm": Page(
        APPEAL & rule("tribunal.manage_witnesses"), kwargs=pk("witness")
    ),
    "tribunal:recommendation-create": Page(
        APPEAL & rule("tribunal.record_recommendation"), kwargs=pk("appeal")
    ),
    "tribunal:response": Page(
        APPEAL & rule("tribunal.draft_response"), kwargs=pk("recommendation")
    ),
    "tribunal:response-approve": Page(
        APPEAL & rule("tribunal.approve_response"), kwargs=pk("recommendation")
    ),
    "tribunal:response-letter": Page(APPEAL, kwargs=pk("recommendation")),
    "tribunal:response-sent": Page(
        APPEAL & rule("tribunal.send_response"), kwargs=pk("recommendation")
    ),
    # Intelligence
    "intelligence:concerns": Page(rule("intelligence.list_concerns")),
    "intelligence:concern-create": Page(rule("intelligence.log_concerns")),
    "intelligence:concern-import": Page(rule("intelligence.import_concerns")),
    "intelligence:concern": Page(rule("intelligence.see_concern", "concern"), kwargs=pk("concern")),
    "intelligence:concern-escalate": Page(rule("intelligence.escalate"), kwargs=pk("concern")),
    "intelligence:concern-outcome": Page(rule("intelligence.record_outcome"), kwargs=pk("concern")),
    "intelligence:concern-close": Page(
        rule("intelligence.escalate"), kwargs=pk("concern"), post_only=True
    ),
    # A POST that names no meeting finds none.
    "intelligence:concern-attach": Page(
        rule("intelligence.record_outcome"), kwargs=pk("concern"), post_only=True, also=(404,)
    ),
    "intelligence:meeting-concerns": Page(
        rule("intelligence.record_outcome"), kwargs=pk("intelligence_meeting")
    ),
    "intelligence:themes": Page(
        rule("intelligence.list_concerns"),
        post=rule("intelligence.list_concerns") & rule("intelligence.manage_themes"),
    ),
    "intelligence:theme-merge": Page(rule("intelligence.manage_themes"), kwargs=pk("theme")),
    "intelligence:theme-escalate": Page(rule("intelligence.escalate"), kwargs=pk("theme")),
    "intelligence:escalations": Page(rule("intelligence.list_escalations")),
    "intelligence:escalation-answer": Page(
        rule("intelligence.answer_escalations"), kwargs=pk("escalation")
    ),
    "intelligence:you-said-we-did": Page(rule("intelligence.read_you_said_we_did")),
    "intelligence:concern-from-appointment": Page(
        rule("intelligence.log_concerns") & rule("clinics.see_appointment", "appointment"),
        kwargs=pk("appointment"),
    ),
    "intelligence:report": Page(rule("intelligence.read_reports")),
    "intelligence:areas": Page(rule("intelligence.compare_areas")),
    # Everyone who sees concerns in any form: all of them, the figures only, or their own.
    "intelligence:concerns-csv": Page(
        rule("intelligence.escalate")
        | rule("intelligence.read_reports")
        | rule("intelligence.list_concerns")
    ),
    "intelligence:pack-start": Page(rule("intelligence.read_reports")),
    # Someone else's pack is not found (tests/test_idor.py), never refused.
    "intelligence:pack-status": Page(
        rule("intelligence.read_reports"), kwargs=lambda w: {"pack": w.pack}, also=(404,)
    ),
    "intelligence:pack-download": Page(
        rule("intelligence.read_reports"), kwargs=lambda w: {"pack": w.pack}, also=(404,)
    ),
    # Each person's own notifications, the service's status
    "notifications:list": Page(SIGNED_IN),
    "notifications:mark-all-read": Page(SIGNED_IN, post_only=True),
    "service_status:status": Page(rule("service_status.view_status")),
    # The audit log: administrators read it; nothing in the portal changes it.
    "audit:log": Page(rule("audit.see_audit_log")),
}

# --- The Django admin ---------------------------------------------------------------------

ADMIN_SITE = rule("roles.use_admin_site")
ADMIN_PAGES: dict[str, Page] = {
    # The admin's login page sends everyone to the portal's sign-in.
    "admin:login": Page(REDIRECT_FOR_ALL),
    "admin:logout": Page(ADMIN_SITE, ends_the_session=True),
    # Django refuses an autocomplete request that does not name a field; this one does.
    "admin:autocomplete": Page(
        ADMIN_SITE, query="?app_label=roles&model_name=roleassignment&field_name=user&term=a"
    ),
    # A webhook endpoint's new signing secret: the world holds no endpoint, so the
    # administrator's answer is 404 here (webhooks/tests/test_admin.py opens a real one).
    "admin:webhooks_webhookendpoint_rotate": Page(
        ADMIN_SITE & rule("webhooks.rotate_secret"), also=(404,)
    ),
}
#: The model permissions Django's admin asks for on each of a model's pages: (GET, POST).
_ADMIN_MODEL_VERBS = {
    "changelist": (("view", "change"), ("view", "change")),
    "history": (("view", "change"), ("view", "change")),
    "change": (("view", "change"), ("change",)),
    "add": (("add",), ("add",)),
    "delete": (("delete",), ("delete",)),
}


def _admin_models() -> dict[str, type]:
    return {
        f"{model._meta.app_label}_{model._meta.model_name}": model for model in admin.site._registry
    }


def _model_rule(model, verbs: tuple[str, ...]) -> Access:
    label, name = model._meta.app_label, model._meta.model_name
    combined = rule(f"{label}.{verbs[0]}_{name}")
    for verb in verbs[1:]:
        combined = combined | rule(f"{label}.{verb}_{name}")
    return ADMIN_SITE & combined


def admin_page(url: ExampleUrl) -> tuple[Page, str]:
    """What an admin address needs: the administrator role, and on a model's pages the
    model's own admin permission (the rules in each app's rules.py). Pages that take an
    object open the model's first row, when there is one."""
    if url.name in ADMIN_PAGES:
        page = ADMIN_PAGES[url.name]
        return page, url.path + page.query
    name = url.name.removeprefix("admin:")
    for key, model in _admin_models().items():
        if not name.startswith(key + "_"):
            continue
        action = name.removeprefix(key + "_")
        get_verbs, post_verbs = _ADMIN_MODEL_VERBS.get(action, (("change",), ("change",)))
        page = Page(_model_rule(model, get_verbs), post=_model_rule(model, post_verbs))
        first = model._default_manager.order_by("pk").first()
        if first is None and action == "history":
            # Without the row, Django's history page says "not found" (a redirect) before
            # it asks the model's rule: the site's rule is what is left to refuse others.
            return Page(ADMIN_SITE), url.path
        if first is None or "sample" not in url.path and "/1/" not in url.path:
            return page, url.path
        kwarg = "object_id" if "object_id" in resolve(url.path).kwargs else "pk"
        return page, reverse(url.name, kwargs={kwarg: first.pk})
    # The site's own pages (index, password, app lists, the catch-all, the object redirects).
    # An app without a model the person may see, an address of nothing: not found.
    return Page(ADMIN_SITE, also=(404,)), url.path


#: The admin refuses everyone without the administrator role in one place, the site's
#: ``admin_view`` (security/admin_site.py). So every admin page is asked by the
#: administrator and by the DCO (who may do the most in the portal) and, to keep the run
#: quick, the other roles ask the index and each model's list, add and change pages.
ADMIN_EVERY_PAGE_PERSONAS = ("administrator", "dco")


def is_representative(url: ExampleUrl) -> bool:
    return url.name in ("admin:index", "admin:login") or url.name.endswith(
        ("_changelist", "_add", "_change")
    )


# --- The matrix ---------------------------------------------------------------------------

ALL_URLS = walk()
# The API (/api/v1/) takes no sign-in session, only a case system's token: its own matrix
# of clients, endpoints and verbs is case_systems/tests/test_access_matrix.py.
PORTAL_URLS = [url for url in ALL_URLS if not url.path.startswith(("/admin/", "/api/"))]
ADMIN_URLS = [url for url in ALL_URLS if url.path.startswith("/admin/")]
MISSING_EXPECTATION = (
    "{names}: no access expectation in tests/test_access_matrix.py. Add an entry to PAGES "
    "saying which permission (and which object of tests/access_world.py) decides who may "
    "use the page, or that it is open to every signed-in person."
)


def test_every_portal_page_has_an_expectation():
    missing = sorted({url.name for url in PORTAL_URLS} - PAGES.keys())
    assert not missing, MISSING_EXPECTATION.format(names=", ".join(missing))


def test_every_expectation_is_still_a_page():
    names = {url.name for url in PORTAL_URLS}
    stale = sorted(PAGES.keys() - names)
    assert not stale, f"{stale}: in PAGES but no longer a URL pattern; remove them."


def test_every_permission_named_is_a_rule():
    # A misspelt permission is simply never held, which would pass as "refused to all".
    named = {
        perm for page in PAGES.values() for a in (page.get, page.post) if a for perm in a.perms
    }
    unknown = sorted(perm for perm in named if not rules.perm_exists(perm))
    assert not unknown, f"No such rule: {unknown}"


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):  # noqa: F811
    """One test client per person, for the whole module, with two sessions each: one
    where the password was just entered (so a sensitive page behind step-up answers for
    real) and one where it was not (so a refusal must come before the password is asked)."""
    from session_security.step_up import PASSWORD_ENTERED_AT

    # A step-up lasts the whole run, however slow the machine.
    longer_step_up = override_settings(STEP_UP_MINUTES=24 * 60)
    longer_step_up.enable()
    signed_in = {}
    with django_db_blocker.unblock():
        for persona in PERSONAS:
            client = Client(raise_request_exception=True)
            client.force_login(world.people[persona])
            plain = client.cookies[settings.SESSION_COOKIE_NAME].value
            client.force_login(world.people[persona])
            session = client.session
            session[PASSWORD_ENTERED_AT] = time.time()
            session.save()
            confirmed = client.cookies[settings.SESSION_COOKIE_NAME].value
            signed_in[persona] = SignedInClient(client, plain, confirmed)
    yield signed_in
    longer_step_up.disable()


@dataclass
class SignedInClient:
    """A client that asks every time with one of the sessions it signed in with: a request
    that signs out (or rotates the session) is rolled back in the database, and must not
    leave the client's cookie behind either."""

    client: Client
    session_key: str
    password_confirmed_session_key: str

    def ask(self, method: str, path: str, *, password_confirmed: bool):
        key = self.password_confirmed_session_key if password_confirmed else self.session_key
        self.client.cookies[settings.SESSION_COOKIE_NAME] = key
        return getattr(self.client, method)(path)


def _last_event_pk() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _ask(client, method: str, path: str, password_confirmed: bool):
    """The response, and the refusals logged while answering; everything rolled back."""
    with transaction.atomic():
        before = _last_event_pk()
        try:
            response = client.ask(method, path, password_confirmed=password_confirmed)
        except Exception as error:  # noqa: BLE001 - reported with who asked what
            transaction.set_rollback(True)
            return None, error, []
        refusals = list(
            AuditEvent.objects.filter(pk__gt=before, kind=AuditEvent.Kind.ACCESS_REFUSED)
        )
        transaction.set_rollback(True)
    return response, None, refusals


def _sends_to_sign_in(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("sign-in"))


def check_page(
    world,  # noqa: F811
    clients,
    page: Page,
    path: str,
    url_name: str,
    personas: tuple[str, ...] = PERSONAS,
) -> list[str]:
    view_name = resolve(path.split("?")[0]).view_name
    problems = []
    for persona in personas:
        user = world.people[persona]
        for method in ("get", "post"):
            access = page.access(method)
            allowed = access.decides(user, world)
            response, error, refusals = _ask(clients[persona], method, path, allowed)
            said = f"{method.upper()} {url_name} as {persona} ({access.describe})"
            if error is not None:
                problems.append(f"{said}: raised {error!r}")
                continue
            status = response.status_code
            if method == "get" and page.post_only:
                if status != 405 or refusals:
                    problems.append(f"{said}: {status} (a POST-only page answers GET with 405)")
                continue
            if access.fixed_status:
                if status not in access.fixed_status or refusals:
                    problems.append(f"{said}: {status}, expected {access.fixed_status}")
                continue
            if allowed:
                if (
                    access is not PUBLIC
                    and not page.ends_the_session
                    and _sends_to_sign_in(response)
                ):
                    problems.append(f"{said}: sent to the sign-in page: is the session lost?")
                elif status == 403 or refusals:
                    problems.append(f"{said}: allowed by the rules but answered {status}")
                elif status not in (200, 204, 302, 405, *page.also):
                    problems.append(
                        f"{said}: allowed, but answered {status}; if that is right, say so "
                        "in the page's `also`"
                    )
                continue
            held_apart = HELD_APART.get(url_name)
            if status == 404 and held_apart is not None and held_apart(user, world):
                if refusals:
                    problems.append(f"{said}: 404 for a record out of reach, but logged")
                continue
            if status != 403:
                problems.append(f"{said}: refused by the rules but answered {status}")
            elif len(refusals) != 1:
                problems.append(f"{said}: {len(refusals)} refusals logged, expected exactly one")
            elif refusals[0].actor_id != user.pk or refusals[0].url_name != view_name:
                event = refusals[0]
                problems.append(
                    f"{said}: refusal logged for actor {event.actor_id} at {event.url_name!r}"
                )
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("url", PORTAL_URLS, ids=lambda url: url.name)
def test_portal_page(world, clients, url):  # noqa: F811
    page = PAGES.get(url.name)
    assert page is not None, MISSING_EXPECTATION.format(names=url.name)
    path = reverse(url.name, kwargs=page.kwargs(world)) if page.kwargs else url.path
    problems = check_page(world, clients, page, path + page.query, url.name)
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ADMIN_URLS, ids=lambda url: f"{url.name}:{url.path}")
def test_admin_page(world, clients, url):  # noqa: F811
    page, path = admin_page(url)
    personas = PERSONAS if is_representative(url) else ADMIN_EVERY_PAGE_PERSONAS
    problems = check_page(world, clients, page, path, url.name, personas)
    assert not problems, "\n".join(problems)
