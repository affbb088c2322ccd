"""Signing in through NHS CIS2 and an organisation's Entra ID, in Chromium, against a real
OpenID provider (the certified `oidc-provider` from npm, tests/oidc_provider/provider.mjs)
on the loopback address: nothing of the protocol is mocked.

CIS2-style: private_key_jwt with the portal's key and PKCE. Entra-style: an issuer per
tenant and a client secret. The refusals are the portal's own checks of what the provider
sent (a wrong issuer, audience, nonce or signature, an expired token) and the provider's
refusal of a code used twice.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from roles.models import User
from security.models import FederatedIdentity, OrganisationSignIn, Provider
from session_security.models import SignedInSession
from tests.factories import OrganisationFactory, person_holding
from tests.oidc_provider.harness import start_provider, use_provider

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "/"
SET_UP_SECOND_FACTOR = "/account/two-step-verification/set-up/"


@pytest.fixture(scope="module")
def provider(live_server):
    yield from start_provider(live_server.url)


@pytest.fixture(autouse=True)
def portal_uses_the_provider(settings, provider, live_server):
    use_provider(settings, provider, live_server.url)
    # Production's rule: every sign-in passes a second factor.
    settings.PORTAL_REQUIRE_MFA = True


@pytest.fixture
def nhs_trust():
    organisation = OrganisationFactory(name="Tyneside Community Health NHS Trust")
    OrganisationSignIn.objects.create(organisation=organisation, method=Provider.CIS2)
    return organisation


@pytest.fixture
def entra_council(provider):
    organisation = OrganisationFactory(name="South Tyneside Council")
    OrganisationSignIn.objects.create(
        organisation=organisation, method=Provider.ENTRA, entra_tenant_id=provider.entra_tenant
    )
    return organisation


@pytest.fixture
def trust_dmo(nhs_trust):
    return person_holding("dmo", organisation=nhs_trust)


# --- The journey's steps --------------------------------------------------------------------


def given_i_choose_to_sign_in_with(journey, button: str) -> None:
    journey.open("/account/sign-in/")
    journey.follow(journey.page.get_by_role("button", name=button))
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(
        "Sign in to the test provider"
    )


def when_the_provider_knows_me_as(journey, subject: str, email: str, *, factors="two"):
    page = journey.page
    page.get_by_label("Who you are (subject)").fill(subject)
    page.get_by_label("Email address").fill(email)
    page.locator(f"input[name=factors][value={factors}]").check()
    journey.follow(page.get_by_role("button", name="Continue"))


def sign_in_with_cis2(journey, subject: str, email: str, *, factors="two") -> None:
    given_i_choose_to_sign_in_with(journey, "Sign in with NHS Care Identity Service 2")
    when_the_provider_knows_me_as(journey, subject, email, factors=factors)


def events(kind) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def then_i_am_refused(journey, heading: str) -> None:
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(heading)
    journey.open(HOME)
    assert journey.path == "/account/sign-in/", "refused, yet signed in"


# --- Happy paths ---------------------------------------------------------------------------


def test_a_dmo_signs_in_with_cis2_and_two_factors_pass_the_portals_second_factor(
    journey, trust_dmo
):
    sign_in_with_cis2(journey, "cis2-uid-555000111", trust_dmo.email)

    assert journey.path == HOME
    expect(journey.page.get_by_role("heading", level=1)).to_be_visible()
    identity = FederatedIdentity.objects.get()
    assert (identity.user, identity.provider, identity.subject) == (
        trust_dmo,
        Provider.CIS2,
        "cis2-uid-555000111",
    )
    assert identity.linked_by == FederatedIdentity.LinkedBy.VERIFIED_EMAIL
    (linked,) = events(AuditEvent.Kind.FEDERATED_LINKED)
    (signed_in,) = events(AuditEvent.Kind.FEDERATED_SIGN_IN)
    assert linked.identifier == signed_in.identifier == "cis2-uid-555000111"
    assert signed_in.actor == trust_dmo
    assert signed_in.summary == "cis2; acr AAL3_ANY; amr sc, pin; two-step"
    assert "eyJ" not in signed_in.summary  # no token in the log
    journey.end(screenshot="federated-cis2-signed-in")


def test_the_second_time_the_subject_counts_not_the_email(journey, new_journey, trust_dmo):
    sign_in_with_cis2(journey, "cis2-uid-1", trust_dmo.email)
    assert journey.path == HOME

    # Another subject of the provider claiming the same verified email is not let in.
    other = new_journey()
    sign_in_with_cis2(other, "cis2-uid-2", trust_dmo.email)
    then_i_am_refused(other, "You could not be signed in")
    assert FederatedIdentity.objects.get().subject == "cis2-uid-1"
    refused = events(AuditEvent.Kind.FEDERATED_REFUSED)[-1]
    assert refused.identifier == "cis2-uid-2"
    assert "already linked" in refused.summary

    # And the first subject signs in even when the provider says another email now.
    third = new_journey()
    sign_in_with_cis2(third, "cis2-uid-1", "changed@nhs.test")
    assert third.path == HOME


def test_a_council_officer_signs_in_with_their_organisations_entra_tenant(
    journey, entra_council, provider
):
    officer = person_holding("send-officer", organisation=entra_council)
    journey.open("/account/sign-in/")
    journey.screenshot("federated-sign-in-page")
    given_i_choose_to_sign_in_with(
        journey, "Sign in with the Microsoft account of South Tyneside Council"
    )
    when_the_provider_knows_me_as(journey, "entra-oid-42", officer.email)

    assert journey.path == HOME
    identity = FederatedIdentity.objects.get()
    assert identity.user == officer and identity.provider == Provider.ENTRA
    assert identity.issuer == provider.entra_issuer_template.format(tenant=provider.entra_tenant)
    journey.end(screenshot="federated-entra-signed-in")


# --- Refusals -------------------------------------------------------------------------------


def test_a_person_without_an_account_is_told_whom_to_ask_and_nothing_is_made(journey):
    people_before = User.objects.count()

    sign_in_with_cis2(journey, "cis2-uid-stranger", "stranger@nhs.test")

    expect(journey.page.get_by_role("heading", level=1)).to_have_text(
        "You do not have an account yet"
    )
    expect(journey.page.get_by_text("Ask the SEND Health Portal administrator")).to_be_visible()
    assert User.objects.count() == people_before
    assert not FederatedIdentity.objects.exists()
    (refused,) = events(AuditEvent.Kind.FEDERATED_REFUSED)
    assert refused.identifier == "cis2-uid-stranger" and refused.actor is None
    assert refused.summary == "cis2: no account for this person"
    journey.end(screenshot="federated-no-account")


def test_a_single_factor_sign_in_is_asked_for_the_portals_own_code(journey, trust_dmo):
    sign_in_with_cis2(journey, "cis2-uid-7", trust_dmo.email, factors="one")

    # Signed in, but stopped at the portal's second factor (no authenticator yet: set one up).
    assert journey.path == SET_UP_SECOND_FACTOR
    journey.open(HOME)
    assert journey.path == SET_UP_SECOND_FACTOR
    assert events(AuditEvent.Kind.FEDERATED_SIGN_IN)[-1].summary.endswith("one step")


def test_a_person_whose_organisation_signs_in_another_way_is_refused(journey, provider):
    portal_user = person_holding("dmo", organisation=OrganisationFactory(name="Own accounts"))

    sign_in_with_cis2(journey, "cis2-uid-9", portal_user.email)

    then_i_am_refused(journey, "You could not be signed in")
    assert not FederatedIdentity.objects.exists()


def test_back_channel_logout_from_cis2_ends_the_persons_sessions(
    journey, new_journey, trust_dmo, provider
):
    sign_in_with_cis2(journey, "cis2-uid-bcl", trust_dmo.email)
    assert journey.path == HOME
    second = new_journey()
    sign_in_with_cis2(second, "cis2-uid-bcl", trust_dmo.email)
    assert second.path == HOME

    status, said = provider.control("backchannel-logout", sub="cis2-uid-bcl")

    assert status == 200, said
    for signed_out in (journey, second):
        signed_out.open(HOME)
        assert signed_out.path == "/account/sign-in/"
    assert not SignedInSession.objects.filter(user=trust_dmo, ended_at__isnull=True).exists()
    (logout,) = events(AuditEvent.Kind.BACK_CHANNEL_LOGOUT)
    assert logout.identifier == "cis2-uid-bcl"
    assert logout.summary == "cis2: ended 2 session(s)"


def _authorization_request_of(journey) -> dict:
    """Start a sign-in with CIS2 and stop at the provider's sign-in page: the parameters
    the portal sent to the provider (its state for this session among them)."""
    sent = []

    def note(request):
        if re.search(r"/cis2/auth\?", request.url):
            sent.append(request.url)

    journey.page.on("request", note)
    given_i_choose_to_sign_in_with(journey, "Sign in with NHS Care Identity Service 2")
    journey.page.remove_listener("request", note)
    return {k: v[0] for k, v in parse_qs(urlsplit(sent[0]).query).items()}


def test_a_replayed_code_is_refused_by_the_provider(journey, new_journey, trust_dmo, provider):
    callbacks = []
    journey.page.on(
        "request",
        lambda request: (
            callbacks.append(request.url)
            if "/account/sign-in/cis2/callback/" in request.url
            else None
        ),
    )
    sign_in_with_cis2(journey, "cis2-uid-replay", trust_dmo.email)
    assert journey.path == HOME
    code = parse_qs(urlsplit(callbacks[0]).query)["code"][0]

    # Someone else's browser, its own sign-in started, comes back with that code.
    thief = new_journey()
    sent = _authorization_request_of(thief)
    assert sent["code_challenge_method"] == "S256" and sent["code_challenge"]
    assert sent["nonce"] and sent["state"] and sent["prompt"] == "login"
    thief.open(
        "/account/sign-in/cis2/callback/?"
        + urlencode({"code": code, "state": sent["state"], "iss": provider.cis2_issuer})
    )

    then_i_am_refused(thief, "You could not be signed in")
    refused = events(AuditEvent.Kind.FEDERATED_REFUSED)[-1]
    assert refused.summary == "cis2: provider said invalid_grant"


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("issuer", "InvalidClaimError"),
        ("audience", "InvalidClaimError"),
        ("nonce", "InvalidClaimError"),
        ("signature", "BadSignatureError"),
        ("expired", "ExpiredTokenError"),
    ],
)
def test_an_id_token_that_fails_a_check_is_refused(journey, trust_dmo, provider, mode, reason):
    provider.tamper_next_id_token(mode)

    sign_in_with_cis2(journey, f"cis2-uid-{mode}", trust_dmo.email)

    then_i_am_refused(journey, "You could not be signed in")
    assert not FederatedIdentity.objects.exists()
    refused = events(AuditEvent.Kind.FEDERATED_REFUSED)[-1]
    assert refused.summary == f"cis2: ID token refused: {reason}"
    assert not events(AuditEvent.Kind.FEDERATED_SIGN_IN)


# --- Step-up through the provider -----------------------------------------------------------


def _make_the_last_authentication_stale(user) -> None:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from session_security.step_up import PASSWORD_ENTERED_AT

    (row,) = SignedInSession.objects.filter(user=user, ended_at__isnull=True)
    session = SessionStore(session_key=row.session_key)
    session[PASSWORD_ENTERED_AT] = timezone.now().timestamp() - settings.STEP_UP_MINUTES * 60 - 5
    session.save()


def test_an_export_asks_the_provider_again_not_for_a_password(journey, trust_dmo, clinical_lead):
    from ehcp.tests.factories import make_plan_waiting_for_sign_off

    version = make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()
    printout = f"/versions/{version.pk}/print/"
    sign_in_with_cis2(journey, "cis2-uid-step-up", trust_dmo.email)
    assert journey.path == HOME
    _make_the_last_authentication_stale(trust_dmo)
    authorizations = []
    journey.page.on(
        "request",
        lambda request: (
            authorizations.append(request.url) if re.search(r"/cis2/auth\?", request.url) else None
        ),
    )

    journey.open(printout)

    # Sent to the provider to authenticate again, whatever session it has.
    expect(journey.page.get_by_role("heading", level=1)).to_have_text(
        "Sign in to the test provider"
    )
    sent = parse_qs(urlsplit(authorizations[-1]).query)
    assert sent["prompt"] == ["login"] and sent["max_age"] == ["0"]
    when_the_provider_knows_me_as(journey, "cis2-uid-step-up", trust_dmo.email)
    assert journey.path == printout
    confirmed = events(AuditEvent.Kind.PASSWORD_CONFIRMED)[-1]
    assert confirmed.actor == trust_dmo and confirmed.identifier == "cis2-uid-step-up"


def test_a_step_up_as_someone_else_at_the_provider_ends_the_session(
    journey, trust_dmo, clinical_lead
):
    from ehcp.tests.factories import make_plan_waiting_for_sign_off

    version = make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()
    sign_in_with_cis2(journey, "cis2-uid-owner", trust_dmo.email)
    _make_the_last_authentication_stale(trust_dmo)

    journey.open(f"/versions/{version.pk}/print/")
    when_the_provider_knows_me_as(journey, "cis2-uid-somebody-else", "other@nhs.test")

    # Another person signing in at the provider ends the first one's session there, and the
    # provider tells the portal (back-channel logout): the portal's session is gone too.
    then_i_am_refused(journey, "You could not be signed in")
    (logout,) = events(AuditEvent.Kind.BACK_CHANNEL_LOGOUT)
    assert logout.identifier == "cis2-uid-owner"
    assert events(AuditEvent.Kind.FEDERATED_REFUSED)[-1].summary == (
        "cis2: no sign-in started in this session"
    )
    assert not events(AuditEvent.Kind.PASSWORD_CONFIRMED)


def test_a_dmo_signed_in_with_cis2_signs_off_after_authenticating_again_there(
    journey, trust_dmo, clinical_lead
):
    from ehcp.models import SignOff
    from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off

    plan = make_plan_waiting_for_sign_off(
        author=clinical_lead, child=ChildFactory(first_name="Sam", last_name="Harbour")
    )
    page = journey.page
    sign_in_with_cis2(journey, "cis2-uid-signer", trust_dmo.email)
    _make_the_last_authentication_stale(trust_dmo)
    journey.open("/sign-off/")
    journey.follow(page.get_by_role("link", name="Review version 1 for Sam Harbour"))
    review = journey.path
    assert not page.get_by_label("I confirm the statement above").count()  # not yet

    # First, CIS2 again (a link: no form is sent to another site).
    journey.follow(page.get_by_role("button", name="Confirm it is you to sign off"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the test provider")
    when_the_provider_knows_me_as(journey, "cis2-uid-signer", trust_dmo.email)
    assert journey.path == review
    assert not page.get_by_label("Your password").count()  # no portal password to type
    page.get_by_label("I confirm the statement above").check()
    page.get_by_label("Your professional registration number").fill("GMC 7012345")
    journey.follow(page.get_by_role("button", name="Sign off medical sections"))

    signed = SignOff.objects.get(version__plan=plan)
    assert signed.signed_by == trust_dmo and signed.registration_number == "GMC 7012345"
    (event,) = events(AuditEvent.Kind.SIGNED_OFF)
    assert event.summary.endswith("identity confirmed at the provider")
    journey.end(screenshot="federated-sign-off")


# --- An invitation to link ---------------------------------------------------------------------


def test_an_invitation_ties_a_sign_in_without_a_verified_email_once(
    journey, new_journey, entra_council
):
    from security import services
    from security.models import SignInInvitation

    officer = person_holding("send-officer", organisation=entra_council)
    link = services.invite_to_link(officer)

    journey.open(link)
    expect(journey.page.get_by_role("heading", level=1)).to_have_text("Link your work sign-in")
    journey.follow(
        journey.page.get_by_role(
            "button", name="Sign in with the Microsoft account of South Tyneside Council"
        )
    )
    when_the_provider_knows_me_as(journey, "entra-oid-invited", "")  # no email at all

    assert journey.path == HOME
    identity = FederatedIdentity.objects.get()
    assert identity.user == officer
    assert identity.linked_by == FederatedIdentity.LinkedBy.INVITATION
    assert SignInInvitation.objects.get().used_at is not None
    assert events(AuditEvent.Kind.FEDERATED_LINKED)[-1].summary == "entra: linked by invitation"

    # Used: it ties nobody else.
    other = new_journey()
    other.open(link)
    expect(other.page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    journey.end(screenshot="federated-invitation-linked")


def test_an_answer_with_an_overlong_code_is_refused_before_it_reaches_the_provider(journey):
    sent = _authorization_request_of(journey)

    journey.open(
        "/account/sign-in/cis2/callback/?" + urlencode({"code": "c" * 5000, "state": sent["state"]})
    )

    expect(journey.page.get_by_role("heading", level=1)).to_have_text("You could not be signed in")
    assert events(AuditEvent.Kind.FEDERATED_REFUSED)[-1].summary == "cis2: answer too long"
