"""Celery tasks of the ehcp app: thin, saying what is due and to whom.

Every reminder and notice goes through ``notifications.delivery.send_once``, which claims
each message before it is sent (nothing goes twice) and tries a failed email again on a
later run (notifications/delivery.py). A person hears both in the portal and by email. No
message names a child: each says what needs doing and links into the portal, where access
is checked.
"""

import datetime
import functools

from celery import shared_task
from django.urls import reverse
from django.utils import timezone

from ehcp import selectors
from ehcp.models import AdviceRequest, ReminderKind, SignOffReturn
from notifications.delivery import REMINDER_TASK_RETRY, Due, Message, pending, send_once
from roles.models import RoleCode, User
from roles.selectors import area_ids_by_user, current_holders, current_holders_by_organisation
from send_portal.london_time import long_date
from send_portal.notifications import EMAIL_TASK_RETRY, portal_url


@shared_task(**EMAIL_TASK_RETRY)
def notify_sections_returned(return_id: int, recipient_id: int | None = None) -> bool:
    """Email one person told of returned health sections: what the DMO asked to change,
    with a link. Without ``recipient_id`` (messages queued before there was one), the
    sections' author.

    ``ehcp.services.return_for_amendment`` made the person's notification in the portal in
    the return's own transaction, so it shows at once; this is its email, sent once (kind
    "ehcp.plan-returned", subject "return:<id>"): the outbox delivering the message twice
    emails once. A failed email is recorded and raised, for this task's retry policy
    (EMAIL_TASK_RETRY) to try again; after that an administrator may send the outbox
    message again.
    """
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
    due = Due(
        ReminderKind.PLAN_RETURNED,
        f"return:{returned.pk}",
        functools.partial(_returned_message, returned),
        recipient=recipient,
        about=f"plan:{version.plan_id}",
        in_portal=False,
        max_attempts=None,
    )
    return send_once([due], raise_failures=True) == 1


def _returned_message(returned: SignOffReturn, due: Due) -> Message:
    return Message(
        email_subject="Health sections returned for amendment",
        template="ehcp/email/sections_returned.txt",
        context={
            "returned": returned,
            "link": portal_url(reverse("ehcp:plan", args=[returned.version.plan_id])),
        },
    )


# --- Deadline reminders -------------------------------------------------------------------

#: Health professionals are reminded of advice due this many days ahead (local practice).
ADVICE_DUE_SOON_DAYS = 7
#: The DMO's daily count of plans waiting for sign-off goes from this time, Europe/London.
SIGN_OFF_SUMMARY_FROM = datetime.time(7, 0)


@shared_task(**REMINDER_TASK_RETRY)
def send_deadline_reminders() -> int:
    """Send every deadline reminder that should have gone by now and has not; return how many.

    Beat wakes this task every hour, but nothing depends on it firing at a given minute,
    or only once: each run works out from the database what is due, and ``send_once``
    sends only what has not gone.
    """
    now = timezone.localtime()  # Europe/London, whatever the clocks did overnight
    return send_once(_advice_reminders(now.date()) + _sign_off_summaries(now))


def _advice_reminders(today: datetime.date) -> list[Due]:
    """Open advice requests: "due in 7 days" from 7 days before the due date until it, and
    "overdue" from the day after; to each health professional at the provider today."""
    requests = selectors.advice_requests_to_remind(today, ADVICE_DUE_SOON_DAYS)
    if not requests:
        return []
    people = current_holders_by_organisation(
        RoleCode.HEALTH_PROFESSIONAL, {r.provider_id for r in requests}, today
    )
    due = []
    for advice_request in requests:
        overdue = advice_request.due_on < today
        message = functools.partial(_advice_message, advice_request, overdue, today)
        due += [
            Due(
                ReminderKind.ADVICE_OVERDUE if overdue else ReminderKind.ADVICE_DUE_SOON,
                f"advice:{advice_request.pk}",
                message,
                recipient=person,
                about=f"advice:{advice_request.pk}",
            )
            for person in people.get(advice_request.provider_id, [])
        ]
    return due


def _sign_off_summaries(now: datetime.datetime) -> list[Due]:
    """Once a day from 07:00 London time, tell each current DMO how many plans wait (not
    when none does)."""
    if now.time() < SIGN_OFF_SUMMARY_FROM:
        return []
    today = now.date()
    dmos = list(current_holders(RoleCode.DMO, today))
    # Counted once, if at all, by area: each DMO hears what waits in their own areas.
    by_area = functools.cache(selectors.plans_waiting_by_area)
    areas = functools.cache(lambda: area_ids_by_user([dmo.pk for dmo in dmos], today))

    def waiting(person) -> int:
        return sum(by_area().get(area_id, 0) for area_id in areas().get(person.pk, ()))

    due = pending(
        Due(
            ReminderKind.SIGN_OFF_SUMMARY,
            f"date:{today.isoformat()}",
            functools.partial(
                lambda person, item: _sign_off_summary_message(waiting(person)), person
            ),
            recipient=person,
        )
        for person in dmos
    )
    return [item for item in due if waiting(item.recipient) > 0]


def _advice_message(
    advice_request: AdviceRequest, overdue: bool, today: datetime.date, due: Due
) -> Message:
    subject = (
        f"Health advice overdue: it was due on {long_date(advice_request.due_on)}"
        if overdue
        else f"Health advice due on {long_date(advice_request.due_on)}"
    )
    path = reverse("ehcp:advice", args=[advice_request.pk])
    return Message(
        title=subject,
        body=(
            f"Health advice that {advice_request.provider.name} was asked for "
            f"({advice_request.get_service_display()}, request reference {advice_request.pk}). "
            "Write and submit it from the request's page."
        ),
        link=path,
        email_subject=subject,
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
            "link": portal_url(path),
        },
    )


def _sign_off_summary_message(waiting: int) -> Message:
    subject = f"{waiting} plan{'s' if waiting != 1 else ''} waiting for your medical sign-off"
    path = reverse("ehcp:sign-off-queue")
    return Message(
        title=subject,
        body="Open the sign-off queue: the nearest statutory deadline first.",
        link=path,
        email_subject=subject,
        template="ehcp/email/sign_off_summary_reminder.txt",
        context={"waiting": waiting, "link": portal_url(path)},
    )
