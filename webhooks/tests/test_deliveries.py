"""Webhooks to a council's case system: each change it follows posted once, signed, to its
endpoints, retried with back-off, each attempt logged; only the council's own changes."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import threading

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from case_systems import services as case_system_services
from ehcp import services as ehcp_services
from ehcp.models import CaseChange
from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from outbox.models import OutboxMessage
from roles.models import Organisation
from send_portal.refusals import RefusedChange
from tests.factories import LocalAreaFactory, OrganisationFactory, UserFactory
from webhooks import selectors, services
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """The council's side, written here from the Standard Webhooks specification and not
    from the portal's code: HMAC-SHA256, keyed with the base64 after "whsec_", over
    "{webhook-id}.{webhook-timestamp}.{body}", compared with each "v1," signature."""
    key = base64.b64decode(secret.split("_", 1)[1])
    content = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    given = [part.split(",", 1) for part in headers["webhook-signature"].split(" ")]
    return any(version == "v1" and hmac.compare_digest(expected, value) for version, value in given)


def return_advice(capture, area=None) -> CaseChange:
    """Health advice returned in ``area`` (the test area by default), through the service,
    its transaction committed (and so its outbox messages run, as eager tasks)."""
    child = ChildFactory(area=area) if area is not None else ChildFactory()
    advice = make_advice_request(assessment=make_assessment(child=child))
    with capture(execute=True):
        ehcp_services.submit_advice(advice, UserFactory(), "Weekly therapy.", False)
    return CaseChange.objects.get(advice_request=advice)


# --- End to end ------------------------------------------------------------------------------


def test_a_change_reaches_a_real_receiver_signed_through_the_outbox(
    endpoint_and_secret, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_and_secret

    change = return_advice(django_capture_on_commit_callbacks)

    (posted,) = receiver.received
    assert posted.path == "/hooks/portal?council=test"
    assert verify(secret, posted.headers, posted.body)
    assert posted.headers["content-type"] == "application/json"
    sent_at = int(posted.headers["webhook-timestamp"])
    assert abs(sent_at - timezone.now().timestamp()) < 60
    body = json.loads(posted.body)
    assert body["id"] == str(change.event_id)
    assert body["type"] == "advice.returned"
    assert body["advice_request_id"] == change.advice_request_id
    assert body["links"]["advice_request"].endswith(
        f"/api/v1/advice-requests/{change.advice_request_id}/"
    )
    # Both went through the outbox: the fan-out, then the delivery.
    assert sorted(OutboxMessage.objects.values_list("task", flat=True)) == [
        "webhooks.tasks.deliver",
        "webhooks.tasks.queue_deliveries",
    ]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 1)
    assert posted.headers["webhook-id"] == str(delivery.message_id)
    attempt = delivery.attempt_log.get()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 204, "")
    assert attempt.next_attempt_at is None


def test_the_body_names_no_one_and_carries_no_clinical_text(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    child = ChildFactory(nhs_number="9434765919")
    advice = make_advice_request(assessment=make_assessment(child=child))
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.submit_advice(advice, UserFactory(), "Autism: weekly therapy.", False)

    (posted,) = receiver.received
    body = json.loads(posted.body)
    assert set(body) == {
        "id",
        "type",
        "occurred_at",
        "child_id",
        "assessment_id",
        "advice_request_id",
        "sections_version_id",
        "links",
    }
    text = posted.body.decode()
    for personal in (child.first_name, child.last_name, "9434765919", "Autism", "therapy"):
        assert personal not in text


def test_a_change_rolled_back_queues_no_webhook(endpoint, receiver):
    advice = make_advice_request()

    with pytest.raises(RefusedChange):
        ehcp_services.submit_advice(advice, UserFactory(), "   ", False)

    assert not OutboxMessage.objects.exists()
    assert not WebhookDelivery.objects.exists() and receiver.received == []


# --- Signing ---------------------------------------------------------------------------------


def test_after_a_rotation_both_secrets_sign_for_a_day_then_only_the_new_one(
    endpoint_and_secret, receiver, django_capture_on_commit_callbacks, administrator
):
    endpoint, old = endpoint_and_secret
    new = services.rotate_secret(endpoint, administrator)
    assert new != old and new.startswith("whsec_")

    return_advice(django_capture_on_commit_callbacks)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        return_advice(django_capture_on_commit_callbacks)

    during, after = receiver.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verify(new, during.headers, during.body) and verify(old, during.headers, during.body)
    assert verify(new, after.headers, after.body)
    assert not verify(old, after.headers, after.body)


def test_a_signature_does_not_survive_a_changed_body_or_timestamp(
    endpoint_and_secret, receiver, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_and_secret
    return_advice(django_capture_on_commit_callbacks)
    (posted,) = receiver.received

    tampered_body = posted.body.replace(b"advice.returned", b"sections.signed")
    later = {
        **posted.headers,
        "webhook-timestamp": str(int(posted.headers["webhook-timestamp"]) + 1),
    }

    assert verify(secret, posted.headers, posted.body)
    assert not verify(secret, posted.headers, tampered_body)
    assert not verify(secret, later, posted.body)
    assert not verify("whsec_" + base64.b64encode(b"x" * 32).decode(), posted.headers, posted.body)


# --- Retries and back-off --------------------------------------------------------------------


def test_a_failing_receiver_is_tried_again_with_back_off_then_given_up(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [(503, {})]
    start = timezone.now()
    return_advice(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    # Each try after its wait: nothing before it is due, one try when it is.
    now = start
    for wait in services.RETRY_AFTER:
        delivery.refresh_from_db()
        assert delivery.status == Status.WAITING
        assert delivery.next_attempt_at - now >= wait
        assert delivery.next_attempt_at - now < wait + datetime.timedelta(seconds=30)
        with time_machine.travel(delivery.next_attempt_at - datetime.timedelta(seconds=1)):
            assert services.queue_due_retries() == 0
        now = delivery.next_attempt_at
        with time_machine.travel(now), django_capture_on_commit_callbacks(execute=True):
            assert services.queue_due_retries() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.FAILED, services.MAX_ATTEMPTS)
    assert len(receiver.received) == services.MAX_ATTEMPTS == 7
    # One message, the same id on every try, each signed afresh.
    assert {r.headers["webhook-id"] for r in receiver.received} == {str(delivery.message_id)}
    log = list(delivery.attempt_log.order_by("number"))
    assert [a.number for a in log] == list(range(1, 8))
    assert {a.status_code for a in log} == {503}
    assert log[-1].next_attempt_at is None and all(a.next_attempt_at for a in log[:-1])
    total = log[-1].started_at - log[0].started_at
    assert datetime.timedelta(hours=20) < total < datetime.timedelta(hours=22)


def test_a_receiver_that_recovers_gets_the_message_on_the_next_try(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, {}), (200, {})]
    return_advice(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    with (
        time_machine.travel(delivery.next_attempt_at),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.queue_due_retries()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 2)
    assert [a.status_code for a in delivery.attempt_log.order_by("number")] == [500, 200]


def test_a_redirect_is_not_followed_and_counts_as_a_failure(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [(302, {"Location": "http://169.254.169.254/latest/meta-data/"})]

    return_advice(django_capture_on_commit_callbacks)

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code == 302 and "Redirects are not followed" in attempt.error
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == Status.WAITING


def test_a_receiver_that_hangs_is_given_up_on_after_the_timeout(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    receiver.hold = threading.Event()

    return_advice(django_capture_on_commit_callbacks)

    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None and attempt.error == "No answer within 1 seconds."
    assert 900 <= attempt.duration_ms < 5000
    assert WebhookDelivery.objects.get().status == Status.WAITING


# --- Sent once -------------------------------------------------------------------------------


def queued_delivery() -> WebhookDelivery:
    """Advice returned, its delivery made and queued, nothing sent yet (the test's
    transaction never commits, so the outbox hands nothing to the eager worker)."""
    advice = make_advice_request()
    ehcp_services.submit_advice(advice, UserFactory(), "Advice.", False)
    services.queue_deliveries(CaseChange.objects.get().pk)
    return WebhookDelivery.objects.get()


def test_a_delivery_is_claimed_once_so_a_second_run_of_its_task_sends_nothing(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    return_advice(django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()

    # The outbox sends a message again when it cannot prove it finished: the tasks run again.
    assert services.deliver(delivery.pk) is None
    assert services.queue_deliveries(delivery.change_id) == 0

    assert len(receiver.received) == 1 and WebhookDelivery.objects.count() == 1


def test_two_workers_claiming_at_once_send_once(endpoint, receiver):
    delivery = queued_delivery()

    claims = [services._claim(delivery.pk, timezone.now()) for _ in range(2)]

    assert claims == [True, False]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENDING, 1)


def test_a_delivery_interrupted_mid_send_is_never_sent_again_until_an_administrator_says(
    endpoint, receiver, django_capture_on_commit_callbacks, administrator
):
    delivery = queued_delivery()
    # A worker claimed it and died before its POST ended: it is left "sending".
    assert services._claim(delivery.pk, timezone.now())

    assert services.deliver(delivery.pk) is None
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=1)):
        assert services.queue_due_retries() == 0
        assert list(selectors.interrupted()) == [delivery]
        assert receiver.received == []
        with django_capture_on_commit_callbacks(execute=True):
            services.send_again(delivery, administrator)

    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and len(receiver.received) == 1
    assert receiver.received[0].headers["webhook-id"] == str(delivery.message_id)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.WEBHOOK_SENT_AGAIN).count() == 1
    with pytest.raises(RefusedChange):
        services.send_again(delivery, administrator)


# --- Reach -----------------------------------------------------------------------------------


def council_endpoint(name: str, area, receiver, **kwargs) -> WebhookEndpoint:
    council = OrganisationFactory(name=f"{name} Council", kind=Organisation.Kind.COUNCIL)
    credentials = case_system_services.register_case_system(
        name=f"Mosaic, {name} Council", organisation=council, areas=[area], **kwargs
    )
    endpoint, _ = services.add_endpoint(
        credentials.case_system, receiver.url, CaseChange.Kind.values
    )
    return endpoint


def test_a_change_goes_to_its_own_councils_endpoints_and_never_another_councils(
    receiver, django_capture_on_commit_callbacks
):
    sunderland, gateshead = LocalAreaFactory(name="Sunderland"), LocalAreaFactory(name="Gateshead")
    ours = council_endpoint("Sunderland", sunderland, receiver)
    theirs = council_endpoint("Gateshead", gateshead, receiver)

    change = return_advice(django_capture_on_commit_callbacks, area=sunderland)

    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [ours.pk]
    assert [json.loads(r.body)["id"] for r in receiver.received] == [str(change.event_id)]
    assert theirs.deliveries.count() == 0


def test_endpoints_hear_only_what_they_asked_for_while_on_and_allowed(
    receiver, django_capture_on_commit_callbacks, administrator
):
    area = LocalAreaFactory(name="Sunderland")
    wants_signatures = council_endpoint("Signatures", area, receiver)
    services.change_endpoint(
        wants_signatures,
        url=receiver.url,
        events=["sections.signed"],
        description="",
        is_active=True,
    )
    switched_off = council_endpoint("Off", area, receiver)
    switched_off.is_active = False
    switched_off.save()
    without_scope = council_endpoint("Scopeless", area, receiver, scopes=["children:read"])
    revoked = council_endpoint("Revoked", area, receiver)
    case_system_services.revoke(revoked.case_system, administrator)
    hears = council_endpoint("Hears", area, receiver)

    return_advice(django_capture_on_commit_callbacks, area=area)

    assert list(WebhookDelivery.objects.values_list("endpoint", flat=True)) == [hears.pk]
    assert without_scope.deliveries.count() == 0


def test_an_endpoint_switched_off_after_queueing_is_not_sent_to(endpoint, receiver):
    delivery = queued_delivery()
    WebhookEndpoint.objects.update(is_active=False)

    services.deliver(delivery.pk)

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.FAILED and receiver.received == []
    assert "off or out of reach" in delivery.attempt_log.get().error


def test_finding_the_endpoints_of_a_change_is_one_query_however_many_councils(
    receiver, django_assert_num_queries
):
    area = LocalAreaFactory(name="Sunderland")
    for n in range(6):
        council_endpoint(f"Council {n}", area, receiver)
    advice = make_advice_request(assessment=make_assessment(child=ChildFactory(area=area)))
    ehcp_services.submit_advice(advice, UserFactory(), "Advice.", False)
    change = CaseChange.objects.get()

    # The endpoints, with their case systems, whose accounts work in the change's area.
    with django_assert_num_queries(1):
        endpoints = selectors.endpoints_to_tell(change)
    assert len(endpoints) == 6


def test_each_of_the_four_changes_reaches_an_endpoint_that_wants_it(
    endpoint, receiver, dmo, commissioner, clinical_lead, django_capture_on_commit_callbacks
):
    from ehcp.tests.factories import make_plan_waiting_for_sign_off
    from tests.factories import DEFAULT_TEST_PASSWORD

    first = make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()
    second = make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.return_for_amendment(first, dmo, "Quantify the therapy.")
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.sign_off(second, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.agree_provision(second, commissioner)
    return_advice(django_capture_on_commit_callbacks)

    bodies = [json.loads(r.body) for r in receiver.received]
    assert [(b["type"], b["sections_version_id"]) for b in bodies[:3]] == [
        ("sections.returned", first.pk),
        ("sections.signed", second.pk),
        ("provision.agreed", second.pk),
    ]
    assert bodies[3]["type"] == "advice.returned"
    assert bodies[1]["links"]["signed_sections_pdf"].endswith(
        f"/api/v1/sections-versions/{second.pk}/pdf/"
    )
    assert WebhookDelivery.objects.filter(status=Status.DELIVERED).count() == 4


def test_the_secret_is_kept_sealed_and_a_new_secret_key_asks_for_a_new_one(
    endpoint_and_secret, receiver, settings, administrator, django_capture_on_commit_callbacks
):
    from webhooks import signing

    endpoint, secret = endpoint_and_secret
    endpoint.refresh_from_db()
    # A copy of the database (a backup) holds no usable secret.
    assert secret not in endpoint.sealed_secret
    assert secret[6:] not in endpoint.sealed_secret
    assert signing.unseal(endpoint.sealed_secret) == secret

    settings.SECRET_KEY = "another-key-" + "k" * 60
    return_advice(django_capture_on_commit_callbacks)

    delivery = WebhookDelivery.objects.get()
    assert receiver.received == [] and delivery.status == Status.WAITING
    assert "make a new signing secret" in delivery.attempt_log.get().error
    new = services.rotate_secret(endpoint, administrator)
    with (
        time_machine.travel(delivery.next_attempt_at),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.queue_due_retries()
    (posted,) = receiver.received
    # The old secret cannot be read any more, so only the new one signs.
    assert verify(new, posted.headers, posted.body)
    assert len(posted.headers["webhook-signature"].split(" ")) == 1


def test_a_receiver_that_answers_a_byte_at_a_time_is_cut_off_at_the_timeout(settings):
    """A socket's timeout is renewed by every byte; the whole POST has the timeout too."""
    import http.server
    import time

    from webhooks import sending

    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True

    class Dripping(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 40:
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.1)

        def log_message(self, format, *args):  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Dripping)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        answer = sending.post(url, b"{}", {}, timeout=1)
    finally:
        server.shutdown()
        server.server_close()

    assert answer.status_code is None and answer.error == "No answer within 1 seconds."
    assert 900 <= answer.duration_ms < 2500
