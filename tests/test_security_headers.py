"""Response headers that protect every page: the Content Security Policy, no caching of
signed-in pages, a request id; and the templates that the policy depends on."""

import re
from pathlib import Path

from django.urls import reverse

PROJECT = Path(__file__).resolve().parent.parent
# Templates rendered to PDF by xhtml2pdf, never served to a browser as HTML: they keep
# their <style> blocks.
PDF_TEMPLATE = re.compile(r"_pdf\.html$|/pdf_.*\.html$|_pdf_.*\.html$")


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


def test_every_page_carries_a_policy_that_allows_no_inline_script(client, dmo):
    client.force_login(dmo)
    csp = _csp(client.get(reverse("home")))
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["default-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert "unsafe-inline" not in str(csp) and "unsafe-eval" not in str(csp)


def test_the_sign_in_page_carries_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("sign-in"))["Content-Security-Policy"]


def test_signed_in_pages_are_never_stored_by_a_browser_or_proxy(client, dmo):
    client.force_login(dmo)
    cache_control = client.get(reverse("ehcp:children"))["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


def test_public_pages_for_anonymous_visitors_keep_normal_caching(client):
    response = client.get(reverse("about"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_each_response_names_its_own_request_id(client, dmo):
    client.force_login(dmo)
    first = client.get(reverse("home"))["X-Request-ID"]
    second = client.get(reverse("home"))["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_a_request_id_sent_by_the_client_is_not_believed(client, dmo):
    client.force_login(dmo)
    response = client.get(reverse("home"), headers={"X-Request-ID": "forged"})
    assert response["X-Request-ID"] != "forged"


def test_pages_are_not_framed_and_not_sniffed(client, dmo):
    client.force_login(dmo)
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _html_templates():
    for path in PROJECT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        if PDF_TEMPLATE.search(path.as_posix()):
            continue
        yield path
    yield from (PROJECT / "templates").glob("**/*.html")


def test_no_template_served_as_html_has_inline_script_or_style():
    # The policy would block them in the browser: this finds them before a user does.
    offenders = []
    for path in _html_templates():
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0):
                offenders.append(f"{path.relative_to(PROJECT)}: inline <script>")
        if re.search(r"<style\b", text):
            offenders.append(f"{path.relative_to(PROJECT)}: <style> block")
        if re.search(r"\sstyle=", text):
            offenders.append(f"{path.relative_to(PROJECT)}: style= attribute")
        if re.search(r"\son[a-z]+=", text):
            offenders.append(f"{path.relative_to(PROJECT)}: inline event handler")
    assert offenders == []


#: Browser features the portal never uses, each of which a script injected into a page (or
#: a framed page) could otherwise ask a person for: their camera, microphone, location...
FEATURES_TURNED_OFF = (
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "serial",
    "hid",
    "bluetooth",
    "display-capture",
    "publickey-credentials-get",
    "browsing-topics",
)


def _permissions_policy(response) -> dict[str, str]:
    policy = {}
    for part in response["Permissions-Policy"].split(","):
        name, _, allowed = part.strip().partition("=")
        policy[name] = allowed
    return policy


def test_every_page_turns_off_the_browser_features_the_portal_does_not_use(client, dmo):
    anonymous = _permissions_policy(client.get(reverse("sign-in")))
    client.force_login(dmo)
    signed_in = _permissions_policy(client.get(reverse("home")))
    for policy in (anonymous, signed_in):
        for feature in FEATURES_TURNED_OFF:
            assert policy.get(feature) == "()", feature
    # Nothing is allowed anywhere: every feature named is turned off.
    assert set(signed_in.values()) == {"()"}
