"""Meetings, clinics and the intelligence log hold two local areas apart.

Two areas of one ICB, each with a meeting series (its meeting, agenda item, paper and
action), an intelligence-sharing meeting, a child's clinic referral, appointment and support
offer, and a concern with its escalation. A DCO for each area, a Clinical Lead and a
commissioner for area A only, a DMO covering both, and the ICB's commissioner.

Every meetings, clinics and intelligence address taking an id (enumerated from the URL
resolver, so a new one cannot be forgotten) answers 404 to the person of area A asking for
area B's record, as if it did not exist, and is open to the person of area B (or covering
both). The lists, the CSV exports, the calendar feed and the report show a one-area person
their own area only.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from clinics import services as clinic_services
from clinics.models import Appointment
from ehcp.tests.factories import ChildFactory
from intelligence import services as intelligence_services
from intelligence.models import ConcernSource, Theme
from meetings.models import Action, AgendaItem, CalendarFeed, MeetingKind, Paper
from meetings.tests.factories import make_series, next_meeting
from roles.models import RoleCode
from tests.factories import IntegratedCareBoardFactory, LocalAreaFactory, person_holding

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def _area_records(label: str, area, dco, clinician, day: int) -> dict:
    """One area's records, made as the portal makes them where it matters (the services)."""
    today = timezone.localdate()
    series = make_series(name=f"Cafe {label}", area=area)
    meeting = next_meeting(series)
    item = AgendaItem.objects.create(meeting=meeting, position=1, title=f"Item {label}")
    paper = Paper.objects.create(
        meeting=meeting,
        title=f"Paper {label}",
        file=ContentFile(PDF, name="paper.pdf"),
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=dco,
    )
    action = Action.objects.create(
        meeting=meeting, owner=dco, due_on=today, description=f"Action of area {label}"
    )
    sharing = make_series(name=f"Sharing {label}", kind=MeetingKind.INTELLIGENCE_SHARING, area=area)
    child = ChildFactory(area=area, date_of_birth=today - datetime.timedelta(days=3 * 365))
    referral = clinic_services.refer(
        child=child,
        received_on=today - datetime.timedelta(days=7),
        source="gp",
        referrer_name="Dr Referrer",
        reason="Social communication.",
        consent_recorded=True,
        user=clinician,
    )
    referral = clinic_services.triage(referral, "accept", clinician)
    appointment = clinic_services.book_appointment(
        kind=Appointment.Kind.CLINIC,
        referral=referral,
        child=child,
        starts_at=timezone.now() + datetime.timedelta(days=day),
        minutes=60,
        clinicians=[clinician],
        user=clinician,
    )
    referral.outcome = "autism-diagnosed"
    referral.save()
    offer = clinic_services.offer_support(
        referral, kind="information-pack", offered_on=today, user=clinician
    )
    concern = intelligence_services.log_concern(
        raised_on=today,
        source=ConcernSource.SENDIASS,
        summary=f"Families of area {label} wait long for therapy",
        themes=[Theme.objects.filter(is_active=True).first()],
        logged_by=dco,
        area=area,
    )
    escalation = intelligence_services.escalate(dco, f"Question {label}?", concern=concern)
    return {
        "series": series,
        "meeting": meeting,
        "item": item,
        "paper": paper,
        "action": action,
        "sharing": next_meeting(sharing),
        "referral": referral,
        "appointment": appointment,
        "offer": offer,
        "concern": concern,
        "escalation": escalation,
    }


@pytest.fixture
def two_areas(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    icb = IntegratedCareBoardFactory()
    area_a = LocalAreaFactory(name="Area A", icb=icb)
    area_b = LocalAreaFactory(name="Area B", icb=icb)
    people = {
        "dco_a": person_holding(RoleCode.DCO, areas=[area_a]),
        "dco_b": person_holding(RoleCode.DCO, areas=[area_b]),
        "lead_a": person_holding(RoleCode.CLINICAL_LEAD, areas=[area_a]),
        "commissioner_a": person_holding(RoleCode.COMMISSIONER, areas=[area_a]),
        "dmo": person_holding(RoleCode.DMO, areas=[area_a, area_b]),
        "icb_commissioner": person_holding(RoleCode.COMMISSIONER, every_area_of_icb=icb),
    }
    records = {
        "A": _area_records("A", area_a, people["dco_a"], people["dmo"], day=2),
        "B": _area_records("B", area_b, people["dco_b"], people["dmo"], day=3),
    }
    return people, records


def _record_for(app: str, name: str) -> str:
    """Which record an address of ``app`` named ``name`` takes the id of."""
    if app == "meetings":
        return {
            "action-complete": "action",
            "item-record-save": "item",
            "agenda-item-edit": "item",
            "paper": "paper",
            "series": "series",
            "series-edit": "series",
        }.get(name, "meeting")
    if app == "clinics":
        if name == "support-offer":
            return "offer"
        return "appointment" if name.startswith("appointment") else "referral"
    return {
        "concern-from-appointment": "appointment",
        "meeting-concerns": "sharing",
        "escalation-answer": "escalation",
    }.get(name, "concern")


def _who(app: str, name: str) -> tuple[str, str]:
    """(the person of area A, the person who may reach area B's record) for the address."""
    if app == "meetings":
        return "dco_a", "dco_b"
    if app == "clinics" or name == "concern-from-appointment":
        return "lead_a", "dmo"
    if name == "escalation-answer":
        return "commissioner_a", "icb_commissioner"
    return "dco_a", "dco_b"


#: Themes are shared across the ICB (one vocabulary): their addresses are no area's.
SHARED = {("intelligence", "theme-merge"), ("intelligence", "theme-escalate")}
#: Pages that show the record (a GET answers 200 to the person who may reach it).
PAGES = {
    ("meetings", "meeting"),
    ("meetings", "series"),
    ("meetings", "chair"),
    ("clinics", "referral"),
    ("clinics", "appointment"),
    ("intelligence", "concern"),
    ("intelligence", "meeting-concerns"),
    ("intelligence", "escalation-answer"),
    ("intelligence", "concern-from-appointment"),
}


def _addresses_with_an_id():
    get_resolver().url_patterns  # noqa: B018 (loads the portal's URLs: the id converter)
    for app in ("meetings", "clinics", "intelligence"):
        for pattern in get_resolver(f"{app}.urls").url_patterns:
            if "<id:pk>" in str(pattern.pattern) and (app, pattern.name) not in SHARED:
                yield app, pattern.name


@pytest.mark.django_db
def test_another_areas_ids_answer_404_and_the_right_person_reaches_them(client, two_areas):
    people, records = two_areas
    addresses = list(_addresses_with_an_id())
    assert len(addresses) >= 30  # meetings, clinics and intelligence together
    requests = refusals = 0
    for app, name in addresses:
        url = reverse(f"{app}:{name}", args=[records["B"][_record_for(app, name)].pk])
        outsider, insider = _who(app, name)
        client.force_login(people[outsider])
        got, posted = client.get(url).status_code, client.post(url, {}).status_code
        # A page for posting only may answer a GET with 405 before reading anything.
        assert got in (404, 405) and posted == 404, (name, outsider, got, posted)
        requests, refusals = requests + 2, refusals + (got == 404) + (posted == 404)
        client.force_login(people[insider])
        reached = client.get(url).status_code
        assert reached != 404, (name, insider)
        if (app, name) in PAGES:
            assert reached == 200, (name, insider, reached)
    print(f"{requests} requests for another area's ids, {refusals} answered 404")


@pytest.mark.django_db
def test_the_lists_and_exports_show_only_the_persons_area(client, two_areas):
    people, records = two_areas
    client.force_login(people["dco_a"])

    dashboard = client.get(reverse("meetings:dashboard")).content.decode()
    assert "Cafe A" in dashboard and "Cafe B" not in dashboard
    series = client.get(reverse("meetings:series-list")).content.decode()
    assert "Cafe A" in series and "Cafe B" not in series
    actions = client.get(reverse("meetings:actions")).content.decode()
    assert "Action of area A" in actions and "Action of area B" not in actions
    csv = client.get(reverse("meetings:actions-csv"), {"status": "all"})
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()
    assert "Action of area A" in text and "Action of area B" not in text

    concerns = client.get(reverse("intelligence:concerns")).content.decode()
    assert "area A wait" in concerns and "area B wait" not in concerns
    today = timezone.localdate()
    period = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": str(today)}
    csv = client.get(reverse("intelligence:concerns-csv"), period)
    text = b"".join(csv.streaming_content).decode()
    assert "area A wait" in text and "area B wait" not in text
    escalations = client.get(reverse("intelligence:escalations"))
    assert [e.question for e in escalations.context["page"]] == ["Question A?"]

    client.force_login(people["lead_a"])
    referrals = client.get(reverse("clinics:referrals"))
    assert [row.referral.pk for row in referrals.context["page"]] == [records["A"]["referral"].pk]
    appointments = client.get(reverse("clinics:appointments"))
    assert [a.pk for a in appointments.context["page"]] == [records["A"]["appointment"].pk]


@pytest.mark.django_db
def test_the_calendar_feed_holds_the_persons_own_areas_meetings(client, two_areas):
    people, _ = two_areas

    def feed(person) -> str:
        token = CalendarFeed.objects.create(user=person).token
        return client.get(reverse("meetings:calendar-feed", args=[token])).content.decode()

    own = feed(people["dco_a"])
    assert "Cafe A" in own and "Cafe B" not in own
    assert "SEND meetings – Area A" in own  # named for the person's area, not the deployment's
    # The DMO is a member (by the DMO role) of both areas' series, working in both.
    both = feed(people["dmo"])
    assert "Cafe A" in both and "Cafe B" in both


@pytest.mark.django_db
def test_the_report_counts_the_readers_areas_only(client, two_areas):
    people, _ = two_areas
    today = timezone.localdate()
    period = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": str(today)}

    client.force_login(people["commissioner_a"])
    one_area = client.get(reverse("intelligence:report"), period).context
    client.force_login(people["icb_commissioner"])
    whole_icb = client.get(reverse("intelligence:report"), period).context

    assert one_area["concerns"]["total"] == 1
    assert one_area["escalations"]["raised"] == 1
    assert one_area["clinic"]["referrals"] == 1
    assert whole_icb["concerns"]["total"] == 2
    assert whole_icb["escalations"]["raised"] == 2
    assert whole_icb["clinic"]["referrals"] == 2


@pytest.mark.django_db
def test_someone_working_in_several_areas_sees_the_area_named_on_each_row(client, two_areas):
    people, _ = two_areas

    client.force_login(people["dmo"])
    both = client.get(reverse("clinics:referrals")).content.decode()
    assert "Area A" in both and "Area B" in both
    client.force_login(people["lead_a"])
    one = client.get(reverse("clinics:referrals")).content.decode()
    # The header names the area the person works in; the rows do not repeat it.
    rows = one.split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    assert "<table" in rows and "Area A" not in rows  # one area: nothing to tell apart

    client.force_login(people["icb_commissioner"])
    escalations = client.get(reverse("intelligence:escalations")).content.decode()
    assert "Area A" in escalations and "Area B" in escalations


@pytest.mark.django_db
def test_reminders_go_to_the_members_and_chairs_of_the_series_area(two_areas):
    from meetings.selectors import attendance_forecast, core_members, people_of_series

    people, records = two_areas
    series_a, series_b = records["A"]["series"], records["B"]["series"]

    found = people_of_series([series_a, series_b])
    members_b, chairs_b = found[series_b.pk]
    # The DCO role chairs and is a member of both series: each area's DCO, not the other's;
    # the DMO works in both areas and is a member of both.
    assert people["dco_b"] in chairs_b and people["dco_a"] not in chairs_b
    assert people["dco_b"] in members_b and people["dco_a"] not in members_b
    assert people["dmo"] in members_b and people["dmo"] in found[series_a.pk][0]
    assert people["lead_a"] in found[series_a.pk][0] and people["lead_a"] not in members_b
    assert set(core_members(series_b)) == set(members_b)
    expected = attendance_forecast([records["B"]["meeting"]])[records["B"]["meeting"].pk]
    assert {row.user for row in expected} == set(members_b)


@pytest.mark.django_db
def test_a_new_series_quorum_counts_the_members_of_its_own_area(two_areas):
    from meetings.forms import SeriesForm
    from roles.models import Role

    people, _ = two_areas
    form = SeriesForm(user=people["dco_a"])  # one area: the series is area A's

    # Two DCOs hold the role, one of them in area A.
    assert form.member_count({"member_roles": [Role.objects.get(code=RoleCode.DCO)]}) == 1


@pytest.mark.django_db
def test_an_appointment_offers_the_clinicians_of_the_persons_areas(two_areas):
    from clinics.forms import AppointmentForm

    people, _ = two_areas
    lead_b = person_holding(RoleCode.CLINICAL_LEAD, areas=[_area("Area B")])

    offered = set(AppointmentForm(user=people["lead_a"]).fields["clinicians"].queryset)

    assert people["lead_a"] in offered and people["dmo"] in offered
    assert lead_b not in offered


def _area(name: str):
    from roles.models import LocalArea

    return LocalArea.objects.get(name=name)


@pytest.mark.django_db
def test_a_person_named_on_another_areas_series_keeps_seeing_it(client, two_areas):
    from meetings.models import SeriesMember

    people, records = two_areas
    series_b, meeting_b = records["B"]["series"], records["B"]["meeting"]
    SeriesMember.objects.create(series=series_b, user=people["lead_a"])
    client.force_login(people["lead_a"])

    assert client.get(reverse("meetings:meeting", args=[meeting_b.pk])).status_code == 200
    mine = client.get(reverse("meetings:mine")).content.decode()
    assert "Cafe B" in mine
    # A member, not the one who runs it: area B's DCO chairs, area A's people do not.
    assert client.get(reverse("meetings:chair", args=[meeting_b.pk])).status_code == 403
    client.force_login(people["dco_a"])
    assert client.get(reverse("meetings:chair", args=[meeting_b.pk])).status_code == 404


@pytest.mark.django_db
def test_someone_in_two_areas_imports_concerns_into_the_area_they_choose(client, two_areas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from intelligence.models import Concern

    people, _ = two_areas
    both = person_holding(RoleCode.DCO, areas=[_area("Area A"), _area("Area B")])
    theme = Theme.objects.filter(is_active=True, merged_into__isnull=True).first()
    csv = (
        "raised_on,source,service,themes,summary,families\n"
        f"{timezone.localdate()},sendiass,salt,{theme.name},Long waits for therapy in B,2\n"
    )
    client.force_login(both)
    url = reverse("intelligence:concern-import")
    upload = SimpleUploadedFile("concerns.csv", csv.encode(), content_type="text/csv")

    checked = client.post(url, {"file": upload, "area": _area("Area B").pk})
    page = checked.content.decode()
    assert "for Area B" in page
    client.post(url, {"confirm": "1", "csv_text": csv, "area": _area("Area B").pk})

    imported = Concern.objects.get(summary="Long waits for therapy in B")
    assert imported.area == _area("Area B")
    # An area the person does not work in is refused, and nothing is imported.
    outside = LocalAreaFactory(name="Area C")
    refused = client.post(url, {"confirm": "1", "csv_text": csv, "area": outside.pk})
    assert refused.status_code == 404
