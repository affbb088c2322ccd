"""The access matrix is the same for people signed in through NHS CIS2: the provider says
who a person is, their role assignments still say what they may do.

Every page of the portal (tests/test_access_matrix.py's expectations, computed from the
rules) × every persona × GET and POST, asked with sessions made by the real federated
sign-in (``security.services.federated_sign_in``, with the claims a checked ID token gives
it) instead of ``force_login``. The protocol itself is proved against a real provider in
tests/browser/test_federated_sign_in.py.
"""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from audit.models import AuditEvent
from roles.models import Organisation
from security import federation, services
from security.models import FederatedIdentity, OrganisationSignIn, Provider
from session_security.step_up import CONFIRM_ELSEWHERE, PASSWORD_ENTERED_AT
from tests.access_world import PERSONAS, world  # noqa: F401
from tests.test_access_matrix import PAGES, PORTAL_URLS, SignedInClient, check_page

CIS2 = federation.ProviderSettings(
    provider=Provider.CIS2,
    issuer="https://cis2.matrix.test",
    client_id="portal",
    client_secret="",
    scopes="openid",
    redirect_url="https://portal.test/account/sign-in/cis2/callback/",
)
#: Works for no organisation, so cannot sign in through an organisation's provider.
CANNOT_SIGN_IN_THROUGH_A_PROVIDER = {"no_role_user"}


def _federated_session(user, *, confirmed: bool) -> str:
    """A session signed in the way a CIS2 sign-in signs in, two factors and all."""
    request = RequestFactory().get("/account/sign-in/cis2/callback/")
    SessionMiddleware(lambda request: None).process_request(request)
    request.user = AnonymousUser()
    claims = {
        "sub": f"cis2-{user.pk}",
        "email": user.email,
        "email_verified": True,
        "acr": "AAL3_ANY",
        "amr": ["sc", "pin"],
        "id_assurance_level": "3",
    }
    services.federated_sign_in(request, CIS2, claims)
    assert request.user == user and request.session[CONFIRM_ELSEWHERE]
    if confirmed:
        request.session[PASSWORD_ENTERED_AT] = time.time()
    else:
        request.session.pop(PASSWORD_ENTERED_AT, None)
    request.session.save()
    return request.session.session_key


@pytest.fixture(scope="module")
def clients(world, django_db_blocker):  # noqa: F811
    longer_step_up = override_settings(STEP_UP_MINUTES=24 * 60)
    longer_step_up.enable()
    signed_in = {}
    with django_db_blocker.unblock():
        for organisation in Organisation.objects.all():
            OrganisationSignIn.objects.update_or_create(
                organisation=organisation, defaults={"method": Provider.CIS2}
            )
        for persona in PERSONAS:
            if persona in CANNOT_SIGN_IN_THROUGH_A_PROVIDER:
                continue
            user = world.people[persona]
            plain = _federated_session(user, confirmed=False)
            confirmed = _federated_session(user, confirmed=True)
            client = Client(raise_request_exception=True)
            client.cookies[settings.SESSION_COOKIE_NAME] = plain
            signed_in[persona] = SignedInClient(client, plain, confirmed)
    yield signed_in
    longer_step_up.disable()


FEDERATED_PERSONAS = tuple(p for p in PERSONAS if p not in CANNOT_SIGN_IN_THROUGH_A_PROVIDER)


@pytest.mark.django_db
def test_every_persona_but_the_one_without_an_organisation_signed_in_through_cis2(
    world,  # noqa: F811
    clients,
):
    assert set(clients) == set(FEDERATED_PERSONAS)
    assert FederatedIdentity.objects.filter(issuer=CIS2.issuer).count() == len(clients)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.FEDERATED_SIGN_IN).count() == 2 * len(
        clients
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", PORTAL_URLS, ids=lambda url: url.name)
def test_portal_page_for_people_signed_in_through_cis2(world, clients, url):  # noqa: F811
    page = PAGES[url.name]
    path = reverse(url.name, kwargs=page.kwargs(world)) if page.kwargs else url.path
    problems = check_page(world, clients, page, path + page.query, url.name, FEDERATED_PERSONAS)
    assert not problems, "\n".join(problems)
