"""Upgrading a one-area database to local areas loses no meeting, clinic or concern record:
a database at the schema before local areas, holding a meeting series with a meeting and an
action, a referral with an appointment, a concern and two escalations, is migrated forward;
afterwards each series, concern and escalation belongs to the one area, each referral and
appointment to its child's, and every count is what it was. Run on SQLite and, with
DATABASE_URL, on PostgreSQL (the pattern of tests/test_local_areas_upgrade.py)."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.test_local_areas_upgrade import (
    SUNDERLAND,
    TODAY,
    before_local_areas,
    latest,
    migrate,
    populate,
)

COUNTED = (
    "meetings.MeetingSeries",
    "meetings.Meeting",
    "meetings.Action",
    "clinics.Referral",
    "clinics.Appointment",
    "intelligence.Concern",
    "intelligence.Escalation",
)


def populate_meetings_clinics_concerns(old) -> dict:
    User = old.get_model("roles", "User")
    Child = old.get_model("ehcp", "Child")
    dco = User.objects.filter(email__startswith="dco").first()
    series = old.get_model("meetings", "MeetingSeries").objects.create(
        name="SEND Health Café",
        kind="health-cafe",
        start_time=datetime.time(10),
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        starts_on=TODAY,
    )
    starts = timezone.make_aware(datetime.datetime(2026, 11, 10, 10))
    meeting = old.get_model("meetings", "Meeting").objects.create(
        series=series,
        occurrence_date=starts.date(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    old.get_model("meetings", "Action").objects.create(
        meeting=meeting, description="Write to the school", owner=dco, due_on=TODAY
    )
    children = list(Child.objects.order_by("pk"))
    referral = old.get_model("clinics", "Referral").objects.create(
        child=children[0],
        received_on=TODAY,
        source="gp",
        referrer_name="Dr A",
        reason="Social communication",
        assessment_due_by=TODAY + datetime.timedelta(weeks=18),
        created_by=dco,
    )
    for child, referral_of in ((children[0], referral), (children[1], None)):
        old.get_model("clinics", "Appointment").objects.create(
            kind="clinic" if referral_of else "individual",
            referral=referral_of,
            child=child,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            booked_by=dco,
        )
    theme, _ = old.get_model("intelligence", "Theme").objects.get_or_create(name="Waiting times")
    concern = old.get_model("intelligence", "Concern").objects.create(
        raised_on=TODAY, source="parent-carer-forum", summary="Long waits", logged_by=dco
    )
    concern.themes.add(theme)
    Escalation = old.get_model("intelligence", "Escalation")
    Escalation.objects.create(concern=concern, question="Why so long?", escalated_by=dco)
    Escalation.objects.create(theme=theme, question="Across the area?", escalated_by=dco)
    return {label: old.get_model(*label.split(".")).objects.count() for label in COUNTED}


@pytest.mark.django_db(transaction=True)
@override_settings(**SUNDERLAND)
def test_series_concerns_escalations_referrals_and_appointments_join_the_one_area():
    try:
        old = migrate(before_local_areas())
        populate(old)
        counts = populate_meetings_clinics_concerns(old)
        new = latest()
        area = new.get_model("roles", "LocalArea").objects.get()
        assert area.code == "E08000024"
        assert {
            label: new.get_model(*label.split(".")).objects.count() for label in COUNTED
        } == counts, "nothing lost"
        for label in (
            "meetings.MeetingSeries",
            "intelligence.Concern",
            "intelligence.Escalation",
            "intelligence.HistoricalConcern",
            "intelligence.HistoricalEscalation",
        ):
            model = new.get_model(*label.split("."))
            assert set(model.objects.values_list("area_id", flat=True)) <= {area.pk}, label
        for label in ("clinics.Referral", "clinics.Appointment"):
            rows = new.get_model(*label.split(".")).objects.values_list("area_id", "child__area_id")
            assert rows and all(own == childs == area.pk for own, childs in rows), label
    finally:
        latest()
