"""Signing in through NHS CIS2 or an organisation's Entra ID: start, come back, the
portal's public key, and the provider's back-channel logout.

Thin: the protocol is security/federation.py (Authlib), who may sign in and the audit log
are security/services.py.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from security import federation, selectors, services
from security.decorators import second_factor_not_required
from session_security.step_up import back_with_download, safe_local_path

logger = logging.getLogger("portal.security")

#: What the session keeps between the start of a sign-in and its return.
PENDING = "security.federated_pending"
#: The longest each parameter of a provider's answer may be (CIS2's and Entra's codes are
#: well under a kilobyte); anything longer is refused before it reaches Authlib.
CALLBACK_LIMITS = (("code", 4096), ("state", 256), ("error", 256), ("error_description", 1024))


def _safe_local(request, value: str | None) -> str:
    """A path of this site to go on to, or nothing (never another site's address)."""
    if value and len(value) > 2000:
        return ""
    return safe_local_path(request, value) or ""


def _refused_page(request, *, unknown: bool, provider_label: str, status: int):
    return render(
        request,
        "security/federated_refused.html",
        {"unknown": unknown, "provider_label": provider_label},
        status=status,
    )


def _start(request, config, *, step_up: bool = False, next_path: str = "", download: str = ""):
    if config is None:
        raise Http404("This way of signing in is not set up.")
    request.session[PENDING] = {
        "provider": config.provider,
        "tenant": config.tenant,
        "step_up": step_up,
        "next": next_path,
        "download": download,
    }
    try:
        return federation.authorization_redirect(request, config, step_up=step_up)
    except federation.FederationRefused as refused:
        logger.warning("federated sign-in could not start: %s", refused.reason)
        return _refused_page(request, unknown=False, provider_label=config.label, status=502)


@never_cache
@require_GET
@login_not_required
def start_cis2(request):
    return _start(
        request,
        federation.cis2(),
        next_path=_safe_local(request, request.GET.get(REDIRECT_FIELD_NAME)),
    )


@never_cache
@require_GET
@login_not_required
def start_entra(request, pk: int):
    tenant = selectors.entra_tenant_of(pk)
    return _start(
        request,
        federation.entra(tenant) if tenant else None,
        next_path=_safe_local(request, request.GET.get(REDIRECT_FIELD_NAME)),
    )


@never_cache
@require_GET
@second_factor_not_required
def step_up(request):
    """A sensitive action's "confirm it is you" for a person signed in through a provider:
    back to the provider to authenticate again (session_security's confirm-password page
    sends them here)."""
    signed_in_as = request.session.get(services.FEDERATED_SESSION_KEY) or {}
    provider, tenant = signed_in_as.get("provider"), signed_in_as.get("tenant", "")
    config = federation.cis2() if provider == "cis2" else federation.entra(tenant)
    if config is None:
        return redirect("session_security:confirm-password")
    return _start(
        request,
        config,
        step_up=True,
        next_path=_safe_local(request, request.GET.get("next")),
        download=_safe_local(request, request.GET.get("download")),
    )


def _callback(request, provider: str):
    if not (settings.CIS2_ENABLED if provider == "cis2" else settings.ENTRA_ENABLED):
        raise Http404("This way of signing in is not set up.")
    pending = request.session.pop(PENDING, None)
    if not isinstance(pending, dict) or pending.get("provider") != provider:
        # Back from a provider without a sign-in started in this session: an old or copied
        # link, or a session ended meanwhile (the provider's back-channel logout).
        services.record_federated_refusal(
            request, federation.UnstartedFlow(provider), "no sign-in started in this session"
        )
        return _refused_page(
            request, unknown=False, provider_label=federation.PROVIDER_NAMES[provider], status=400
        )
    config = (
        federation.cis2() if provider == "cis2" else federation.entra(pending.get("tenant", ""))
    )
    if config is None:
        raise Http404("This way of signing in is not set up.")
    try:
        if any(len(request.GET.get(name, "")) > longest for name, longest in CALLBACK_LIMITS):
            services.refuse_federated(request, config, "answer too long")
        try:
            claims = federation.complete_sign_in(request, config)
        except federation.FederationRefused as refused:
            services.refuse_federated(request, config, refused.reason)
        if pending.get("step_up"):
            if not request.user.is_authenticated:
                services.refuse_federated(request, config, "step-up without a session")
            services.federated_step_up(request, config, claims)
            next_path = pending.get("next") or reverse("home")
            if pending.get("download"):
                return redirect(back_with_download(request, next_path, pending["download"]))
            return redirect(next_path)
        services.federated_sign_in(request, config, claims)
    except services.SignInRefused as refused:
        return _refused_page(
            request,
            unknown=refused.unknown,
            provider_label=config.label,
            status=403,
        )
    # The second factor, if the provider's token did not pass it, is asked for on the way
    # (security.middleware).
    return redirect(pending.get("next") or reverse("home"))


@never_cache
@require_GET
@login_not_required
def callback_cis2(request):
    return _callback(request, "cis2")


@never_cache
@require_GET
@login_not_required
def callback_entra(request):
    return _callback(request, "entra")


@require_GET
@login_not_required
def cis2_jwks(request):
    """The public half of the portal's CIS2 key, which CIS2 reads to check the portal's
    client assertions."""
    config = federation.cis2()
    if config is None:
        raise Http404("NHS CIS2 sign-in is not set up.")
    return JsonResponse(federation.portal_jwks(config.client_secret))


@csrf_exempt  # CIS2 posts here, server to server; the signed logout token is the proof
@require_POST
@login_not_required
def cis2_back_channel_logout(request):
    """CIS2 signed the person out: end their portal sessions (OpenID Connect Back-Channel
    Logout 1.0). 200 when done, 400 for a token the portal does not accept."""
    config = federation.cis2()
    if config is None:
        raise Http404("NHS CIS2 sign-in is not set up.")
    try:
        claims = federation.logout_claims(config, request.POST.get("logout_token", ""))
    except federation.FederationRefused as refused:
        logger.warning("back-channel logout refused: %s", refused.reason)
        services.record_federated_refusal(request, config, f"back-channel logout: {refused.reason}")
        response = HttpResponse("The logout token was not accepted.", status=400)
        response["Cache-Control"] = "no-store"
        return response
    services.back_channel_logout(config, claims)
    response = HttpResponse(status=200)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_GET
@login_not_required
def invitation(request, token: str):
    """An administrator's invitation to tie an account to a federated sign-in: kept in this
    session, then the person signs in through their provider from the sign-in page."""
    if not services.follow_invitation(request, token):
        return render(request, "security/invitation_not_working.html", status=404)
    return render(
        request,
        "security/invitation.html",
        {
            "cis2": federation.cis2(),
            "entra_organisations": list(selectors.organisations_signing_in_with_entra())
            if settings.ENTRA_ENABLED
            else [],
        },
    )
