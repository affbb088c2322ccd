"""Object-level access (IDOR): an address with someone else's object's id in it.

For each page that takes the id of an object that belongs to someone — an advice request
asked of another provider, a child or plan with no request to the person's organisation,
a meeting they are not a member of, a clinic appointment's notes, an action they do not
own, another person's report pack, a concern someone else logged — the other party gets
403 or 404, and a POST (with data that would change something, were it accepted) changes
nothing. The owner's own request is tried too, so each case is known to be able to fail.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.forms.models import model_to_dict
from django.urls import reverse

from tests.access_world import World, world  # noqa: F401

#: The tables a refused request must leave as they were (not the audit log or sessions,
#: which every request writes to).
WATCHED_APPS = (
    "roles",
    "ehcp",
    "meetings",
    "clinics",
    "tribunal",
    "intelligence",
    "notifications",
)


def snapshot(target) -> tuple:
    counts = tuple(
        (model._meta.label, model._default_manager.count())
        for app in WATCHED_APPS
        for model in apps.get_app_config(app).get_models()
    )
    if not hasattr(target, "_meta"):
        return counts, None
    fresh = type(target)._default_manager.get(pk=target.pk)
    return counts, model_to_dict(fresh)


@dataclass(frozen=True)
class Case:
    url_name: str
    target: str  # the world's object in the address
    other_party: str  # a person whose object it is not
    post: Callable[[World], dict] | None = None  # data that would change something
    kwarg: str = "pk"
    refused_with: tuple[int, ...] = (403,)
    also_get: bool = True

    def path(self, w: World) -> str:
        value = getattr(w, self.target)
        return reverse(self.url_name, kwargs={self.kwarg: getattr(value, "pk", value)})

    def __str__(self) -> str:
        return f"{self.url_name}-as-{self.other_party}"


def data(**values) -> Callable[[World], dict]:
    return lambda w: values


CASES = [
    # Health advice asked of provider A, and what hangs on it, seen from provider B.
    Case(
        "ehcp:advice",
        "advice_request",
        "health_professional_b",
        post=data(advice="Speech and language therapy once a week.", no_health_needs=""),
    ),
    Case("ehcp:advice-chase", "advice_request", "health_professional_b", post=data()),
    Case("ehcp:child", "child", "health_professional_b"),
    Case("ehcp:assessment", "assessment", "health_professional_b"),
    Case(
        "ehcp:assessment-dates",
        "assessment",
        "health_professional_a",
        post=lambda w: {"requested_on": w.assessment.requested_on.isoformat()},
    ),
    Case("ehcp:plan", "plan", "health_professional_b"),
    Case(
        "ehcp:sections-edit",
        "plan",
        "health_professional_b",
        post=lambda w: {"section_c": "Rewritten by someone else.", "edit_count": w.plan.edit_count},
    ),
    Case(
        "ehcp:sections-submit",
        "plan",
        "health_professional_b",
        post=lambda w: {"edit_count": w.plan.edit_count},
    ),
    Case("ehcp:version-print", "version", "health_professional_b"),
    Case("ehcp:version-pdf", "version", "health_professional_b"),
    Case("ehcp:sign-off-review", "version", "health_professional_a", post=data(password="x")),
    Case("ehcp:version-agree", "version", "health_professional_a", post=data(note="Agreed")),
    # Another person's page, for someone with no role today.
    Case("roles:person", "dmo", "no_role_user"),
    # A meeting of the Health Café, for a health professional who is not a member. A
    # provider's health professional works in no local area: the meetings' and the clinic's
    # records are not theirs to know of (404, as for another area's person).
    Case("meetings:meeting", "meeting", "health_professional_a", refused_with=(404,)),
    Case(
        "meetings:apologies",
        "meeting",
        "health_professional_a",
        post=data(action="send"),
        refused_with=(404,),
    ),
    Case(
        "meetings:agenda-item-add",
        "meeting",
        "health_professional_a",
        post=data(title="An item of my own", minutes_allotted="10"),
        refused_with=(404,),
    ),
    Case(
        "meetings:agenda-item-edit",
        "agenda_item",
        "health_professional_a",
        post=data(title="Renamed", minutes_allotted="10"),
        refused_with=(404,),
    ),
    Case("meetings:paper", "paper", "health_professional_a", refused_with=(404,)),
    Case("meetings:agenda-csv", "meeting", "health_professional_a", refused_with=(404,)),
    Case("meetings:minutes-pdf", "meeting", "health_professional_a", refused_with=(404,)),
    # Chairing is the chair's (the DCO's), not a member's.
    Case("meetings:chair", "meeting", "clinical_lead", post=data()),
    Case("meetings:close", "meeting", "dmo", post=data()),
    Case("meetings:cancel", "meeting", "clinical_lead", post=data(reason="Not needed")),
    # The DMO's action, for a member who neither owns it nor chairs.
    Case("meetings:action-complete", "action", "clinical_lead", post=data()),
    Case(
        "meetings:action-complete",
        "action",
        "health_professional_a",
        post=data(),
        refused_with=(404,),
    ),
    # The clinic's records and notes are the DMO's and the Clinical Lead's.
    Case(
        "clinics:appointment-notes",
        "appointment",
        "health_professional_a",
        post=data(clinical_notes="Seen today; no concerns."),
        refused_with=(404,),
    ),
    Case(
        "clinics:appointment-notes",
        "appointment",
        "dco",
        post=data(clinical_notes="Seen today; no concerns."),
    ),
    Case(
        "clinics:appointment-notes",
        "appointment",
        "commissioner",
        post=data(clinical_notes="Seen today; no concerns."),
    ),
    Case("clinics:appointment", "appointment", "dco"),
    Case("clinics:appointment-letter", "appointment", "health_professional_a", refused_with=(404,)),
    Case("clinics:referral", "referral", "health_professional_a", refused_with=(404,)),
    Case("clinics:referral-triage", "referral", "send_officer", post=data(decision="signpost")),
    Case("clinics:support-offer", "support_offer", "dco", post=data(taken_up="yes")),
    # A concern one SENDIASS officer logged, for another.
    # A Tribunal appeal about a child with advice asked of provider A, seen from provider B.
    Case("tribunal:appeal", "appeal", "health_professional_b"),
    Case(
        "tribunal:evidence",
        "evidence_request",
        "health_professional_b",
        post=data(evidence="Written by another provider."),
    ),
    Case("tribunal:response-letter", "recommendation", "health_professional_b"),
    # Approving the ICB's response is the DMO's or the commissioner's, not the provider's.
    Case(
        "tribunal:response-approve",
        "recommendation",
        "health_professional_a",
        post=data(confirm="on"),
    ),
    Case(
        "tribunal:response",
        "recommendation",
        "health_professional_a",
        post=data(response="not-follow", response_text="No.", reasons="Because."),
    ),
    Case("intelligence:concern", "concern", "other_sendiass_officer"),
    Case(
        "intelligence:concern-escalate",
        "concern",
        "sendiass_officer",
        post=data(question="Why is the wait so long?"),
    ),
    Case("intelligence:concern-close", "concern", "sendiass_officer", post=data()),
    Case(
        "intelligence:escalation-answer",
        "escalation",
        "dco",
        post=data(response="We are recruiting.", action="Two more therapists"),
    ),
    Case(
        "intelligence:concern-from-appointment",
        "appointment",
        "sendiass_officer",
        post=data(summary="Family found the wait long.", themes=""),
    ),
    # Another person's report pack: not found, as if it did not exist.
    Case(
        "intelligence:pack-status",
        "pack",
        "dco",
        kwarg="pack",
        refused_with=(404,),
    ),
    Case(
        "intelligence:pack-download",
        "pack",
        "dco",
        kwarg="pack",
        refused_with=(404,),
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_other_party_is_refused_and_nothing_changes(world, client, case):  # noqa: F811
    client.force_login(world.people[case.other_party])
    path = case.path(world)
    target = getattr(world, case.target)

    response = client.get(path)
    if case.url_name in POST_ONLY:
        assert response.status_code in (405, *case.refused_with), response.status_code
    else:
        assert response.status_code in case.refused_with, (
            f"GET {case.url_name} as {case.other_party}: {response.status_code}"
        )

    if case.post is not None:
        before = snapshot(target)
        response = client.post(path, case.post(world))
        assert response.status_code in case.refused_with, (
            f"POST {case.url_name} as {case.other_party}: {response.status_code}"
        )
        assert snapshot(target) == before, f"POST {case.url_name} changed something"


POST_ONLY = {
    "ehcp:advice-chase",
    "ehcp:sections-submit",
    "meetings:apologies",
    "meetings:close",
    "meetings:action-complete",
    "intelligence:concern-close",
}


# --- The owner's own request succeeds: each case above could fail ---------------------------


@pytest.mark.django_db
def test_the_provider_asked_writes_its_advice(world, client):  # noqa: F811
    client.force_login(world.health_professional_a)
    response = client.post(
        reverse("ehcp:advice", args=[world.advice_request.pk]),
        {"advice": "Speech and language therapy once a week.", "no_health_needs": ""},
    )
    assert response.status_code == 302
    world.advice_request.refresh_from_db()
    assert world.advice_request.submitted_at is not None


@pytest.mark.django_db
def test_a_clinician_of_the_clinic_writes_notes(world, client):  # noqa: F811
    client.force_login(world.dmo)
    response = client.post(
        reverse("clinics:appointment-notes", args=[world.appointment.pk]),
        {"clinical_notes": "Seen today; no concerns."},
    )
    assert response.status_code == 302
    world.appointment.refresh_from_db()
    assert world.appointment.clinical_notes == "Seen today; no concerns."


@pytest.mark.django_db
def test_the_owner_completes_their_action(world, client):  # noqa: F811
    client.force_login(world.dmo)
    response = client.post(reverse("meetings:action-complete", args=[world.action.pk]))
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status != "open"


@pytest.mark.django_db
def test_the_person_who_asked_for_the_pack_gets_it(world, client):  # noqa: F811
    client.force_login(world.commissioner)
    pack = world.pack
    assert client.get(reverse("intelligence:pack-status", args=[pack])).status_code == 200
    assert client.get(reverse("intelligence:pack-download", args=[pack])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona, url_name, target",
    [
        ("health_professional_a", "ehcp:child", "child"),
        ("health_professional_a", "ehcp:plan", "plan"),
        ("health_professional_a", "ehcp:advice", "advice_request"),
        ("clinical_lead", "meetings:meeting", "meeting"),
        ("sendiass_officer", "intelligence:concern", "concern"),
        ("no_role_user", "roles:person", "no_role_user"),
    ],
)
def test_whose_object_it_is_sees_it(world, client, persona, url_name, target):  # noqa: F811
    client.force_login(world.people[persona])
    assert client.get(reverse(url_name, args=[getattr(world, target).pk])).status_code == 200


# --- Lists show only what is the person's ---------------------------------------------------


@pytest.mark.django_db
def test_lists_of_children_and_advice_leave_out_other_providers_work(world, client):  # noqa: F811
    name = world.child.last_name
    for persona, shown in (("health_professional_a", True), ("health_professional_b", False)):
        client.force_login(world.people[persona])
        children = client.get(reverse("ehcp:children")).content.decode()
        advice = client.get(reverse("ehcp:advice-list")).content.decode()
        assert (name in children) is shown, persona
        assert (name in advice) is shown, persona


@pytest.mark.django_db
def test_a_person_sees_and_marks_read_only_their_own_notifications(world, client):  # noqa: F811
    notification = world.notification  # the DMO's
    client.force_login(world.health_professional_a)
    assert notification.title not in client.get(reverse("notifications:list")).content.decode()
    client.post(reverse("notifications:mark-all-read"))
    notification.refresh_from_db()
    assert notification.read_at is None

    client.force_login(world.dmo)
    assert notification.title in client.get(reverse("notifications:list")).content.decode()


@pytest.mark.django_db
def test_another_sendiass_officers_concerns_are_not_listed_or_exported(world, client):  # noqa: F811
    summary = world.concern.summary
    client.force_login(world.other_sendiass_officer)
    assert summary not in client.get(reverse("intelligence:concerns")).content.decode()
    export = b"".join(client.get(reverse("intelligence:concerns-csv")).streaming_content)
    rows = list(csv.reader(io.StringIO(export.decode("utf-8-sig"))))
    assert not any(summary in cell for row in rows for cell in row)

    client.force_login(world.sendiass_officer)
    assert summary in client.get(reverse("intelligence:concerns")).content.decode()


@pytest.mark.django_db
def test_a_person_sees_and_ends_only_their_own_sessions(world):  # noqa: F811
    from django.test import Client

    from session_security.models import SignedInSession

    dmo_here, dmo_elsewhere, ada = Client(), Client(), Client()
    dmo_here.force_login(world.dmo)
    dmo_elsewhere.force_login(world.dmo)
    ada.force_login(world.health_professional_a)
    dmos_sessions = set(
        SignedInSession.objects.filter(user=world.dmo, ended_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    assert len(dmos_sessions) == 2

    page = ada.get(reverse("session_security:sessions"))
    assert len(page.context["sessions"]) == 1  # Ada's own, none of the DMO's
    ada.post(reverse("session_security:sign-out-others"))

    still_open = SignedInSession.objects.filter(user=world.dmo, ended_at__isnull=True)
    assert set(still_open.values_list("pk", flat=True)) == dmos_sessions
    assert dmo_elsewhere.get(reverse("home")).status_code == 200


@pytest.mark.django_db
def test_two_step_pages_show_and_change_only_the_persons_own_devices(world, client):  # noqa: F811
    # The world's DMO has an authenticator and backup codes; Ada has neither.
    client.force_login(world.dmo)
    assert client.get(reverse("security:two-step")).context["authenticator"] == world.totp_device

    client.force_login(world.health_professional_a)
    assert client.get(reverse("security:two-step")).context["authenticator"] is None
    dmos_codes = list(world.static_device.token_set.values_list("pk", "token"))
    assert len(dmos_codes) == 2
    response = client.post(reverse("security:new-backup-codes"))
    assert response.status_code == 302
    assert list(world.static_device.token_set.values_list("pk", "token")) == dmos_codes
