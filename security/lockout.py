"""How django-axes tells one sign-in attempt from another, and what a locked-out person sees.

Lockout is counted per account *and* client address (settings.AXES_LOCKOUT_PARAMETERS), so
both must be right:

- the account is the typed email in lower case, because sign-in ignores its case;
- the client address is ``REMOTE_ADDR`` unless the portal is told how many proxies stand in
  front of it (``TRUSTED_PROXY_COUNT``). Each proxy appends the address it was connected from
  to ``X-Forwarded-For``, so with N trusted proxies the client is the N-th entry from the
  right; anything further left was written by the client and may be forged.

python-ipware (axes' default) reads its proxy count differently: with a count of 0 it believes
a single forged X-Forwarded-For entry, and with a count of 1 it takes the left-most,
client-written entry or none at all. Hence this small function in its place.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.shortcuts import render


def _valid_address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    """The address of the client as the outermost trusted proxy saw it."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= trusted:
            address = _valid_address(forwarded[-trusted])
            if address is not None:
                return address
        # Fewer entries than proxies: the request did not come through them all (or a proxy
        # is misconfigured). The connection's own address is the only one not forgeable.
    return _valid_address(remote) if remote else None


def username_for_lockout(request, credentials: dict | None) -> str | None:
    """The account an attempt was for, as sign-in matches it: the email in lower case."""
    if credentials:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = getattr(request, "POST", {}).get(settings.AXES_USERNAME_FORM_FIELD)
    return typed.strip().lower() if isinstance(typed, str) else None


def locked_out_page(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "roles/locked_out.html",
        {"cooloff_minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
