"""The rules each change to an appeal keeps (tribunal/services.py)."""

import datetime

import pytest
from django.utils import timezone

from tribunal import services
from tribunal.models import Recommendation
from tribunal.services import RefusedChange

from .conftest import make_appeal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_an_appeal_is_recorded_with_its_details(dco, child_of_provider_a):
    appeal = make_appeal(dco, child=child_of_provider_a, hearing_on=TODAY())
    assert appeal.tribunal_reference == "EH123/26/00001"
    assert appeal.status == appeal.Status.OPEN
    assert appeal.history.count() == 1


def test_an_appeal_registered_in_the_future_is_refused(dco):
    with pytest.raises(RefusedChange, match="today or in the past"):
        make_appeal(dco, registered_on=TODAY() + datetime.timedelta(days=1))


def test_a_hearing_before_registration_is_refused(dco):
    with pytest.raises(RefusedChange, match="hearing cannot be before"):
        make_appeal(dco, hearing_on=TODAY() - datetime.timedelta(weeks=20))


def test_evidence_is_written_then_sent_and_then_fixed(evidence_request, health_professional_a, dco):
    with pytest.raises(RefusedChange, match="not been written"):
        services.record_evidence_sent(evidence_request, TODAY())
    services.write_evidence(evidence_request, "Needs weekly therapy.", health_professional_a)
    sent = services.record_evidence_sent(evidence_request, TODAY())
    assert sent.sent_on == TODAY()
    with pytest.raises(RefusedChange, match="cannot be changed"):
        services.write_evidence(evidence_request, "Changed.", health_professional_a)


def test_a_witness_is_confirmed_once(appeal, dco):
    witness = services.add_witness(appeal, name="Ada Therapist", role="SLT, Provider A", user=dco)
    services.confirm_witness(witness, TODAY())
    with pytest.raises(RefusedChange, match="confirmed already"):
        services.confirm_witness(witness, TODAY())


def test_the_response_due_date_is_stored_from_the_recommendation(recommendation):
    assert recommendation.response_due == recommendation.made_on + datetime.timedelta(weeks=5)


@pytest.mark.parametrize(
    "response", [Recommendation.Response.NOT_FOLLOW, Recommendation.Response.FOLLOW_IN_PART]
)
def test_a_response_not_following_in_full_is_refused_without_reasons(recommendation, dco, response):
    with pytest.raises(RefusedChange, match="Give the reasons"):
        services.draft_response(
            recommendation, response=response, response_text="We will not.", reasons="  ", user=dco
        )
    recommendation.refresh_from_db()
    assert recommendation.drafted_at is None


def test_reasons_are_not_kept_when_the_recommendation_is_followed(recommendation, dco):
    drafted = services.draft_response(
        recommendation,
        response=Recommendation.Response.FOLLOW,
        response_text="We will commission the sessions.",
        reasons="left over",
        user=dco,
    )
    assert drafted.reasons == ""


def test_a_response_saved_without_reasons_is_never_approved(recommendation, dco, dmo):
    # Saved around the service (as an import or the shell could): approval checks again.
    recommendation.response = Recommendation.Response.NOT_FOLLOW
    recommendation.response_text = "No."
    recommendation.drafted_by = dco
    recommendation.drafted_at = timezone.now()
    recommendation.save()
    with pytest.raises(RefusedChange, match="Give the reasons"):
        services.approve_response(recommendation, dmo)


def _draft(recommendation, dco):
    return services.draft_response(
        recommendation,
        response=Recommendation.Response.NOT_FOLLOW,
        response_text="We will review the child's needs in the annual review.",
        reasons="Weekly therapy is not clinically indicated; termly review is.",
        user=dco,
    )


def test_the_response_is_approved_by_someone_other_than_its_author_then_sent(
    recommendation, dco, commissioner
):
    _draft(recommendation, dco)
    with pytest.raises(RefusedChange, match="approved before it is sent"):
        services.record_response_sent(recommendation, TODAY())
    with pytest.raises(RefusedChange, match="other than its author"):
        services.approve_response(recommendation, dco)
    services.approve_response(recommendation, commissioner)
    with pytest.raises(RefusedChange, match="cannot be changed"):
        _draft(recommendation, dco)
    sent = services.record_response_sent(recommendation, TODAY())
    assert sent.sent_on == TODAY() and sent.stage == "sent"


def test_the_decision_closes_the_appeal_to_new_evidence_and_witnesses(appeal, dco, provider_a):
    with pytest.raises(RefusedChange, match="before the appeal was registered"):
        services.record_decision(appeal, appeal.registered_on - datetime.timedelta(days=1))
    decided = services.record_decision(appeal, TODAY())
    assert (decided.status, decided.decided_on) == (decided.Status.DECIDED, TODAY())
    with pytest.raises(RefusedChange, match="recorded already"):
        services.record_decision(appeal, TODAY())
    with pytest.raises(RefusedChange, match="while the appeal is open"):
        services.request_evidence(
            appeal, provider=provider_a, asked="More.", due_on=TODAY(), user=dco
        )
    with pytest.raises(RefusedChange, match="while the appeal is open"):
        services.add_witness(appeal, name="Late", role="SLT", user=dco)
    # The Tribunal's recommendations come with its decision: still recorded after it.
    services.record_recommendation(appeal, made_on=TODAY(), recommendation="R.", user=dco)


# A date typed for something that happened after another step cannot be before that step:
# the evidence is sent on or after the day it was written, the response on or after the day
# it was approved, a witness is confirmed on or after the appeal was registered.


def test_evidence_cannot_be_sent_before_the_day_it_was_written(
    evidence_request, health_professional_a
):
    services.write_evidence(evidence_request, "Needs weekly therapy.", health_professional_a)
    with pytest.raises(RefusedChange, match="before the day it was written"):
        services.record_evidence_sent(evidence_request, TODAY() - datetime.timedelta(days=1))
    evidence_request.refresh_from_db()
    assert evidence_request.sent_on is None


def test_the_response_cannot_be_sent_before_the_day_it_was_approved(
    recommendation, dco, commissioner
):
    _draft(recommendation, dco)
    services.approve_response(recommendation, commissioner)
    with pytest.raises(RefusedChange, match="before the day it was approved"):
        services.record_response_sent(recommendation, TODAY() - datetime.timedelta(days=1))
    recommendation.refresh_from_db()
    assert recommendation.sent_on is None


def test_a_witness_cannot_be_confirmed_before_the_appeal_was_registered(appeal, dco):
    witness = services.add_witness(appeal, name="Ada Therapist", role="SLT, Provider A", user=dco)
    with pytest.raises(RefusedChange, match="before the appeal was registered"):
        services.confirm_witness(witness, appeal.registered_on - datetime.timedelta(days=1))
