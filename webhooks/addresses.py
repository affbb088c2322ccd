"""Where the portal may post a webhook: an https address on the public internet, never the
portal's own network (server-side request forgery).

An administrator types the address, but the address could point anywhere: at the cloud's
metadata service (169.254.169.254), the database, Redis, or a page only the portal's own
network may open. So an address is checked when it is saved (its form, and an IP literal's
kind) and again at every send, after its name is resolved: every address the name resolves
to must be public, and the connection is then made to the address that was checked (not to
the name again, which could resolve elsewhere a moment later: DNS rebinding;
``sending.post``). In development (``DEBUG``) and in tests, ``WEBHOOKS_ALLOW_PRIVATE_ADDRESSES``
and ``WEBHOOKS_ALLOW_HTTP`` let a receiver on this machine take them; production refuses to
start with either on (``send_portal/settings.py``).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.models import URL_MAX_LENGTH

#: Names that are this machine or its private network whatever they resolve to.
LOCAL_NAMES = ("localhost", ".localhost", ".local", ".internal", ".home.arpa")


class RefusedAddress(Exception):
    """The address is not one the portal posts to; the message says why, without secrets."""


def url_problem(url: str) -> str | None:
    """Why the portal would not post to ``url``, or None if it would (as far as can be told
    before the name is resolved)."""
    if len(url) > URL_MAX_LENGTH:
        return f"The address must be {URL_MAX_LENGTH} characters or fewer."
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Enter the address as a whole URL, such as https://example.org/webhooks."
    allowed = ("https", "http") if settings.WEBHOOKS_ALLOW_HTTP else ("https",)
    if parts.scheme not in allowed:
        return "The address must start with https://: the body must be encrypted on its way."
    if not parts.hostname:
        return "The address must name a server."
    if parts.username is not None or parts.password is not None:
        return (
            "The address must not hold a user name or password: the signature proves who sent it."
        )
    if parts.fragment:
        return "The address must not have a fragment (#…)."
    if port == 0:
        return "The address must not use port 0."
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        host = parts.hostname.rstrip(".").lower()
        if host == "localhost" or host.endswith(LOCAL_NAMES):
            return "The address must be on the public internet, not this machine's network."
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None and not is_public(literal):
            return "The address must be on the public internet, not a private network."
    return None


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """A globally routable unicast address: not loopback, private (RFC 1918, unique local),
    link-local (the cloud's metadata service), shared (CGNAT), reserved, multicast or
    unspecified; an IPv4 address written as IPv6 is judged as the IPv4 address it is."""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def public_addresses(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to, every one of them public (or, where private
    addresses are allowed, whatever they are); ``RefusedAddress`` otherwise. A name that
    resolves to a private address among public ones is refused whole: which one a
    connection would use is not the portal's to guess."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedAddress(
            f"The server's name could not be resolved ({error.__class__.__name__})."
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise RefusedAddress("The server's name resolves to no address.")
    if not settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        for text in addresses:
            if not is_public(ipaddress.ip_address(text.split("%", 1)[0])):
                raise RefusedAddress(
                    "Refused: the server's name resolves to an address that is not on the "
                    "public internet."
                )
    return addresses
