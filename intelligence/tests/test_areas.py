"""The ICB's page: each area's figures side by side and in total (intelligence/areas.py)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinics.models import Referral
from ehcp.models import ClockException, SignOff
from ehcp.tests.factories import (
    ChildFactory,
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)
from intelligence.areas import compare_areas
from intelligence.models import ConcernSource, Theme
from intelligence.national_figures import PLANS_WITHIN_20_WEEKS
from intelligence.periods import Period
from intelligence.services import log_concern
from roles.models import RoleCode
from tests.factories import IntegratedCareBoardFactory, LocalAreaFactory, person_holding

D = datetime.date
PERIOD = Period(D(2025, 4, 1), D(2025, 6, 30))
BEFORE = PERIOD.before()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _area_figures(area, dco, dmo, *, on_time: bool, sign_off_days: int, concerns: int, theme):
    """One area's records in PERIOD: a child's advice returned (in time or late with an
    exception), a final plan issued (in time or late), a sign-off after ``sign_off_days``,
    ``concerns`` concerns under ``theme`` and a clinic referral given its outcome."""
    child = ChildFactory(area=area)
    assessment = make_assessment(child=child, requested_on=D(2025, 2, 1))
    returned = D(2025, 4, 28) if on_time else D(2025, 5, 20)
    advice = make_advice_request(assessment, due_on=D(2025, 4, 30), returned_on=returned)
    if not on_time:
        ClockException.objects.create(
            assessment=assessment,
            advice_request=advice,
            applies_to=ClockException.AppliesTo.HEALTH_ADVICE,
            reason="missed-appointment",
            applies_from=D(2025, 4, 1),
            recorded_by=dco,
        )
    issued = make_assessment(child=ChildFactory(area=area), requested_on=D(2025, 1, 6))
    late_by = datetime.timedelta(days=0 if on_time else 10)
    type(issued).objects.filter(pk=issued.pk).update(
        final_issued_on=issued.final_plan_due + late_by
    )
    sent = D(2025, 5, 1)
    with time_machine.travel(at(sent)):
        plan = make_plan_waiting_for_sign_off(child=ChildFactory(area=area))
    SignOff.objects.create(
        version=plan.versions.get(),
        signed_by=dmo,
        role_name="Designated Medical Officer",
        organisation_name="Provider A",
        registration_number="GMC 1234567",
        attestation="I sign off",
        signed_at=at(sent + datetime.timedelta(days=sign_off_days)),
        text_hash="0" * 64,
    )
    for _ in range(concerns):
        log_concern(
            raised_on=D(2025, 5, 5),
            source=ConcernSource.SENDIASS,
            summary="Families wait long for therapy.",
            themes=[theme],
            logged_by=dco,
            area=area,
        )
    Referral.objects.create(
        child=ChildFactory(area=area),
        received_on=D(2025, 3, 1),
        source="gp",
        referrer_name="Dr Referrer",
        reason="Social communication.",
        consent_recorded=True,
        created_by=dmo,
        outcome_on=D(2025, 3, 1) + datetime.timedelta(weeks=6 if on_time else 10),
        outcome="autism-diagnosed",
    )


@pytest.fixture
def icb(db):
    icb = IntegratedCareBoardFactory()
    south = LocalAreaFactory(name="South Tyneside", icb=icb)
    north = LocalAreaFactory(name="Sunderland", icb=icb)
    dmo = person_holding(RoleCode.DMO, areas=[south, north])
    waiting, talking = (Theme.objects.create(name=name) for name in ("Waiting", "Talking"))
    _area_figures(
        south,
        person_holding(RoleCode.DCO, areas=[south]),
        dmo,
        on_time=True,
        sign_off_days=3,
        concerns=2,
        theme=waiting,
    )
    _area_figures(
        north,
        person_holding(RoleCode.DCO, areas=[north]),
        dmo,
        on_time=False,
        sign_off_days=7,
        concerns=1,
        theme=talking,
    )
    return {"icb": icb, "south": south, "north": north, "dmo": dmo}


def test_each_area_has_its_own_figures_and_the_whole_pools_them(icb):
    figures = compare_areas(PERIOD, BEFORE, {icb["south"].pk, icb["north"].pk})
    south, north = figures["areas"]  # in alphabetical order
    assert (south["name"], north["name"]) == ("South Tyneside", "Sunderland")
    total = figures["total"]

    assert south["now"]["advice"]["percent"] == 100.0
    assert north["now"]["advice"]["percent"] == 0.0
    assert north["now"]["advice"]["percent_with_exceptions"] == 100.0
    assert total["now"]["advice"]["percent"] == 50.0
    assert total["now"]["advice"]["returned"] == 2

    assert south["now"]["plans"]["percent"] == 100.0
    assert north["now"]["plans"]["percent"] == 0.0
    assert total["now"]["plans"]["issued"] == 2
    assert total["now"]["plans"]["percent_leaving_out"] == 50.0

    assert south["now"]["sign_offs"] == {"signed_off": 1, "median_days": 3.0}
    assert north["now"]["sign_offs"] == {"signed_off": 1, "median_days": 7.0}
    # The whole's median is over every sign-off, not the areas' medians.
    assert total["now"]["sign_offs"] == {"signed_off": 2, "median_days": 5.0}

    assert south["now"]["concerns"] == {
        "raised": 2,
        "commonest_theme": {"name": "Waiting", "count": 2},
    }
    assert north["now"]["concerns"]["commonest_theme"] == {"name": "Talking", "count": 1}
    assert total["now"]["concerns"]["raised"] == 3

    assert south["now"]["clinic"]["median_weeks"] == 6.0
    assert north["now"]["clinic"]["median_weeks"] == 10.0
    assert total["now"]["clinic"]["median_weeks"] == 8.0
    # Nothing happened in the period before.
    assert total["before"]["advice"]["percent"] is None
    assert total["before"]["concerns"]["raised"] == 0
    assert figures["rows"][-1] is total


def test_the_queries_do_not_grow_with_the_areas(icb):
    two = {icb["south"].pk, icb["north"].pk}
    more = two | {LocalAreaFactory(name=f"Place {n}", icb=icb["icb"]).pk for n in range(11)}
    with CaptureQueriesContext(connection) as of_two:
        compare_areas(PERIOD, BEFORE, two)
    with CaptureQueriesContext(connection) as of_thirteen:
        figures = compare_areas(PERIOD, BEFORE, more)
    assert len(figures["areas"]) == 13
    assert len(of_two) == len(of_thirteen) <= 14


def test_the_icb_commissioner_sees_both_areas_and_the_whole(client, icb):
    client.force_login(person_holding(RoleCode.COMMISSIONER, every_area_of_icb=icb["icb"]))
    page = client.get(reverse("intelligence:areas"), {"start": "2025-04-01", "end": "2025-06-30"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "South Tyneside" in html and "Sunderland" in html and "All areas" in html
    assert f"{PLANS_WITHIN_20_WEEKS.percent}%" in html and PLANS_WITHIN_20_WEEKS.url in html


def test_a_one_area_reader_sees_their_area_only_and_no_link_to_compare(client, icb):
    client.force_login(person_holding(RoleCode.COMMISSIONER, areas=[icb["south"]]))
    page = client.get(reverse("intelligence:areas"), {"start": "2025-04-01", "end": "2025-06-30"})
    assert [row["name"] for row in page.context["rows"]] == ["South Tyneside"]
    main = page.content.decode().split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    assert "Sunderland" not in main and "All areas" not in main
    report = client.get(reverse("intelligence:report")).content.decode()
    assert reverse("intelligence:areas") not in report


def test_the_report_links_someone_working_in_two_areas_to_them_side_by_side(client, icb):
    client.force_login(icb["dmo"])
    report = client.get(reverse("intelligence:report")).content.decode()
    assert reverse("intelligence:areas") + "?start=" in report


def test_a_bad_period_is_a_clear_error(client, icb):
    client.force_login(icb["dmo"])
    page = client.get(reverse("intelligence:areas"), {"start": "2025-06-30", "end": "2025-04-01"})
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()


def test_people_who_do_not_read_reports_are_refused(client, icb):
    client.force_login(person_holding(RoleCode.SENDIASS_OFFICER, areas=[icb["south"]]))
    assert client.get(reverse("intelligence:areas")).status_code == 403


# --- A governance pack of one area, or of all the asker's ----------------------------------


def _pack_built_for(monkeypatch, pack) -> dict:
    """Build ``pack`` with its page captured instead of drawn as a PDF: what it was of."""
    from intelligence import exports, services

    seen = {}
    page_of = exports.pack_html

    def captured(period, today=None, *, areas):
        seen["areas"] = set(areas)
        seen["html"] = page_of(period, today, areas=areas)
        return seen["html"]

    monkeypatch.setattr("intelligence.exports.pack_html", captured)
    monkeypatch.setattr("send_portal.pdf.render_pdf", lambda html: b"%PDF-1.4 captured")
    services.build_report_pack(str(pack.pk))
    return seen


def test_someone_in_two_areas_chooses_one_areas_pack_or_all(
    client, icb, monkeypatch, settings, tmp_path
):
    from intelligence.models import ReportPack

    settings.MEDIA_ROOT = tmp_path
    client.force_login(icb["dmo"])
    report = client.get(reverse("intelligence:report"))
    choices = dict(report.context["pack_form"].fields["area"].choices)
    assert choices == {
        "": "All your local areas",
        icb["south"].pk: "South Tyneside",
        icb["north"].pk: "Sunderland",
    }
    dates = {"start": "2025-04-01", "end": "2025-06-30"}
    client.post(reverse("intelligence:pack-start"), {**dates, "area": icb["north"].pk})
    one = ReportPack.objects.get()
    assert one.area == icb["north"]
    status = client.get(reverse("intelligence:pack-status", kwargs={"pack": one.pk}))
    assert "Of Sunderland only." in status.content.decode()
    built = _pack_built_for(monkeypatch, one)
    assert built["areas"] == {icb["north"].pk}
    assert "Sunderland: " in built["html"] and "South Tyneside" not in built["html"]

    ReportPack.objects.all().delete()
    client.post(reverse("intelligence:pack-start"), dates)
    both = ReportPack.objects.get()
    assert both.area is None
    built = _pack_built_for(monkeypatch, both)
    assert built["areas"] == {icb["south"].pk, icb["north"].pk}
    assert "South Tyneside, Sunderland: " in built["html"]


def test_a_pack_of_an_area_the_asker_does_not_work_in_is_refused(client, icb):
    from intelligence.models import ReportPack

    elsewhere = LocalAreaFactory(name="Elsewhere")
    client.force_login(icb["dmo"])
    refused = client.post(
        reverse("intelligence:pack-start"),
        {"start": "2025-04-01", "end": "2025-06-30", "area": elsewhere.pk},
    )
    assert refused.status_code == 400
    assert "Choose one of the local areas you work in." in refused.content.decode()
    assert not ReportPack.objects.exists()


def test_a_one_area_reader_is_not_asked_which_area(client, icb):
    client.force_login(person_holding(RoleCode.COMMISSIONER, areas=[icb["south"]]))
    report = client.get(reverse("intelligence:report"))
    assert report.context["pack_form"].fields["area"].widget.is_hidden


def test_someone_working_in_no_area_is_told_so_not_shown_every_area(client, icb):
    client.force_login(person_holding(RoleCode.COMMISSIONER, areas=[]))
    page = client.get(reverse("intelligence:areas"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="no-areas"' in html
    main = html.split('id="maincontent"', 1)[1].split("</main>", 1)[0]
    assert "South Tyneside" not in main and "<table" not in main


def test_the_year_earlier_comparison_is_named_in_the_tables(client, icb):
    client.force_login(icb["dmo"])
    page = client.get(
        reverse("intelligence:areas"),
        {"start": "2025-04-01", "end": "2025-06-30", "compare": "year-earlier"},
    )
    assert page.context["before"] == Period(D(2024, 4, 1), D(2024, 6, 30))
    assert "A year earlier" in page.content.decode()
