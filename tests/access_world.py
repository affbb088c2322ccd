"""One small world with an object of every kind the portal's addresses take, and a person
for every role, built once per test module for the access-control tests.

``world`` is a module-scoped fixture: the rows are made inside one transaction that is
rolled back when the module's tests are done, and each test (``db``) runs in a savepoint
inside it, so nothing a test does reaches the next module. Import the fixture into a test
module with ``from tests.access_world import world  # noqa: F401``.

Who may see what, by design of the rules: the child's health advice was asked of
provider A, so the health professional at provider A sees the child, the assessment, the
request and the plan, and the one at provider B sees none of them. The Health Café is
chaired by the DCO with the DCO, the DMO and the Clinical Lead as members. The concern
was logged by the SENDIASS officer. The report pack was asked for by the commissioner.
"""

from __future__ import annotations

import datetime
import shutil
import tempfile
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from roles.models import Organisation, RoleCode, User
from tests.factories import the_test_area

#: The persona names of conftest.py, and the two roles without a persona fixture.
PERSONAS = (
    "dmo",
    "dco",
    "clinical_lead",
    "health_professional_a",
    "health_professional_b",
    "commissioner",
    "sendiass_officer",
    "send_officer",
    "administrator",
    "governance_reader",
    "parent_carer_forum",
    "no_role_user",
)


@dataclass
class World:
    people: dict[str, User]
    objects: dict[str, object] = field(default_factory=dict)

    def __getattr__(self, name):
        # world.child, world.dmo: objects and people by name.
        for table in ("objects", "people"):
            found = self.__dict__.get(table, {})
            if name in found:
                return found[name]
        raise AttributeError(name)


def _people() -> tuple[dict[str, User], dict[str, Organisation]]:
    from tests.factories import OrganisationFactory, UserFactory, person_holding

    provider_a = OrganisationFactory(name="Provider A NHS Foundation Trust")
    provider_b = OrganisationFactory(name="Provider B NHS Foundation Trust")
    icb = OrganisationFactory(
        name="Test Integrated Care Board", kind=Organisation.Kind.COMMISSIONER
    )
    sendiass = OrganisationFactory(name="Test SENDIASS", kind=Organisation.Kind.SENDIASS)
    council = OrganisationFactory(name="Test Council", kind=Organisation.Kind.COUNCIL)
    forum = OrganisationFactory(
        name="Test Parent Carer Forum", kind=Organisation.Kind.PARENT_CARER_FORUM
    )
    people = {
        "dmo": person_holding(
            RoleCode.DMO,
            provider_a,
            user__full_name="Dr Dee Emmo",
            user__registration_number="GMC 7012345",
        ),
        "dco": person_holding(RoleCode.DCO, icb, user__full_name="Dee Ceeo"),
        "clinical_lead": person_holding(
            RoleCode.CLINICAL_LEAD, provider_a, user__full_name="Cee Lead"
        ),
        "health_professional_a": person_holding(
            RoleCode.HEALTH_PROFESSIONAL, provider_a, user__full_name="Ada Therapist"
        ),
        "health_professional_b": person_holding(
            RoleCode.HEALTH_PROFESSIONAL, provider_b, user__full_name="Bea Therapist"
        ),
        "commissioner": person_holding(RoleCode.COMMISSIONER, icb, user__full_name="Com Missioner"),
        "sendiass_officer": person_holding(RoleCode.SENDIASS_OFFICER, sendiass),
        "send_officer": person_holding(RoleCode.SEND_OFFICER, council),
        "administrator": person_holding(
            RoleCode.ADMINISTRATOR, icb, user__full_name="Ad Ministrator"
        ),
        "governance_reader": person_holding(RoleCode.GOVERNANCE_READER, icb),
        "parent_carer_forum": person_holding(RoleCode.PARENT_CARER_FORUM, forum),
        "no_role_user": UserFactory(full_name="Noah Role"),
        # Not in the matrix: a second SENDIASS officer, for "a concern someone else logged".
        "other_sendiass_officer": person_holding(RoleCode.SENDIASS_OFFICER, sendiass),
    }
    organisations = {"provider_a": provider_a, "provider_b": provider_b, "icb": icb}
    return people, organisations


def _ehcp(world: World) -> None:
    from ehcp import services
    from ehcp.tests.factories import (
        ChildFactory,
        make_advice_request,
        make_assessment,
        make_plan_waiting_for_sign_off,
    )

    p = world.people
    child = ChildFactory(first_name="Sam", last_name="Access")
    assessment = make_assessment(child=child)
    advice_request = make_advice_request(
        assessment=assessment,
        provider=world.objects["provider_a"],
        requested_by=p["send_officer"],
    )
    plan = make_plan_waiting_for_sign_off(author=p["health_professional_a"], assessment=assessment)
    version = plan.versions.order_by("-number").first()
    # A second child with a final plan, for the annual review.
    reviewed = make_assessment(
        child=ChildFactory(first_name="Rae", last_name="Review"),
        requested_on=timezone.localdate() - datetime.timedelta(weeks=40),
    )
    review = services.issue_final_plan(
        reviewed, timezone.localdate() - datetime.timedelta(weeks=10)
    )
    world.objects.update(
        child=child,
        assessment=assessment,
        advice_request=advice_request,
        plan=plan,
        version=version,
        annual_review=review,
    )


def _meetings(world: World) -> None:
    from meetings import services
    from meetings.models import Action, MeetingKind, Paper
    from meetings.tests.factories import in_three_weeks, make_series, next_meeting

    p = world.people
    # Chaired by the DCO; the DCO, the DMO and the Clinical Lead are members; three weeks
    # ahead so its agenda is open whatever the day the tests run.
    cafe = make_series(starts_on=in_three_weeks())
    meeting = next_meeting(cafe)
    item = services.add_agenda_item(meeting, p["dco"], title="Waiting times")
    paper = Paper(
        meeting=meeting,
        agenda_item=item,
        title="Waiting times paper",
        content_type="application/pdf",
        size=9,
        uploaded_by=p["dco"],
    )
    paper.file.save("paper.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    paper.save()
    action = Action.objects.create(
        meeting=meeting,
        agenda_item=item,
        description="Send the waiting-time figures to the Clinical Lead",
        owner=p["dmo"],
        due_on=timezone.localdate() + datetime.timedelta(days=60),
    )
    intelligence_series = make_series(
        name="Intelligence sharing",
        kind=MeetingKind.INTELLIGENCE_SHARING,
        member_roles=(RoleCode.DCO, RoleCode.SENDIASS_OFFICER),
    )
    world.objects.update(
        series=cafe,
        meeting=meeting,
        agenda_item=item,
        paper=paper,
        action=action,
        intelligence_meeting=next_meeting(intelligence_series),
    )


def _clinic(world: World) -> None:
    from clinics.models import SupportOffer
    from clinics.tests.conftest import book, make_referral

    p = world.people
    referral = make_referral(p["clinical_lead"], accept=True)
    appointment = book(referral, [p["dmo"]], p["clinical_lead"])
    # Straight to the table: the page only needs an offer to exist, and the rule for
    # offering (after a diagnosis) is not what these tests are about.
    offer = SupportOffer.objects.create(
        referral=referral,
        kind=SupportOffer.Kind.INFORMATION_PACK,
        offered_on=timezone.localdate(),
        recorded_by=p["clinical_lead"],
    )
    world.objects.update(referral=referral, appointment=appointment, support_offer=offer)


def _tribunal(world: World) -> None:
    from tribunal import services
    from tribunal.models import DecisionAppealed

    p = world.people
    today = timezone.localdate()
    appeal = services.record_appeal(
        child=world.child,
        decision_appealed=DecisionAppealed.CONTENTS,
        registered_on=today - datetime.timedelta(weeks=8),
        tribunal_reference="EH100/26/00001",
        health_issues="Speech and language therapy in section F.",
        user=p["send_officer"],
    )
    evidence_request = services.request_evidence(
        appeal,
        provider=world.objects["provider_a"],
        asked="A report from the speech and language therapist.",
        due_on=today + datetime.timedelta(days=10),
        user=p["dco"],
    )
    witness = services.add_witness(appeal, name="Ada Witness", role="SLT", user=p["dco"])
    recommendation = services.record_recommendation(
        appeal, made_on=today, recommendation="Weekly therapy.", user=p["dco"]
    )
    services.draft_response(
        recommendation, response="follow", response_text="We will.", reasons="", user=p["dco"]
    )
    world.objects.update(
        appeal=appeal,
        evidence_request=evidence_request,
        witness=witness,
        recommendation=recommendation,
    )


def _intelligence(world: World) -> None:
    from django.core.files.base import ContentFile

    from intelligence import services
    from intelligence.models import ConcernSource, ReportPack, Theme

    p = world.people
    themes = list(Theme.objects.filter(merged_into__isnull=True).order_by("pk")[:2])
    concern = services.log_concern(
        area=the_test_area(),
        raised_on=timezone.localdate(),
        source=ConcernSource.SENDIASS,
        summary="Families say the wait for a speech therapy assessment is long.",
        themes=themes[:1],
        logged_by=p["sendiass_officer"],
    )
    escalation = services.escalate(p["dco"], "What is being done about the wait?", concern=concern)
    today = timezone.localdate()
    pack = ReportPack(requested_by=p["commissioner"], starts_on=today, ends_on=today)
    pack.status, pack.progress = ReportPack.Status.READY, 100
    pack.pdf.save(f"{pack.pk}.pdf", ContentFile(b"%PDF-1.4\n"))  # saves the row too
    world.objects.update(
        theme=themes[0], other_theme=themes[1], concern=concern, escalation=escalation, pack=pack.pk
    )


def _notifications(world: World) -> None:
    from notifications.services import notify

    notification = notify(world.people["dmo"], "A meeting has moved", link="/meetings/")
    world.objects.update(notification=notification)


def _second_factor(world: World) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    dmo = world.people["dmo"]
    backup_codes = StaticDevice.objects.create(user=dmo, name="Backup codes", confirmed=True)
    for code in ("a1b2c3d4", "e5f6g7h8"):
        backup_codes.token_set.create(token=code)
    world.objects.update(
        totp_device=TOTPDevice.objects.create(user=dmo, name="Phone", confirmed=True),
        static_device=backup_codes,
    )


def build_world() -> World:
    people, organisations = _people()
    world = World(people=people, objects=dict(organisations))
    _ehcp(world)
    _meetings(world)
    _clinic(world)
    _tribunal(world)
    _intelligence(world)
    _notifications(world)
    _second_factor(world)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, made once for the module inside a transaction rolled back at its end."""
    from send_portal.celery import app

    media = tempfile.mkdtemp(prefix="access-world-media-")
    settings_override = override_settings(
        MEDIA_ROOT=media,
        # Real hashing takes a fifth of a second per person on purpose.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    settings_override.enable()
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        with django_db_blocker.unblock():
            built = build_world()
        app.conf.task_always_eager = eager
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
        app.conf.task_always_eager = eager
        settings_override.disable()
        shutil.rmtree(media, ignore_errors=True)
