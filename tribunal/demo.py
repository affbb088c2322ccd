"""Demo SEND Tribunal appeals on ehcp's demo children: one waiting on health's evidence,
one waiting on health's response to a recommendation, and one answered months ago (so the
commissioner report has Tribunal figures).

Idempotent: each appeal is found by its Tribunal reference and made only once. Dates count
back from the day the demo is loaded; every record is made through tribunal/services.py.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from ehcp.demo import synthetic_nhs_number
from ehcp.models import Child
from roles import demo as people
from roles.models import Organisation, User
from tribunal import services
from tribunal.models import Appeal, DecisionAppealed, EvidenceRequest, Recommendation

WAITING_ON_EVIDENCE = "EH812/26/00101"
WAITING_ON_RESPONSE = "EH812/26/00102"
ANSWERED = "EH812/26/00087"


def _user(local_part: str) -> User:
    person = next(p for p in people.PEOPLE if p.local_part == local_part)
    return User.objects.get(email=people.demo_email(person))


def _child(serial: int) -> Child | None:
    # ehcp.demo numbers its children synthetic_nhs_number(serial * 7919).
    return Child.objects.filter(nhs_number=synthetic_nhs_number(serial * 7919)).first()


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    days = datetime.timedelta
    dco, dmo = _user("dco"), _user("dmo")
    send_officer, salt = _user("send-officer"), _user("salt")
    trust = Organisation.objects.get(name=people.TRUST)
    made = 0

    child = _child(1)
    if child and not Appeal.objects.filter(tribunal_reference=WAITING_ON_EVIDENCE).exists():
        appeal = services.record_appeal(
            child=child,
            decision_appealed=DecisionAppealed.CONTENTS,
            registered_on=today - days(weeks=6),
            tribunal_reference=WAITING_ON_EVIDENCE,
            hearing_on=today + days(weeks=5),
            health_issues=(
                "The family asks for weekly speech and language therapy in section F, and "
                "says the plan does not describe the child's sensory needs."
            ),
            user=send_officer,
        )
        services.request_evidence(
            appeal,
            provider=trust,
            asked=(
                "A report from the speech and language therapist on the child's communication "
                "needs and the therapy they need, with its frequency."
            ),
            due_on=today + days(days=5),
            user=dco,
        )
        services.add_witness(
            appeal,
            name="Priya Nair",
            role="Speech and language therapist, South Tyneside and Sunderland NHS FT",
            user=dco,
        )
        made += 1

    child = _child(2)
    if child and not Appeal.objects.filter(tribunal_reference=WAITING_ON_RESPONSE).exists():
        appeal = _heard_appeal(
            child, WAITING_ON_RESPONSE, today - days(weeks=16), today - days(days=20)
        )
        _sent_evidence(appeal, trust, salt, dco, today - days(weeks=12), today - days(weeks=10))
        witness = services.add_witness(
            appeal, name="Dr Amira Haddad", role="Designated Medical Officer", user=dco
        )
        services.confirm_witness(witness, today - days(weeks=6))
        services.record_decision(appeal, today - days(days=20))
        recommendation = services.record_recommendation(
            appeal,
            made_on=today - days(days=20),
            recommendation=(
                "The ICB should commission an occupational therapy assessment of the child's "
                "sensory needs and specify any therapy in section G."
            ),
            user=dco,
        )
        services.draft_response(
            recommendation,
            response="follow-in-part",
            response_text=(
                "We will commission the occupational therapy assessment within 8 weeks and "
                "amend section G with its findings at the next review."
            ),
            reasons=(
                "Therapy cannot be specified before the assessment: what is needed depends "
                "on what it finds."
            ),
            user=dco,
        )
        made += 1

    child = _child(3)
    if child and not Appeal.objects.filter(tribunal_reference=ANSWERED).exists():
        made_on = today - days(weeks=17)
        appeal = _heard_appeal(child, ANSWERED, today - days(weeks=40), made_on)
        _sent_evidence(appeal, trust, salt, dco, today - days(weeks=36), today - days(weeks=34))
        services.record_decision(appeal, made_on)
        recommendation = services.record_recommendation(
            appeal,
            made_on=made_on,
            recommendation="Health should provide a sleep clinic review.",
            user=dco,
        )
        services.draft_response(
            recommendation,
            response="follow",
            response_text="The community paediatric sleep clinic will see the child.",
            reasons="",
            user=dco,
        )
        services.approve_response(recommendation, dmo)
        Recommendation.objects.filter(pk=recommendation.pk).update(
            drafted_at=_at(made_on + days(weeks=2)), approved_at=_at(made_on + days(weeks=3))
        )
        services.record_response_sent(recommendation, made_on + days(weeks=4))
        made += 1

    if stdout is not None:
        stdout.write(f"Tribunal appeals: {made} added.")


def _heard_appeal(child, reference, registered_on, decided_on) -> Appeal:
    return services.record_appeal(
        child=child,
        decision_appealed=DecisionAppealed.CONTENTS,
        registered_on=registered_on,
        tribunal_reference=reference,
        hearing_on=decided_on,
        health_issues="Health provision in section G and the health needs in section C.",
        user=_user("send-officer"),
    )


def _sent_evidence(appeal, trust, writer, dco, due_on, sent_on) -> None:
    asked = services.request_evidence(
        appeal,
        provider=trust,
        asked="A report on the child's health needs and the provision that meets them.",
        due_on=due_on,
        user=dco,
    )
    services.write_evidence(asked, "The child's needs and provision are as in section G.", writer)
    # The demo tells a past appeal: asked and written on the days they would have been, not
    # on the day the demo is loaded (the portal refuses evidence sent before it was written).
    EvidenceRequest.objects.filter(pk=asked.pk).update(
        requested_at=_at(due_on - datetime.timedelta(weeks=3)),
        written_at=_at(sent_on - datetime.timedelta(days=2)),
    )
    services.record_evidence_sent(asked, sent_on)


def _at(day: datetime.date) -> datetime.datetime:
    """10:00 in London on ``day``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
