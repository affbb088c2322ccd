"""Every page in the project needs a signed-in user, except the few listed as public."""

import pytest
from django.urls import reverse

from tests.urls_walk import walk

# Pages anyone may open: signing in, resetting a forgotten password, and what the
# service is. Each is a page without personal data.
PUBLIC = {
    "sign-in",
    "password-reset",
    "password-reset-done",
    "password-reset-confirm",
    "password-reset-complete",
    "about",
    "healthz",  # for load balancers: no personal data (service_status/views.py)
}
# Open without signing in, because calendar apps cannot sign in, but protected by the
# secret token in the address: a person's calendar feed. Without a valid token it is a 404.
OPEN_WITH_A_SECRET_TOKEN = {"meetings:calendar-feed"}
# Signing in through NHS CIS2 or Entra ID, and the provider's server-to-server calls (its
# keys, its back-channel logout): open, as the sign-in page is, and not there at all (404)
# while the provider is not set up, as here (security/tests/test_federation_*.py set it up).
FEDERATED_SIGN_IN = {
    "federated-start-cis2",
    "federated-callback-cis2",
    "federated-cis2-jwks",
    "federated-cis2-back-channel-logout",
    "federated-start-entra",
    "federated-callback-entra",
    "federated-invitation",  # 404 without a working invitation's token
}
# The admin's own login page is open, but only to send people to the portal's sign-in.
REDIRECTS_TO_SIGN_IN_THEMSELVES = {"admin:login"}
# The API for councils' case systems (/api/v1/, case_systems/) takes no sign-in session: a
# case system sends its OAuth 2.0 access token instead, and without one every endpoint is a
# 401 problem. Open: the schema (no data) and the token endpoint (which asks for the
# client's secret); an address no endpoint has is a 404 problem.
API_OPEN = {"api:schema", "api:token"}
API_NOT_FOUND = "api-not-found"


def _is_api(url) -> bool:
    return url.name.startswith("api:") or url.name == API_NOT_FOUND


def _check_api(response, url, method: str) -> None:
    if url.name == API_NOT_FOUND:
        assert response.status_code == 404
    elif url.name == "api:schema":
        assert response.status_code == (200 if method == "GET" else 405)
    elif url.name == "api:token":
        # Only POST, and only with a client's credentials: an empty one is refused.
        assert response.status_code == (405 if method == "GET" else 400)
        return
    else:
        assert response.status_code == 401, f"{method} {url.path}: {response.status_code}"
        assert response["WWW-Authenticate"].startswith("Bearer")
    if response.status_code != 200:
        assert response["Content-Type"] == "application/problem+json"


ALL_URLS = walk()


def test_the_walk_finds_the_projects_pages():
    names = {url.name for url in ALL_URLS}
    assert {"home", "roles:directory", "roles:person", "admin:index", "sign-in"} <= names
    assert len(ALL_URLS) > 40  # the admin alone has dozens


@pytest.mark.django_db
@pytest.mark.parametrize("url", ALL_URLS, ids=lambda url: f"{url.name}:{url.path}")
def test_anonymous_request_is_sent_to_sign_in(client, url):
    response = client.get(url.path)

    if _is_api(url):
        _check_api(response, url, "GET")
        return
    if url.name in PUBLIC:
        assert response.status_code == 200, f"{url.path} should be open to anyone"
        return
    if url.name in OPEN_WITH_A_SECRET_TOKEN:
        assert response.status_code == 404, f"{url.path} answered {response.status_code}"
        return
    if url.name in FEDERATED_SIGN_IN:
        assert response.status_code in (404, 405), f"{url.path} answered {response.status_code}"
        return
    assert response.status_code == 302, f"{url.path} answered {response.status_code}"
    assert response["Location"].startswith(reverse("sign-in")), response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ALL_URLS, ids=lambda url: f"{url.name}:{url.path}")
def test_anonymous_post_is_refused(client, url):
    response = client.post(url.path, {})

    if _is_api(url):
        _check_api(response, url, "POST")
        return
    if url.name in PUBLIC:
        assert response.status_code in (200, 302, 403, 405)
        if response.status_code == 302:
            assert not response["Location"].startswith("/admin")
        return
    if url.name in OPEN_WITH_A_SECRET_TOKEN | FEDERATED_SIGN_IN:
        assert response.status_code in (404, 405), f"POST {url.path}: {response.status_code}"
        return
    assert response.status_code == 302, f"POST {url.path} answered {response.status_code}"
    assert response["Location"].startswith(reverse("sign-in")), response["Location"]


def test_public_pages_still_exist():
    # A public name that no longer resolves would silently widen nothing, but it is a
    # sign the list above is out of date.
    names = {url.name for url in ALL_URLS}
    assert names >= (
        PUBLIC
        | OPEN_WITH_A_SECRET_TOKEN
        | REDIRECTS_TO_SIGN_IN_THEMSELVES
        | FEDERATED_SIGN_IN
        | API_OPEN
        | {API_NOT_FOUND}
    )
