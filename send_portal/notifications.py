"""Email from the portal: one place that renders and sends every message.

Messages name no child: they say what needs doing and link into the portal,
where access is checked. The embedded default writes each message to a file
under var/mail/ (settings.EMAIL_BACKEND); production sends by SMTP.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string


def portal_url(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def send_email(to: str, subject: str, template: str, context: dict) -> None:
    """Render ``template`` (plain text) with ``context`` and send it to one address."""
    body = render_to_string(template, {"service_name": settings.SERVICE_NAME, **context})
    EmailMessage(subject=subject, body=body, to=[to]).send()
