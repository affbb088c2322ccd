"""The changes a council's case system follows (issue 19): each of the four services writes
exactly one ``CaseChange`` in its own transaction, and ``selectors.changes_after`` reads a
council's changes after a cursor, a page at a time, in its areas only, without missing a
change that commits late."""

import datetime
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction

from ehcp import selectors, services
from ehcp.models import CASE_CHANGES_LOCK, CaseChange, CommissionerAgreement, Plan, SignOff
from ehcp.signals import case_changed
from ehcp.tests.factories import (
    ChildFactory,
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)
from roles.models import Organisation, RoleCode
from tests.factories import (
    DEFAULT_TEST_PASSWORD,
    LocalAreaFactory,
    OrganisationFactory,
    person_holding,
)

Kind = CaseChange.Kind


def council_officer(*areas):
    return person_holding(
        RoleCode.SEND_OFFICER,
        OrganisationFactory(kind=Organisation.Kind.COUNCIL),
        areas=list(areas),
    )


@pytest.fixture
def waiting_version(db, clinical_lead):
    return make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()


# --- Each service writes one change, in its transaction ----------------------------------------


@pytest.mark.django_db
def test_returning_advice_writes_one_change_naming_the_request(health_professional_a, provider_a):
    advice = make_advice_request(provider=provider_a)

    services.submit_advice(advice, health_professional_a, "Needs weekly therapy.", False)

    change = CaseChange.objects.get()
    advice.refresh_from_db()
    assert change.kind == Kind.ADVICE_RETURNED
    assert (change.child_id, change.area_id, change.assessment_id) == (
        advice.assessment.child_id,
        advice.area_id,
        advice.assessment_id,
    )
    assert (change.advice_request_id, change.version_id) == (advice.pk, None)
    assert change.occurred_at == advice.submitted_at


@pytest.mark.django_db
def test_signing_off_writes_one_change_naming_the_version(waiting_version, dmo):
    signed = services.sign_off(waiting_version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")

    change = CaseChange.objects.get()
    assert change.kind == Kind.SECTIONS_SIGNED
    assert (change.version_id, change.advice_request_id) == (waiting_version.pk, None)
    assert change.assessment_id == waiting_version.plan.assessment_id
    assert change.area_id == waiting_version.plan.area_id
    assert change.occurred_at == signed.signed_at


@pytest.mark.django_db
def test_returning_sections_writes_one_change_naming_the_version(waiting_version, dmo):
    returned = services.return_for_amendment(waiting_version, dmo, "Quantify the therapy.")

    change = CaseChange.objects.get()
    assert change.kind == Kind.SECTIONS_RETURNED
    assert change.version_id == waiting_version.pk
    assert change.occurred_at == returned.returned_at


@pytest.mark.django_db
def test_the_icbs_agreement_writes_one_change_after_the_sign_offs(
    waiting_version, dmo, commissioner
):
    services.sign_off(waiting_version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")

    agreement = services.agree_provision(waiting_version, commissioner, "Funded.")

    kinds = list(CaseChange.objects.values_list("kind", "version_id"))
    assert kinds == [
        (Kind.SECTIONS_SIGNED, waiting_version.pk),
        (Kind.PROVISION_AGREED, waiting_version.pk),
    ]
    assert CaseChange.objects.last().occurred_at == agreement.agreed_at


@pytest.mark.django_db
def test_a_refused_change_writes_no_case_change(
    waiting_version, dmo, commissioner, health_professional_a
):
    returned_already = make_advice_request()
    services.submit_advice(returned_already, health_professional_a, "Advice.", False)
    before = CaseChange.objects.count()

    refusals = [
        lambda: services.submit_advice(returned_already, health_professional_a, "Again", False),
        lambda: services.sign_off(waiting_version, dmo, "not the password", "GMC 7012345"),
        lambda: services.return_for_amendment(waiting_version, dmo, "   "),
        # Not signed off yet: the ICB may not agree it.
        lambda: services.agree_provision(waiting_version, commissioner),
    ]
    for refused in refusals:
        with pytest.raises(services.RefusedChange):
            refused()

    assert CaseChange.objects.count() == before
    assert not SignOff.objects.exists() and not CommissionerAgreement.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_change_and_its_record_commit_or_roll_back_together(waiting_version, dmo):
    """A receiver of ``case_changed`` that fails (the webhooks' queueing, say) fails the
    sign-off: there is never a sign-off the councils do not hear of, nor a change told
    of a sign-off that was rolled back."""

    def failing_receiver(sender, change, **kwargs):
        assert CaseChange.objects.filter(pk=change.pk).exists()  # written, not yet committed
        raise IntegrityError("the webhooks could not be queued")

    case_changed.connect(failing_receiver, dispatch_uid="test-failing-receiver")
    try:
        with pytest.raises(IntegrityError):
            services.sign_off(waiting_version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    finally:
        case_changed.disconnect(dispatch_uid="test-failing-receiver")

    assert not CaseChange.objects.exists()
    assert not SignOff.objects.exists()
    assert Plan.objects.get().status == Plan.Status.AWAITING_SIGN_OFF


@pytest.mark.django_db
def test_a_change_is_never_changed_or_deleted(health_professional_a):
    advice = make_advice_request()
    services.submit_advice(advice, health_professional_a, "Advice.", False)
    change = CaseChange.objects.get()

    with pytest.raises(ValueError, match="never changed"):
        change.save()
    with pytest.raises(ValueError, match="never deleted"):
        change.delete()
    if connection.vendor == "postgresql":
        # The database refuses it too, from outside the model.
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseChange.objects.filter(pk=change.pk).update(kind=Kind.SECTIONS_SIGNED)
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseChange.objects.filter(pk=change.pk).delete()
    assert CaseChange.objects.get().kind == Kind.ADVICE_RETURNED


# --- The feed: cursor, pages, reach -----------------------------------------------------------


def return_advice(how_many, area=None):
    """``how_many`` pieces of advice returned in ``area``: a change each, in order."""
    from tests.factories import UserFactory

    writer = UserFactory()
    for _ in range(how_many):
        advice = make_advice_request(assessment=make_assessment(child=ChildFactory(area=area)))
        services.submit_advice(advice, writer, "Advice.", False)


@pytest.mark.django_db
def test_the_feed_is_read_a_page_at_a_time_from_a_cursor_to_the_end():
    area = LocalAreaFactory(name="Sunderland")
    return_advice(5, area)
    officer = council_officer(area)
    expected = list(CaseChange.objects.order_by("id").values_list("pk", flat=True))

    seen, position, pages = [], None, 0
    while True:
        page = selectors.changes_after(officer, position, limit=2)
        seen += [change.pk for change in page.changes]
        pages += 1
        if not page.more:
            break
        position = page.position

    assert seen == expected and pages == 3
    # Read again from the end: nothing new, and the cursor stays where it was.
    last = selectors.changes_after(officer, page.position, limit=2)
    assert (last.changes, last.position, last.more) == ([], page.position, False)
    # A change made later comes after the cursor.
    return_advice(1, area)
    later = selectors.changes_after(officer, page.position)
    assert [change.pk for change in later.changes] == [CaseChange.objects.latest("id").pk]


@pytest.mark.django_db
def test_a_council_reads_its_own_areas_changes_and_never_another_councils():
    sunderland = LocalAreaFactory(name="Sunderland")
    gateshead = LocalAreaFactory(name="Gateshead")
    return_advice(2, sunderland)
    return_advice(3, gateshead)
    sunderland_council = council_officer(sunderland)
    gateshead_council = council_officer(gateshead)
    both = council_officer(sunderland, gateshead)

    def areas_read(person):
        return [c.area_id for c in selectors.changes_after(person).changes]

    assert areas_read(sunderland_council) == [sunderland.pk] * 2
    assert areas_read(gateshead_council) == [gateshead.pk] * 3
    assert sorted(areas_read(both)) == sorted([sunderland.pk] * 2 + [gateshead.pk] * 3)


@pytest.mark.django_db
def test_an_account_working_in_no_area_reads_nothing(
    health_professional_a, administrator, no_role_user
):
    return_advice(2, LocalAreaFactory(name="Sunderland"))
    ended = person_holding(
        RoleCode.SEND_OFFICER,
        areas=[LocalAreaFactory(name="Sunderland")],
        starts_on=datetime.date(2019, 1, 1),
        ends_on=datetime.date(2020, 1, 1),
    )
    inactive = council_officer(LocalAreaFactory(name="Sunderland"))
    inactive.is_active = False
    inactive.save()

    # Not "everything", as reachable_by would leave it for roles not held in areas.
    for person in (health_professional_a, administrator, no_role_user, ended, inactive):
        assert selectors.changes_after(person).changes == [], person


@pytest.mark.django_db
def test_a_page_of_the_feed_is_one_query_however_many_changes(django_assert_num_queries):
    area = LocalAreaFactory(name="Sunderland")
    return_advice(30, area)
    officer = council_officer(area)
    selectors.changes_after(officer)  # the roles and areas, read with the user on a request

    # The changes of the page, with one more to tell whether more wait.
    with django_assert_num_queries(1):
        page = selectors.changes_after(officer, limit=25)
    assert len(page.changes) == 25 and page.more


# --- A change that commits late is not missed (PostgreSQL) ------------------------------------


def in_thread(work):
    """Run ``work`` in a thread with its own database connection, as another worker would."""
    errors = []

    def run():
        try:
            work()
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def writers_waiting_their_turn() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND objid = %s",
            [CASE_CHANGES_LOCK & 0xFFFFFFFF],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers")
@pytest.mark.django_db(transaction=True)
def test_a_change_cannot_commit_after_a_later_one_so_a_cursor_misses_nothing():
    """Transaction A writes change X and is slow to commit. Were B free to write change Y
    (a higher id) and commit meanwhile, a reader could take Y and keep "after Y", and never
    see X. B waits its turn instead: Y takes its id only once A has committed, and a reader
    in between sees neither."""
    area = LocalAreaFactory(name="Sunderland")
    officer = council_officer(area)
    assessments = [make_assessment(child=ChildFactory(area=area)) for _ in range(2)]
    advice = [make_advice_request(assessment=assessment) for assessment in assessments]
    a_wrote, a_may_commit = threading.Event(), threading.Event()

    def slow_a():
        with transaction.atomic():
            services.record_case_change(
                Kind.ADVICE_RETURNED, assessment=assessments[0], advice_request=advice[0]
            )
            a_wrote.set()
            a_may_commit.wait(10)

    def b():
        with transaction.atomic():
            services.record_case_change(
                Kind.ADVICE_RETURNED, assessment=assessments[1], advice_request=advice[1]
            )

    a, a_errors = in_thread(slow_a)
    assert a_wrote.wait(10)
    b_thread, b_errors = in_thread(b)
    assert wait_until(lambda: writers_waiting_their_turn() == 1)

    between = selectors.changes_after(officer)
    assert between.changes == [] and not CaseChange.objects.exists()

    a_may_commit.set()
    a.join(10)
    b_thread.join(10)
    assert a_errors == [] and b_errors == []
    x = CaseChange.objects.get(assessment=assessments[0])
    y = CaseChange.objects.get(assessment=assessments[1])
    assert x.pk < y.pk
    after = selectors.changes_after(officer, between.position)
    assert [change.pk for change in after.changes] == [x.pk, y.pk]


@pytest.mark.django_db(transaction=True)
def test_a_change_is_written_only_inside_the_transaction_of_its_change():
    assessment = make_assessment()

    with pytest.raises(RuntimeError, match="inside the transaction"):
        CaseChange(
            kind=Kind.ADVICE_RETURNED, child_id=assessment.child_id, assessment=assessment
        ).save()
