"""Email from the portal: one place that renders and sends every message.

Messages name no child: they say what needs doing and link into the portal,
where access is checked. The embedded default writes each message to a file
under var/mail/ (settings.EMAIL_BACKEND); production sends by SMTP.
In-app notifications (with their email) are made by ``notifications.services.notify``,
which sends through here.
"""

from __future__ import annotations

from collections.abc import Iterable
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.template.loader import render_to_string

#: How a Celery task that sends email retries when the mail server fails or does not answer
#: (settings.EMAIL_TIMEOUT): after about 30 s, 1, 2, 4, 8 then 15 minutes (each a random
#: time up to that, so retries from many tasks spread out), about half an hour in all.
#: A task that still fails is recorded as failed: on its outbox message (outbox/receivers.py),
#: where administrators see it and can send it again. The reminder tasks send through
#: notifications.delivery instead: a failed email is recorded there and tried again by the
#: task's next scheduled run (its REMINDER_TASK_RETRY retries database errors only).
EMAIL_TASK_RETRY = {
    # SMTPException is an OSError since Python 3.4; named for whoever reads this.
    "autoretry_for": (OSError, SMTPException),
    "retry_backoff": 30,
    "retry_backoff_max": 15 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}

#: An attachment: (file name, content, MIME type). The type may carry parameters, e.g.
#: "text/calendar; method=REQUEST", which calendar clients read to offer "add" or "remove".
Attachment = tuple[str, bytes | str, str]


def portal_url(path: str, request: HttpRequest | None = None) -> str:
    """The full address of ``path`` for a link that leaves the portal.

    A set PORTAL_BASE_URL always wins. Otherwise a page answering ``request`` uses the
    address that request came to, so links work on whatever host and port the portal
    serves; without a request (emails sent by the worker) the settings' default, which
    follows PORTAL_PORT.
    """
    if request is not None and not settings.PORTAL_BASE_URL_IS_SET:
        return request.build_absolute_uri(path)
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def send_email(
    to: str, subject: str, template: str, context: dict, *, attachments: Iterable[Attachment] = ()
) -> None:
    """Render ``template`` (plain text) with ``context`` and send it to one address.

    Raises what the email backend raises (``OSError``, which includes ``SMTPException``)
    so that the caller can record the failure and try again.
    """
    body = render_to_string(template, {"service_name": settings.SERVICE_NAME, **context})
    message = EmailMessage(subject=subject, body=body, to=[to])
    for filename, content, mimetype in attachments:
        if ";" in mimetype:
            message.attach(_mime_part_with_parameters(filename, content, mimetype))
        else:
            message.attach(filename, content, mimetype)
    message.send()


def _mime_part_with_parameters(filename: str, content: bytes | str, mimetype: str) -> MIMEBase:
    """A text attachment whose Content-Type keeps its parameters (Django's ``attach`` would
    read "calendar; method=REQUEST" as the subtype)."""
    full_type, *parameters = (part.strip() for part in mimetype.split(";"))
    maintype, subtype = full_type.split("/", 1)
    if maintype != "text":
        raise ValueError(f"Only text attachments take parameters here, not {mimetype!r}.")
    if isinstance(content, bytes):
        content = content.decode()
    part = MIMEText(content, subtype, "utf-8")
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        part.set_param(key.strip(), value.strip().strip('"'))
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
