"""The administrator sees nothing clinical in the Django admin (README: the administrator
role "opens the admin and nothing clinical").

Every model registered with the admin site is walked: its list, add, change, history and
delete pages are opened by an administrator over a world holding a record of every kind,
and no page may show a child's name or any clinical text. Models that hold clinical or
child-identifying content are not registered at all, so their admin addresses do not exist;
a model added later to the admin is walked the same way without anyone remembering to.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import NoReverseMatch, reverse

from clinics.models import Appointment, Outcome, Referral
from ehcp.models import Child
from notifications.models import Delivery
from tests.access_world import world  # noqa: F401

pytestmark = pytest.mark.django_db

#: Apps whose models hold children's records, clinical text or what was said about a family.
CLINICAL_APPS = ("ehcp", "clinics", "tribunal", "meetings", "intelligence")
#: Models of those apps that hold only operational facts, each with the reason.
OPERATIONAL = {
    # The quality criteria administrators extend: the standard's wording, nobody's record.
    "ehcp.qualitycriterion",
    # A governance pack's job: who asked, for which period, how the build went. Its admin
    # shows no figure and no way to the PDF (intelligence/tests/test_exports.py), and the
    # pack's figures are anonymous counts in any case.
    "intelligence.reportpack",
    # What a council's case system must hear of (issue 19): a kind of change, when, and the
    # ids of the records; no name, number or text. The webhooks' deliveries point at it, and
    # their admin shows the kind and the ids only (webhooks/admin.py).
    "ehcp.casechange",
}
# Not of a clinical app, so walked like any other model: notifications.Delivery, which
# message went to whom and when. Its subject is an id ("advice:12"), never a name, and a
# family's address is never shown (notifications/admin.py; the world below holds one).
#: The pages Django's admin gives each model.
PAGES = ("changelist", "add", "change", "history", "delete")


def _is_clinical(model, seen=None) -> bool:
    """A model of a clinical app, or one that points at one (its change page would name the
    record it points at, e.g. a child chosen in a list)."""
    seen = seen or set()
    if model in seen:
        return False
    seen.add(model)
    label = model._meta.label_lower
    if label in OPERATIONAL:
        return False
    if model._meta.app_label in CLINICAL_APPS:
        return True
    return any(
        field.related_model is not None
        and field.related_model is not model
        and _is_clinical(field.related_model, seen)
        for field in model._meta.get_fields()
        if isinstance(field, (models.ForeignKey, models.OneToOneField, models.ManyToManyField))
        and not field.auto_created
    )


def _clinical_texts() -> set[str]:
    """What must never appear: every child's name and NHS number, and the clinic's clinical
    words (reasons, notes, outcomes, family addresses)."""
    texts = set()
    # Whole names: a surname alone can be an ordinary word ("Access").
    for first, last, nhs in Child.objects.values_list("first_name", "last_name", "nhs_number"):
        texts.update({f"{first} {last}", f"{last}, {first}", nhs})
    for row in Referral.objects.values_list("reason", "triage_note", "family_email"):
        texts.update(row)
    for row in Appointment.objects.values_list("clinical_notes", "family_email"):
        texts.update(row)
    texts.update(label for _, label in Outcome.choices)
    return {text for text in texts if text and len(text) > 3}


@pytest.fixture
def clinical_world(world):  # noqa: F811
    """The world, with a diagnosis recorded and notes written, as a clinic's records are."""
    Referral.objects.update(outcome=Outcome.AUTISM_DIAGNOSED, triage_note="Triage: eye contact.")
    Appointment.objects.update(
        clinical_notes="Observed limited joint attention.",
        outcome=Outcome.AUTISM_DIAGNOSED,
        family_email="family.private@example.org",
    )
    appointment = Appointment.objects.order_by("pk").first()
    # The first row (whose change page is walked) is a family's reminder.
    Delivery.objects.create(
        kind="clinics.appointment-soon",
        subject=f"appointment:{appointment.pk}",
        about=f"appointment:{appointment.pk}",
        recipient_address="family.private@example.org",
        outcome=Delivery.Outcome.FAILED,
        attempts=1,
        error="SMTPRecipientsRefused",
    )
    Delivery.objects.create(
        kind="ehcp.advice-overdue",
        subject="advice:1",
        recipient=world.dmo,
        outcome=Delivery.Outcome.SENT,
        attempts=1,
    )
    return world


def _admin_addresses():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        first = model._default_manager.order_by("pk").first()
        for page in PAGES:
            name = "admin:{}_{}_{}".format(*info, page)
            args = [] if page in ("changelist", "add") else [first.pk] if first else None
            if args is None:
                continue
            yield model, page, reverse(name, args=args)


def test_no_model_with_clinical_or_child_identifying_content_is_in_the_admin():
    clinical = sorted(m._meta.label for m in admin.site._registry if _is_clinical(m))
    assert clinical == []


def test_the_walk_knows_the_clinical_models():
    # The check above can fail: these are what it calls clinical.
    assert _is_clinical(apps.get_model("clinics", "Referral"))
    assert _is_clinical(apps.get_model("ehcp", "Child"))
    assert _is_clinical(apps.get_model("intelligence", "Concern"))
    assert not _is_clinical(apps.get_model("roles", "Organisation"))


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if _is_clinical(m)],
    ids=lambda m: m._meta.label,
)
def test_clinical_models_have_no_admin_address(client, administrator, model):
    client.force_login(administrator)
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/")
    assert response.status_code in (302, 404)  # the admin's catch-all: not found


def test_every_admin_page_of_every_model_shows_nothing_clinical(
    client, administrator, clinical_world
):
    secrets = _clinical_texts()
    assert "Autism diagnosed" in secrets and "Sam Access" in secrets  # the check has teeth
    client.force_login(administrator)
    pages = [(admin.site.index_url(), "index")] + [
        (address, f"{model._meta.label} {page}") for model, page, address in _admin_addresses()
    ]
    shown = {}
    for address, what in pages:
        response = client.get(address)
        assert response.status_code in (200, 302, 403), what
        text = response.content.decode()
        found = sorted(secret for secret in secrets if secret in text)
        if found:
            shown[what] = found
    assert len(pages) > 40  # every registered model's five pages were walked
    assert shown == {}
