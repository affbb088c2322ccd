"""Federated sign-in's rules, without a provider: who may use a password, what counts as
two factors in a token, which email counts, the sign-in page's buttons, the portal's JWKS,
and the admin of an organisation's sign-in method. The protocol itself is proved against a
real provider in tests/browser/test_federated_sign_in.py."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from security import federation, rules
from security.models import OrganisationSignIn, Provider
from security.tests.helpers import events, sign_in
from tests.factories import OrganisationFactory, person_holding

TENANT = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"


def _signing_in_with(method: str, tenant: str = ""):
    organisation = OrganisationFactory()
    OrganisationSignIn.objects.create(
        organisation=organisation, method=method, entra_tenant_id=tenant
    )
    return organisation


# --- Who may sign in how ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_of_an_organisation_with_its_own_provider_may_not_use_a_password():
    cis2_person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))
    entra_person = person_holding(
        "send-officer", organisation=_signing_in_with(Provider.ENTRA, TENANT)
    )
    portal_person = person_holding("sendiass-officer", organisation=OrganisationFactory())

    assert not rules.may_use_password(cis2_person)
    assert not rules.may_use_password(entra_person)
    assert rules.may_use_password(portal_person)
    assert rules.may_sign_in_with(cis2_person, Provider.CIS2)
    assert not rules.may_sign_in_with(cis2_person, Provider.ENTRA, TENANT)
    assert rules.may_sign_in_with(entra_person, Provider.ENTRA, TENANT)
    assert not rules.may_sign_in_with(entra_person, Provider.ENTRA, "another-tenant")
    assert not rules.may_sign_in_with(portal_person, Provider.CIS2)


@pytest.mark.django_db
def test_an_ended_role_at_a_cis2_organisation_does_not_stop_a_password():
    import datetime

    from django.utils import timezone

    person = person_holding(
        "dmo",
        organisation=_signing_in_with(Provider.CIS2),
        starts_on=timezone.localdate() - datetime.timedelta(days=90),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    assert rules.may_use_password(person)


@pytest.mark.django_db
def test_the_password_is_refused_to_a_person_whose_organisation_signs_in_with_cis2(client):
    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))

    response = sign_in(client, person)

    assert response.status_code == 200
    assert "Your organisation signs in to the portal through NHS Care Identity Service 2" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert not events(AuditEvent.Kind.SIGNED_IN)


@pytest.mark.django_db
def test_a_wrong_password_says_nothing_about_the_organisations_sign_in(client):
    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))

    response = sign_in(client, person, password="not the password at all")

    assert "Enter a correct email address and password" in response.content.decode()
    assert "Care Identity Service" not in response.content.decode().split("<main")[1]


# --- What a token says -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "claims", "two"),
    [
        (Provider.ENTRA, {"amr": ["pwd", "mfa"]}, True),
        (Provider.ENTRA, {"amr": ["pwd", "otp"]}, True),
        (Provider.CIS2, {"amr": ["sc", "pin"]}, True),
        (Provider.ENTRA, {"amr": ["pwd"]}, False),
        (Provider.ENTRA, {"amr": ["otp", "sms"]}, False),  # two things of one kind
        (Provider.ENTRA, {"amr": "mfa"}, False),  # not a list: believed for nothing
        (Provider.ENTRA, {}, False),
        (Provider.CIS2, {"authentication_assurance_level": "3"}, True),
        (Provider.CIS2, {"authentication_assurance_level": 1}, False),
        (Provider.ENTRA, {"authentication_assurance_level": "3"}, False),  # CIS2's claim only
    ],
)
def test_two_factors_are_what_the_token_says(provider, claims, two):
    assert federation.used_more_than_one_factor(provider, claims) is two


def test_only_an_email_the_provider_verified_counts():
    assert (
        federation.verified_email({"email": "A@NHS.test", "email_verified": True}) == "a@nhs.test"
    )
    assert federation.verified_email({"email": "a@nhs.test", "email_verified": "true"}) is None
    assert federation.verified_email({"email": "a@nhs.test"}) is None
    assert federation.verified_email({"email": "a@council.test", "xms_edov": True}) == (
        "a@council.test"
    )
    assert (
        federation.verified_email({"email": "x" * 300 + "@nhs.test", "email_verified": True})
        is None
    )


def test_a_subject_must_be_there_and_bounded():
    assert federation.subject_of({"sub": "555000111"}) == "555000111"
    for claims in ({}, {"sub": ""}, {"sub": 5}, {"sub": "x" * 256}):
        with pytest.raises(federation.FederationRefused):
            federation.subject_of(claims)


def test_the_audit_summary_keeps_acr_and_amr_and_nothing_else():
    config = federation.ProviderSettings(
        provider=Provider.CIS2,
        issuer="https://cis2.test",
        client_id="c",
        client_secret="",
        scopes="openid",
        redirect_url="https://portal.test/cb",
    )
    claims = {
        "acr": "AAL3_ANY",
        "amr": ["sc", "pin"],
        "email": "dr.khan@nhs.test",
        "name": "Dr Khan",
        "sub": "555",
    }

    summary = federation.assurance_summary(config, claims)

    assert summary == "cis2; acr AAL3_ANY; amr sc, pin; two-step"


# --- The sign-in page and the portal's key ---------------------------------------------------


def _a_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture
def cis2_on(settings):
    settings.CIS2_ISSUER = "https://cis2.test"
    settings.CIS2_CLIENT_ID = "portal"
    settings.CIS2_PRIVATE_KEY = _a_key()
    settings.CIS2_ENABLED = True


@pytest.mark.django_db
def test_the_sign_in_page_offers_only_the_providers_set_up(client, settings):
    page = client.get(reverse("sign-in")).content.decode()
    assert "Care Identity Service" not in page and "Microsoft" not in page

    settings.CIS2_ISSUER, settings.CIS2_CLIENT_ID = "https://cis2.test", "portal"
    settings.CIS2_PRIVATE_KEY, settings.CIS2_ENABLED = _a_key(), True
    settings.ENTRA_CLIENT_ID, settings.ENTRA_CLIENT_SECRET = "portal", "secret"
    settings.ENTRA_ENABLED = True
    council = _signing_in_with(Provider.ENTRA, TENANT)
    _signing_in_with(Provider.CIS2)

    page = client.get(reverse("sign-in")).content.decode()

    assert "Sign in with NHS Care Identity Service 2" in page
    assert f"Sign in with the Microsoft account of {council.name}" in page
    assert reverse("federated-start-entra", args=[council.pk]) in page
    assert page.count("Sign in with the Microsoft account of") == 1


@pytest.mark.django_db
def test_the_jwks_holds_the_public_half_of_the_portals_key_only(client, settings, cis2_on):
    response = client.get(reverse("federated-cis2-jwks"))

    assert response.status_code == 200
    (key,) = response.json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS512" and key["use"] == "sig"
    assert key["kid"] == federation.portal_key_id(settings.CIS2_PRIVATE_KEY)
    assert not {"d", "p", "q", "dp", "dq", "qi"} & key.keys()


@pytest.mark.django_db
def test_a_logout_token_that_is_not_one_is_refused_and_recorded(client, cis2_on):
    response = client.post(
        reverse("federated-cis2-back-channel-logout"), {"logout_token": "x" * 9000}
    )

    assert response.status_code == 400
    (refused,) = events(AuditEvent.Kind.FEDERATED_REFUSED)
    assert refused.summary == "cis2: back-channel logout: logout token missing or too long"


# --- An organisation's sign-in method ----------------------------------------------------------


@pytest.mark.django_db
def test_entra_sign_in_needs_a_well_formed_tenant_and_only_entra_has_one():
    organisation = OrganisationFactory()
    for method, tenant in (
        (Provider.ENTRA, ""),
        (Provider.ENTRA, "not-a-tenant"),
        (Provider.CIS2, TENANT),
    ):
        with pytest.raises(ValidationError):
            OrganisationSignIn(
                organisation=organisation, method=method, entra_tenant_id=tenant
            ).full_clean()
    OrganisationSignIn(
        organisation=organisation, method=Provider.ENTRA, entra_tenant_id=TENANT.upper()
    ).full_clean()


# --- Invitations to link ----------------------------------------------------------------------


@pytest.mark.django_db
def test_an_invitation_keeps_only_a_hash_and_stops_working_when_out_of_date(client):
    import datetime

    import time_machine
    from django.utils import timezone

    from security import services
    from security.models import SignInInvitation

    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))
    link = services.invite_to_link(person)
    token = link.rstrip("/").rsplit("/", 1)[1]

    assert SignInInvitation.objects.get().token_hash != token
    assert token not in str(SignInInvitation.objects.values().get())
    assert events(AuditEvent.Kind.SIGN_IN_INVITATION)[0].target_id == str(person.pk)
    assert client.get(link).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert client.get(link).status_code == 404
    assert client.get(link[:-5] + "nope/").status_code == 404


@pytest.mark.django_db
def test_only_an_administrator_with_a_recent_password_makes_an_invitation(client, administrator):
    from security.models import SignInInvitation
    from session_security.step_up import PASSWORD_ENTERED_AT
    from session_security.tests.conftest import make_password_stale

    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))
    client.force_login(administrator)
    make_password_stale(client)
    url = reverse("admin:roles_user_changelist")
    ask = {"action": "invite_to_link_a_work_sign_in", "_selected_action": [person.pk], "index": 0}

    stale = client.post(url, ask)
    assert stale.status_code == 302 and "confirm-password" in stale["Location"]
    assert not SignInInvitation.objects.exists()

    session = client.session
    session[PASSWORD_ENTERED_AT] = time.time()
    session.save()
    made = client.post(url, ask, follow=True)

    assert SignInInvitation.objects.get().user == person
    assert "/account/sign-in/invitation/" in made.content.decode()


# --- Step-up at the provider ---------------------------------------------------------------


#: CIS2 as a test registers the portal with it (no provider is reached).
CIS2_TEST = federation.ProviderSettings(
    provider=Provider.CIS2,
    issuer="https://cis2.test",
    client_id="portal",
    client_secret="",
    scopes="openid",
    redirect_url="https://portal.test/cb",
)


def _request_signed_in_through_cis2(user, config, subject, **claims):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.test import RequestFactory

    from security import services

    request = RequestFactory().get("/account/sign-in/cis2/callback/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = AnonymousUser()
    services.federated_sign_in(
        request,
        config,
        {
            "sub": subject,
            "email": user.email,
            "email_verified": True,
            "id_assurance_level": "3",
            **claims,
        },
    )
    return request


@pytest.mark.django_db
def test_a_step_up_needs_the_same_subject_authenticated_just_now(settings):
    from django.utils import timezone

    from security import services
    from session_security.step_up import PASSWORD_ENTERED_AT

    config = CIS2_TEST
    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))
    request = _request_signed_in_through_cis2(person, config, "uid-1")
    request.session.pop(PASSWORD_ENTERED_AT)
    now = int(timezone.now().timestamp())

    for claims, reason in (
        ({"sub": "uid-2", "auth_time": now}, "step-up by another person"),
        ({"sub": "uid-1"}, "step-up without a fresh authentication"),
        (
            {"sub": "uid-1", "auth_time": now - settings.STEP_UP_MINUTES * 60 - 30},
            "step-up without a fresh authentication",
        ),
    ):
        with pytest.raises(services.SignInRefused, match=reason):
            services.federated_step_up(request, config, claims)
        assert PASSWORD_ENTERED_AT not in request.session

    services.federated_step_up(request, config, {"sub": "uid-1", "auth_time": now})

    assert PASSWORD_ENTERED_AT in request.session


@pytest.mark.django_db
def test_a_closed_account_is_not_signed_in_through_its_link():
    from security import services

    config = CIS2_TEST
    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))
    _request_signed_in_through_cis2(person, config, "uid-closed")
    person.is_active = False
    person.save()

    with pytest.raises(services.SignInRefused, match="account closed"):
        _request_signed_in_through_cis2(person, config, "uid-closed")
    assert events(AuditEvent.Kind.FEDERATED_REFUSED)[-1].identifier == "uid-closed"


@pytest.mark.django_db
def test_a_token_without_a_usable_subject_is_refused_and_recorded():
    from security import services

    config = CIS2_TEST
    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))

    with pytest.raises(services.SignInRefused):
        _request_signed_in_through_cis2(person, config, "x" * 300)
    assert events(AuditEvent.Kind.FEDERATED_REFUSED)[-1].summary == (
        "cis2: subject missing or too long"
    )


@pytest.mark.django_db
def test_an_administrator_sets_how_an_organisation_signs_in_and_it_is_recorded(
    client, administrator
):
    organisation = OrganisationFactory(name="Tyneside Community Health NHS Trust")
    client.force_login(administrator)
    form = {
        "name": organisation.name,
        "kind": organisation.kind,
        "ods_code": "",
        "is_active": "on",
        "sign_in-TOTAL_FORMS": "1",
        "sign_in-INITIAL_FORMS": "0",
        "sign_in-MIN_NUM_FORMS": "0",
        "sign_in-MAX_NUM_FORMS": "1",
        "sign_in-0-organisation": str(organisation.pk),
        "sign_in-0-id": "",
    }
    url = reverse("admin:roles_organisation_change", args=[organisation.pk])

    refused = client.post(url, {**form, "sign_in-0-method": "entra"})
    saved = client.post(
        url, {**form, "sign_in-0-method": "entra", "sign_in-0-entra_tenant_id": TENANT}
    )

    assert refused.status_code == 200  # the form again: Entra ID needs its tenant
    assert saved.status_code == 302, saved.content.decode()[:2000]
    sign_in = OrganisationSignIn.objects.get(organisation=organisation)
    assert (sign_in.method, sign_in.entra_tenant_id) == (Provider.ENTRA, TENANT)
    (changed,) = events(AuditEvent.Kind.SIGN_IN_METHOD_CHANGED)
    assert changed.actor == administrator and changed.target_id == str(organisation.pk)
    assert changed.summary == f"Signs in with entra (tenant {TENANT})"


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["2", "1", None, "three"])
def test_a_cis2_token_vouching_for_less_than_identity_level_3_is_refused(level):
    from security import services
    from security.models import FederatedIdentity

    config = CIS2_TEST
    person = person_holding("dmo", organisation=_signing_in_with(Provider.CIS2))

    with pytest.raises(services.SignInRefused):
        _request_signed_in_through_cis2(person, config, "uid-ial", id_assurance_level=level)
    assert events(AuditEvent.Kind.FEDERATED_REFUSED)[-1].summary == (
        "cis2: identity assurance under level 3"
    )
    assert not FederatedIdentity.objects.exists()  # and nothing tied


def test_an_entra_token_needs_no_cis2_identity_level():
    assert federation.identity_assured(Provider.ENTRA, {})
    assert federation.identity_assured(Provider.CIS2, {"id_assurance_level": 3})
    assert not federation.identity_assured(Provider.CIS2, {})
