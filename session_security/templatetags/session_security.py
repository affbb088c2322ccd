"""The inactivity warning, and a download started after the password, in every signed-in
page (base.html)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from session_security import step_up

register = template.Library()


@register.simple_tag(takes_context=True)
def session_timeout_attributes(context):
    """Data attributes on <body> that static/js/session-timeout.mjs reads."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    return format_html(
        ' data-session-timeout-seconds="{}" data-session-timed-out-url="{}"',
        settings.SESSION_IDLE_MINUTES * 60,
        reverse("session_security:timed-out"),
    )


@register.inclusion_tag("session_security/includes/timeout_warning.html", takes_context=True)
def session_timeout_warning(context):
    user = context.get("user")
    return {
        "show": user is not None and user.is_authenticated,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("session_security/includes/pending_download.html", takes_context=True)
def pending_download(context):
    """The download to start on this page after the password step-up, once (a link the
    portal's script follows; without script the person follows it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return {"download_url": None}
    return {"download_url": step_up.pop_pending_download(request)}
