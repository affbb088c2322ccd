"""The reminders before health's due dates, sent once through notifications.delivery, and
the home page's lines."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from notifications.models import Delivery
from send_portal.to_dos import to_dos_for
from tribunal import services, tasks
from tribunal.models import ReminderKind

pytestmark = pytest.mark.django_db


def _sent(kind):
    return set(Delivery.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def test_evidence_due_soon_goes_to_the_provider_and_the_dco_once(
    evidence_request, health_professional_a, health_professional_b, dco
):
    assert tasks.send_tribunal_reminders() == 0  # due in 10 days: not yet
    with time_machine.travel(timezone.now() + datetime.timedelta(days=4)):
        tasks.send_tribunal_reminders()
        assert _sent(ReminderKind.EVIDENCE_DUE_SOON) == {health_professional_a.email, dco.email}
        assert tasks.send_tribunal_reminders() == 0  # a second run sends nothing again
    with time_machine.travel(timezone.now() + datetime.timedelta(days=11)):
        tasks.send_tribunal_reminders()
        assert _sent(ReminderKind.EVIDENCE_OVERDUE) == {health_professional_a.email, dco.email}


def test_no_reminder_names_the_child_or_the_tribunal_reference(
    evidence_request, recommendation, dco, dmo
):
    services.draft_response(
        recommendation, response="follow", response_text="We will.", reasons="", user=dco
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        assert tasks.send_tribunal_reminders() > 0
    child = evidence_request.appeal.child
    assert mail.outbox
    for message in mail.outbox:
        text = message.subject + message.body
        assert child.first_name not in text and child.last_name not in text
        assert evidence_request.appeal.tribunal_reference not in text
    kinds = set(Delivery.objects.values_list("kind", flat=True))
    assert {
        ReminderKind.EVIDENCE_OVERDUE,
        ReminderKind.RESPONSE_DUE_SOON,
        ReminderKind.RESPONSE_TO_APPROVE,
    } <= kinds


def test_the_response_reminder_goes_to_the_dco_before_the_5_weeks_end(recommendation, dco):
    # Made 3 days ago: due in 32 days, so "due soon" from 25 days on.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=24)):
        tasks.send_tribunal_reminders()
    assert _sent(ReminderKind.RESPONSE_DUE_SOON) == set()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=25)):
        tasks.send_tribunal_reminders()
    assert _sent(ReminderKind.RESPONSE_DUE_SOON) == {dco.email}


def test_the_home_page_lines(
    appeal, evidence_request, recommendation, dco, dmo, commissioner, health_professional_a
):
    services.draft_response(
        recommendation, response="follow", response_text="We will.", reasons="", user=dco
    )

    def lines(user):
        return {item.label: (item.count, item.urgent) for item in to_dos_for(user)}

    assert lines(dco)["Tribunal appeals waiting on health"] == (1, 0)
    assert lines(commissioner)["Tribunal appeals waiting on health"] == (1, 0)
    assert lines(commissioner)["Tribunal responses waiting for your approval"][0] == 1
    assert lines(dmo)["Tribunal responses waiting for your approval"][0] == 1
    assert "Tribunal appeals waiting on health" not in lines(dmo)
    # Health professionals hear of evidence due by reminder, not by a home page line.
    assert not any("Tribunal" in label for label in lines(health_professional_a))


def test_the_reminders_go_only_to_people_of_the_childs_area(
    evidence_request, recommendation, health_professional_a, dco, dmo
):
    from roles.models import RoleCode
    from tests.factories import LocalAreaFactory, person_holding

    elsewhere = LocalAreaFactory(name="Elsewhere", code="E08000921")
    dco_elsewhere = person_holding(RoleCode.DCO, areas=[elsewhere])
    dmo_elsewhere = person_holding(RoleCode.DMO, areas=[elsewhere])
    services.draft_response(
        recommendation, response="follow", response_text="We will.", reasons="", user=dco
    )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        tasks.send_tribunal_reminders()
    sent = set(Delivery.objects.values_list("recipient__email", flat=True))
    assert {dco.email, dmo.email, health_professional_a.email} <= sent
    assert not {dco_elsewhere.email, dmo_elsewhere.email} & sent
