"""Administrators add, change, re-key and remove a case system's webhook endpoints in the
admin, each an audit event; the signing secret is shown once; deliveries are followed up."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from ehcp import services as ehcp_services
from ehcp.models import CaseChange
from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from tests.factories import UserFactory
from webhooks import signing
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

Kind = AuditEvent.Kind
ADD = reverse("admin:webhooks_webhookendpoint_add")


def add_form(case_system, url, **extra):
    return {
        "case_system": case_system.pk,
        "url": url,
        "description": "Mosaic's webhook receiver",
        "events": ["advice.returned", "sections.signed"],
        "is_active": "on",
        **extra,
    }


def test_an_added_endpoints_secret_is_shown_once_and_never_again(
    client, administrator, case_system, receiver
):
    client.force_login(administrator)

    response = client.post(ADD, add_form(case_system, receiver.url))

    endpoint = WebhookEndpoint.objects.get()
    secret = signing.unseal(endpoint.sealed_secret)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert secret.startswith("whsec_") and secret in page
    assert endpoint.events == ["advice.returned", "sections.signed"]
    added = AuditEvent.objects.get(kind=Kind.WEBHOOK_ENDPOINT_ADDED)
    assert (added.actor, added.target_id) == (administrator, str(endpoint.pk))
    for address in (
        reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk]),
        reverse("admin:webhooks_webhookendpoint_changelist"),
        reverse("admin:webhooks_webhookendpoint_history", args=[endpoint.pk]),
    ):
        later = client.get(address)
        assert later.status_code == 200
        assert secret not in later.content.decode()
        assert secret[6:20] not in later.content.decode()
        assert endpoint.sealed_secret not in later.content.decode()


def test_an_address_the_portal_must_not_post_to_is_refused_by_the_form(
    client, administrator, case_system, settings
):
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    client.force_login(administrator)

    for url in ("http://hooks.example.org/x", "https://169.254.169.254/latest/meta-data/"):
        response = client.post(ADD, add_form(case_system, url))
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["url"], url

    assert not WebhookEndpoint.objects.exists()
    assert not AuditEvent.objects.filter(kind=Kind.WEBHOOK_ENDPOINT_ADDED).exists()


def test_a_new_secret_is_shown_once_after_confirming_and_audited(
    client, administrator, endpoint_and_secret
):
    endpoint, old = endpoint_and_secret
    client.force_login(administrator)
    rotate = reverse("admin:webhooks_webhookendpoint_rotate", args=[endpoint.pk])

    confirm = client.get(rotate)
    response = client.post(rotate)

    endpoint.refresh_from_db()
    new = signing.unseal(endpoint.sealed_secret)
    assert confirm.status_code == 200 and signing.unseal(endpoint.sealed_previous_secret) == old
    assert "Make a new signing secret" in confirm.content.decode()
    assert new != old and new in response.content.decode()
    assert old not in response.content.decode()
    rotated = AuditEvent.objects.get(kind=Kind.WEBHOOK_SECRET_ROTATED)
    assert (rotated.actor, rotated.target_id) == (administrator, str(endpoint.pk))


def test_changing_and_removing_an_endpoint_are_audited(client, administrator, endpoint, receiver):
    client.force_login(administrator)
    change = reverse("admin:webhooks_webhookendpoint_change", args=[endpoint.pk])
    delete = reverse("admin:webhooks_webhookendpoint_delete", args=[endpoint.pk])

    client.post(change, add_form(endpoint.case_system, receiver.url + "&v=2", is_active=""))
    endpoint.refresh_from_db()
    client.post(delete, {"post": "yes"})

    assert not endpoint.is_active and endpoint.url.endswith("&v=2")
    changed = AuditEvent.objects.get(kind=Kind.WEBHOOK_ENDPOINT_CHANGED)
    assert changed.summary.startswith("Address changed; off")
    removed = AuditEvent.objects.get(kind=Kind.WEBHOOK_ENDPOINT_REMOVED)
    assert receiver.url in removed.summary
    assert not WebhookEndpoint.objects.exists()


def test_only_administrators_reach_the_webhooks_admin(client, dco, send_officer, endpoint):
    for person in (dco, send_officer):
        client.force_login(person)
        for address in (
            reverse("admin:webhooks_webhookendpoint_changelist"),
            reverse("admin:webhooks_webhookendpoint_rotate", args=[endpoint.pk]),
            reverse("admin:webhooks_webhookdelivery_changelist"),
        ):
            assert client.get(address).status_code == 403, (person, address)


def test_the_delivery_log_shows_attempts_and_sends_a_failed_one_again(
    client, administrator, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [(500, {}), (204, {})]
    child = ChildFactory()
    advice = make_advice_request(assessment=make_assessment(child=child))
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.submit_advice(advice, UserFactory(), "Advice.", False)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    client.force_login(administrator)

    listing = client.get(reverse("admin:webhooks_webhookdelivery_changelist"))
    detail = client.get(reverse("admin:webhooks_webhookdelivery_change", args=[delivery.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:webhooks_webhookdelivery_changelist"),
            {"action": "send_again", "_selected_action": [delivery.pk]},
        )

    assert "Health advice returned" in listing.content.decode()
    page = detail.content.decode()
    assert "The endpoint answered 500." in page
    for personal in (child.first_name, child.last_name, "Advice."):
        assert personal not in listing.content.decode() and personal not in page
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert len(receiver.received) == 2
    assert CaseChange.objects.count() == 1
