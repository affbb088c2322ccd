"""Celery tasks of the ehcp app: thin, taking ids, calling services and notifications."""

import datetime

from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ehcp import selectors
from ehcp.models import Reminder, SignOffReturn
from roles.models import RoleCode, User
from roles.selectors import current_holders, current_holders_by_organisation
from send_portal.london_time import long_date
from send_portal.notifications import EMAIL_TASK_RETRY, portal_url, send_email


@shared_task(bind=True, **EMAIL_TASK_RETRY)
def notify_sections_returned(self, return_id: int, recipient_id: int | None = None) -> bool:
    """Email one person told of returned health sections (ehcp.services.return_for_amendment
    made their in-portal notification): what the DMO asked to change, with a link. Without
    ``recipient_id`` (messages queued before there was one), the sections' author."""
    from outbox.services import already_done

    if already_done(self.request.id):  # the outbox delivered this message twice
        return False
    returned = (
        SignOffReturn.objects.select_related(
            "version__plan", "version__submitted_by", "returned_by"
        )
        .filter(pk=return_id)
        .first()
    )
    if returned is None:  # deleted since: nothing to say
        return False
    version = returned.version
    if recipient_id is None:
        recipient = version.submitted_by
    else:
        recipient = User.objects.filter(pk=recipient_id, is_active=True).first()
        if recipient is None:  # gone since: nobody to tell
            return False
    send_email(
        to=recipient.email,
        subject="Health sections returned for amendment",
        template="ehcp/email/sections_returned.txt",
        context={
            "returned": returned,
            "recipient": recipient,
            "link": portal_url(reverse("ehcp:plan", args=[version.plan_id])),
        },
    )
    return True


# --- Deadline reminders -------------------------------------------------------------------

#: Health professionals are reminded of advice due this many days ahead (local practice).
ADVICE_DUE_SOON_DAYS = 7
#: The DMO's daily count of plans waiting for sign-off goes from this time, Europe/London.
SIGN_OFF_SUMMARY_FROM = datetime.time(7, 0)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True, max_retries=3)
def send_deadline_reminders() -> int:
    """Send every deadline reminder that should have gone by now and has not; return how many.

    Beat wakes this task every hour, but nothing depends on it firing at a given minute,
    or only once: each run works out from the database what is due, and each reminder is
    claimed by inserting its ``Reminder`` row (unique per kind, subject and recipient) in
    the same transaction as the send. A run that finds the row taken skips that reminder,
    so a second beat, a retried task or a re-run sends nothing twice.
    """
    now = timezone.localtime()  # Europe/London, whatever the clocks did overnight
    return _send_advice_reminders(now.date()) + _send_sign_off_summaries(now)


def _send_advice_reminders(today: datetime.date) -> int:
    """Open advice requests: "due in 7 days" from 7 days before the due date until it, and
    "overdue" from the day after; to each health professional at the provider today."""
    requests = selectors.advice_requests_to_remind(today, ADVICE_DUE_SOON_DAYS)
    if not requests:
        return 0
    people = current_holders_by_organisation(
        RoleCode.HEALTH_PROFESSIONAL, {r.provider_id for r in requests}, today
    )
    kinds = (Reminder.Kind.ADVICE_DUE_SOON, Reminder.Kind.ADVICE_OVERDUE)
    already_sent = selectors.reminders_already_sent(kinds, {f"advice:{r.pk}" for r in requests})
    sent = 0
    for advice_request in requests:
        overdue = advice_request.due_on < today
        kind = Reminder.Kind.ADVICE_OVERDUE if overdue else Reminder.Kind.ADVICE_DUE_SOON
        subject = f"advice:{advice_request.pk}"
        for person in people.get(advice_request.provider_id, []):
            if (kind, subject, person.pk) in already_sent:
                continue
            sent += _claim_and_send(
                kind,
                subject,
                person,
                email_subject=(
                    f"Health advice overdue: it was due on {long_date(advice_request.due_on)}"
                    if overdue
                    else f"Health advice due on {long_date(advice_request.due_on)}"
                ),
                template=(
                    "ehcp/email/advice_overdue_reminder.txt"
                    if overdue
                    else "ehcp/email/advice_due_soon_reminder.txt"
                ),
                context={
                    "provider": advice_request.provider.name,
                    "service": advice_request.get_service_display(),
                    "due_on": advice_request.due_on,
                    "days_late": (today - advice_request.due_on).days,
                    "for_annual_review": advice_request.annual_review_id is not None,
                    "reference": advice_request.pk,
                    "link": portal_url(reverse("ehcp:advice", args=[advice_request.pk])),
                },
            )
    return sent


def _send_sign_off_summaries(now: datetime.datetime) -> int:
    """Once a day from 07:00 London time, tell each current DMO how many plans wait."""
    if now.time() < SIGN_OFF_SUMMARY_FROM:
        return 0
    today = now.date()
    subject = f"date:{today.isoformat()}"
    kind = Reminder.Kind.SIGN_OFF_SUMMARY
    already_sent = selectors.reminders_already_sent([kind], [subject])
    dmos = [
        person
        for person in current_holders(RoleCode.DMO, today)
        if (kind, subject, person.pk) not in already_sent
    ]
    if not dmos:
        return 0
    waiting = selectors.plans_waiting_count()
    if waiting == 0:
        return 0
    sent = 0
    for person in dmos:
        sent += _claim_and_send(
            kind,
            subject,
            person,
            email_subject=(
                f"{waiting} plan{'s' if waiting != 1 else ''} waiting for your medical sign-off"
            ),
            template="ehcp/email/sign_off_summary_reminder.txt",
            context={"waiting": waiting, "link": portal_url(reverse("ehcp:sign-off-queue"))},
        )
    return sent


def _claim_and_send(kind, subject, recipient, *, email_subject, template, context) -> int:
    """Claim the reminder and send it in one transaction (a savepoint inside another).

    The unique constraint on ``Reminder`` refuses a second claim: that reminder has gone
    already, by another run, and is skipped. A failed send rolls its claim back.
    """
    try:
        with transaction.atomic():
            Reminder.objects.create(kind=kind, subject=subject, recipient=recipient)
            send_email(recipient.email, email_subject, template, context)
    except IntegrityError:
        return 0
    return 1
