"""Exports of the report: the streamed CSV of concerns and the PDF governance pack."""

from __future__ import annotations

import csv
import datetime
import io
import os
import tracemalloc
import uuid

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from intelligence import exports, selectors, services, tasks
from intelligence.models import Concern, ConcernSource, ReportPack, Theme
from intelligence.report import Period
from intelligence.services import log_concern
from outbox.models import OutboxMessage
from send_portal import pdf
from send_portal.csv_export import safe_cell
from tests.factories import the_test_area

D = datetime.date
CSV_URL = reverse("intelligence:concerns-csv")
QUERY = {"start": "2025-04-01", "end": "2025-06-30"}
#: A poll of a pack's status page: the session, the user (with the roles held today, for
#: the permission, and the header's unread count), the pack.
QUERIES_PER_POLL = 3


def rows_of(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode(
        "utf-8-sig"
    )  # Excel reads UTF-8 by its byte order mark
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def theme(db):
    return Theme.objects.get_or_create(name="Waiting times")[0]


def concern(user, theme, summary="Families waited a long time.", day=None):
    return log_concern(
        area=the_test_area(),
        raised_on=day or D(2025, 5, 1),
        source=ConcernSource.SENDIASS,
        summary=summary,
        themes=[theme],
        logged_by=user,
        families=2,
        service="salt",
    )


# --- CSV --------------------------------------------------------------------------------


def test_formula_cells_are_guarded():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("+44") == "'+44"
    assert safe_cell("-1") == "'-1"
    assert safe_cell("@cmd") == "'@cmd"
    assert safe_cell("Plain") == "Plain"
    assert safe_cell(3) == 3  # numbers stay numbers


@pytest.mark.django_db
def test_the_dco_gets_every_concern_with_its_summary(client, dco, sendiass_officer, theme):
    concern(sendiass_officer, theme)
    concern(dco, theme, summary='=HYPERLINK("http://example.com", "click")')
    concern(dco, theme, day=D(2025, 8, 1))  # outside the period
    client.force_login(dco)
    response = client.get(CSV_URL, QUERY)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = rows_of(response)
    assert rows[0] == [
        "Date raised",
        "Source",
        "Service",
        "Themes",
        "Families",
        "Status",
        "Summary",
    ]
    assert len(rows) == 3
    assert rows[1][:6] == [
        "2025-05-01",
        "SENDIASS (monthly intelligence sharing)",
        "Speech and language therapy",
        "Waiting times",
        "2",
        "New",
    ]
    summaries = {row[6] for row in rows[1:]}
    assert "Families waited a long time." in summaries
    assert '\'=HYPERLINK("http://example.com", "click")' in summaries


@pytest.mark.django_db
def test_commissioners_and_governance_readers_get_no_summaries(
    client, commissioner, sendiass_officer, theme, icb
):
    from roles.models import RoleCode
    from tests.factories import person_holding

    concern(sendiass_officer, theme)
    for user in (commissioner, person_holding(RoleCode.GOVERNANCE_READER, icb)):
        client.force_login(user)
        rows = rows_of(client.get(CSV_URL, QUERY))
        assert rows[0] == ["Date raised", "Source", "Service", "Themes", "Families", "Status"]
        assert len(rows) == 2
        assert "Families waited a long time." not in sum(rows, [])


@pytest.mark.django_db
def test_a_sendiass_officer_gets_only_the_concerns_they_logged(
    client, dco, sendiass_officer, theme
):
    concern(sendiass_officer, theme, summary="Mine")
    concern(dco, theme, summary="Not mine")
    client.force_login(sendiass_officer)
    rows = rows_of(client.get(CSV_URL, QUERY))
    assert [row[6] for row in rows[1:]] == ["Mine"]


@pytest.mark.django_db
def test_the_csv_filters_by_theme(client, dco, theme):
    other = Theme.objects.get_or_create(name="Transition to adult services")[0]
    concern(dco, theme)
    concern(dco, other)
    client.force_login(dco)
    rows = rows_of(client.get(CSV_URL, {**QUERY, "theme": other.pk}))
    assert [row[3] for row in rows[1:]] == ["Transition to adult services"]


@pytest.mark.django_db
def test_people_without_a_role_are_refused_the_csv(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(CSV_URL, QUERY).status_code == 403


@pytest.mark.django_db
def test_a_bad_period_is_an_error_not_a_500(client, dco):
    client.force_login(dco)
    response = client.get(CSV_URL, {"start": "2025-06-30", "end": "2025-04-01"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_100000_rows_stream_without_loading_them_all(client, dco, theme):
    rows = 100_000
    day = D(2025, 5, 1)
    area = the_test_area()
    Concern.objects.bulk_create(
        (
            Concern(
                area=area,
                raised_on=day,
                source=ConcernSource.SENDIASS,
                service="salt",
                summary=f"Concern number {index}",
                families=1,
                logged_by=dco,
            )
            for index in range(rows)
        ),
        batch_size=5000,
    )
    through = Concern.themes.through
    through.objects.bulk_create(
        (
            through(concern_id=pk, theme_id=theme.pk)
            for pk in Concern.objects.values_list("pk", flat=True).iterator(chunk_size=5000)
        ),
        batch_size=5000,
    )
    client.force_login(dco)
    tracemalloc.start()
    try:
        response = client.get(CSV_URL, QUERY)
        assert isinstance(response, StreamingHttpResponse)
        count = 0
        for chunk in response.streaming_content:
            count += chunk.count(b"\n")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == rows + 1  # the header and every row
    assert peak < 50 * 1024 * 1024, f"peak memory {peak / 1e6:.0f} MB"


# --- The PDF governance pack ------------------------------------------------------------

PERIOD = Period(D(2025, 4, 1), D(2025, 6, 30))
Pack = ReportPack.Status


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def status_of(pack) -> str:
    return ReportPack.objects.values_list("status", flat=True).get(pk=pack.pk)


@pytest.mark.django_db
def test_asking_for_a_pack_records_it_waiting_and_queues_its_build_by_name(commissioner):
    pack = services.request_report_pack(commissioner, PERIOD)

    assert (pack.status, pack.progress, pack.requested_by) == (Pack.QUEUED, 0, commissioner)
    assert (pack.starts_on, pack.ends_on) == (PERIOD.start, PERIOD.end)
    message = OutboxMessage.objects.get()
    assert (message.task, message.args) == ("intelligence.tasks.build_report_pack", [str(pack.pk)])


@pytest.mark.django_db
def test_the_pack_task_builds_a_pdf_through_building_to_ready(
    media, monkeypatch, commissioner, dco, theme
):
    concern(dco, theme)
    pack = services.request_report_pack(commissioner, PERIOD)
    seen_while_rendering = []
    render_pdf = pdf.render_pdf

    def watched(html):
        seen_while_rendering.append(ReportPack.objects.values("status", "progress").get())
        return render_pdf(html)

    monkeypatch.setattr("send_portal.pdf.render_pdf", watched)

    assert tasks.build_report_pack(str(pack.pk)) == Pack.READY

    assert seen_while_rendering == [{"status": Pack.BUILDING, "progress": 50}]
    pack.refresh_from_db()
    assert (pack.status, pack.progress, pack.error) == (Pack.READY, 100, "")
    assert pack.started_at is not None and pack.finished_at is not None
    assert pack.pdf.name == f"report-packs/{pack.pk}.pdf"
    assert (media / "report-packs" / f"{pack.pk}.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_a_second_delivery_of_the_task_builds_nothing_and_changes_nothing(
    media, monkeypatch, commissioner
):
    pack = services.request_report_pack(commissioner, PERIOD)
    assert tasks.build_report_pack(str(pack.pk)) == Pack.READY
    pack.refresh_from_db()
    built = ReportPack.objects.values().get()
    files = sorted(p.name for p in (media / "report-packs").iterdir())

    def must_not_build(*args, **kwargs):
        raise AssertionError("built twice")

    monkeypatch.setattr("intelligence.exports.pack_html", must_not_build)
    assert tasks.build_report_pack(str(pack.pk)) == Pack.READY

    assert ReportPack.objects.values().get() == built
    assert sorted(p.name for p in (media / "report-packs").iterdir()) == files


@pytest.mark.django_db
def test_a_delivery_while_another_worker_builds_does_not_build_too(monkeypatch, commissioner):
    pack = services.request_report_pack(commissioner, PERIOD)
    ReportPack.objects.filter(pk=pack.pk).update(
        status=Pack.BUILDING, progress=50, started_at=timezone.now()
    )

    def must_not_build(*args, **kwargs):
        raise AssertionError("built twice")

    monkeypatch.setattr("intelligence.exports.pack_html", must_not_build)
    assert tasks.build_report_pack(str(pack.pk)) == Pack.BUILDING
    assert ReportPack.objects.values_list("status", "progress").get() == (Pack.BUILDING, 50)


@pytest.mark.django_db
def test_a_build_abandoned_past_the_time_limit_is_built_by_the_next_delivery(media, commissioner):
    pack = services.request_report_pack(commissioner, PERIOD)
    long_ago = timezone.now() - services.PACK_BUILD_ABANDONED_AFTER - datetime.timedelta(minutes=1)
    ReportPack.objects.filter(pk=pack.pk).update(status=Pack.BUILDING, started_at=long_ago)

    assert tasks.build_report_pack(str(pack.pk)) == Pack.READY
    assert status_of(pack) == Pack.READY


@pytest.mark.django_db
def test_a_failed_build_is_not_retried_by_a_second_delivery(monkeypatch, commissioner):
    pack = services.request_report_pack(commissioner, PERIOD)
    ReportPack.objects.filter(pk=pack.pk).update(status=Pack.FAILED, progress=100)
    assert tasks.build_report_pack(str(pack.pk)) == Pack.FAILED
    assert status_of(pack) == Pack.FAILED


@pytest.mark.django_db
def test_a_pack_deleted_before_its_build_is_not_built(media, commissioner):
    pack = services.request_report_pack(commissioner, PERIOD)
    ReportPack.objects.filter(pk=pack.pk).delete()
    assert tasks.build_report_pack(str(pack.pk)) == ""
    assert not (media / "report-packs").exists() or not any((media / "report-packs").iterdir())


@pytest.mark.django_db
def test_a_message_queued_before_packs_were_rows_is_dropped_quietly():
    """Its arguments were the job, the period and the asker; its job state is gone."""
    job = "3f1c1b9e-2f4e-4d8e-9a43-6a2b1c0d9e11"
    assert tasks.build_report_pack(job, "2025-04-01", "2025-06-30", 7) == ""


@pytest.mark.django_db
def test_packs_older_than_a_day_are_deleted_with_their_files_and_newer_ones_kept(
    media, commissioner
):
    old, new = (services.request_report_pack(commissioner, PERIOD) for _ in range(2))
    for pack in (old, new):
        assert services.build_report_pack(pack.pk) == Pack.READY
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    ReportPack.objects.filter(pk=old.pk).update(created_at=two_days_ago)
    folder = media / "report-packs"
    # Files no pack names: the JSON job states of before, old and new.
    stale, fresh = folder / "a-job-state.json", folder / "just-written.tmp"
    stale.write_text("{}")
    fresh.write_text("{}")
    os.utime(stale, (two_days_ago.timestamp(), two_days_ago.timestamp()))

    assert tasks.delete_old_report_packs() == 1

    assert list(ReportPack.objects.values_list("pk", flat=True)) == [new.pk]
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{new.pk}.pdf", fresh.name])
    assert tasks.delete_old_report_packs() == 0  # a doubled run does no harm


def test_the_cleanup_keeps_its_schedule():
    from service_status.schedules import PERIODIC_SCHEDULES

    assert "intelligence.tasks.delete_old_report_packs" in {s.task for s in PERIODIC_SCHEDULES}


@pytest.mark.django_db
def test_the_pack_html_has_figures_but_no_summaries(dco, theme):
    concern(dco, theme)
    html = exports.pack_html(PERIOD, areas=None)
    assert "Waiting times" in html
    assert "Families waited a long time." not in html
    assert "<svg" not in html  # xhtml2pdf draws no inline SVG: bars are table cells


@pytest.mark.django_db
def test_a_failed_pack_says_so_and_keeps_the_kind_of_error_only(
    media, client, monkeypatch, commissioner
):
    def broken(html):
        raise RuntimeError("a message that might quote the records")

    monkeypatch.setattr("send_portal.pdf.render_pdf", broken)
    pack = services.request_report_pack(commissioner, PERIOD)
    assert tasks.build_report_pack(str(pack.pk)) == Pack.FAILED
    pack.refresh_from_db()
    assert (pack.status, pack.error, pack.pdf.name) == (Pack.FAILED, "RuntimeError", "")
    assert pack.finished_at is not None

    client.force_login(commissioner)
    response = client.get(reverse("intelligence:pack-status", args=[pack.pk]))
    assert "could not be made" in response.content.decode()
    assert b'http-equiv="refresh"' not in response.content
    assert client.get(reverse("intelligence:pack-download", args=[pack.pk])).status_code == 404


@pytest.mark.django_db
def test_starting_a_pack_runs_the_task_and_only_the_requester_downloads(
    media, client, commissioner, icb, django_capture_on_commit_callbacks
):
    from roles.models import RoleCode
    from tests.factories import person_holding

    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intelligence:pack-start"), QUERY)
    assert response.status_code == 302
    pack = ReportPack.objects.get()
    status_url = reverse("intelligence:pack-status", args=[pack.pk])
    assert response["Location"] == status_url
    page = client.get(status_url)
    assert page.status_code == 200
    assert "Governance pack, 2025-04-01 to 2025-06-30" in page.content.decode()
    download_url = reverse("intelligence:pack-download", args=[pack.pk])
    assert download_url in page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "governance-pack-2025-04-01-to-2025-06-30.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    someone_else = person_holding(RoleCode.COMMISSIONER, icb)
    client.force_login(someone_else)
    assert client.get(status_url).status_code == 404
    assert client.get(download_url).status_code == 404


@pytest.mark.django_db
def test_only_the_asker_may_see_a_pack_and_only_while_they_read_reports(
    commissioner, dco, sendiass_officer
):
    pack = services.request_report_pack(commissioner, PERIOD)
    assert commissioner.has_perm("intelligence.see_report_pack", pack)
    assert not dco.has_perm("intelligence.see_report_pack", pack)  # sees all else, not this
    assert selectors.report_pack_for(commissioner, pack.pk) == pack
    assert selectors.report_pack_for(dco, pack.pk) is None
    assert selectors.report_pack_for(commissioner, uuid.uuid4()) is None
    ReportPack.objects.filter(pk=pack.pk).update(requested_by=sendiass_officer)
    pack.refresh_from_db()
    assert not sendiass_officer.has_perm("intelligence.see_report_pack", pack)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status, progress, says",
    [(Pack.QUEUED, 0, "waiting to be made"), (Pack.BUILDING, 50, "being made")],
)
def test_a_waiting_pack_page_refreshes_itself_with_its_progress(
    media, client, commissioner, status, progress, says
):
    pack = services.request_report_pack(commissioner, PERIOD)
    ReportPack.objects.filter(pk=pack.pk).update(status=status, progress=progress)
    client.force_login(commissioner)
    response = client.get(reverse("intelligence:pack-status", args=[pack.pk]))
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert f"The pack is {says}" in page
    assert f'<progress id="pack-progress" max="100" value="{progress}">' in page
    # Not ready: no download yet.
    assert client.get(reverse("intelligence:pack-download", args=[pack.pk])).status_code == 404


@pytest.mark.django_db
def test_the_status_page_a_waiting_pack_polls_reads_little(
    client, commissioner, django_assert_num_queries
):
    pack = services.request_report_pack(commissioner, PERIOD)
    client.force_login(commissioner)
    url = reverse("intelligence:pack-status", args=[pack.pk])
    client.get(url)  # the session's first request records it; the polls after do not
    with django_assert_num_queries(QUERIES_PER_POLL):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_the_pack_is_asked_for_by_post_only_and_by_report_readers(
    client, commissioner, sendiass_officer
):
    client.force_login(commissioner)
    assert client.get(reverse("intelligence:pack-start")).status_code == 405
    client.force_login(sendiass_officer)
    assert client.post(reverse("intelligence:pack-start"), QUERY).status_code == 403
    assert not ReportPack.objects.exists()


@pytest.mark.django_db
def test_administrators_read_the_packs_in_the_admin_and_change_nothing(
    media, client, administrator, commissioner, dco, theme
):
    concern(dco, theme)
    pack = services.request_report_pack(commissioner, PERIOD)
    assert services.build_report_pack(pack.pk) == Pack.READY
    pack.refresh_from_db()
    changelist = reverse("admin:intelligence_reportpack_changelist")
    change = reverse("admin:intelligence_reportpack_change", args=[pack.pk])

    client.force_login(dco)
    assert client.get(changelist).status_code == 403

    client.force_login(administrator)
    listing = client.get(changelist).content.decode()
    assert commissioner.display_name in listing and "Ready to download" in listing
    detail = client.get(change).content.decode()
    assert "Waiting times" not in detail  # no figure of the pack
    assert pack.pdf.name not in detail  # and no way to its file
    assert client.get(reverse("admin:intelligence_reportpack_add")).status_code == 403
    client.post(reverse("admin:intelligence_reportpack_delete", args=[pack.pk]), {"post": "yes"})
    assert ReportPack.objects.filter(pk=pack.pk).exists()


@pytest.mark.django_db
def test_the_report_asks_for_the_pack_of_the_period_it_shows(client, commissioner):
    client.force_login(commissioner)

    page = client.get(reverse("intelligence:report"), QUERY).content.decode()

    form = page[page.index(f'action="{reverse("intelligence:pack-start")}"') :]
    form = form[: form.index("</form>")]
    assert 'type="hidden" name="start" value="2025-04-01"' in form
    assert 'type="hidden" name="end" value="2025-06-30"' in form
    assert "Make the governance pack (PDF)" in form


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sent", "message"),
    [
        ({"start": "2025-02-30", "end": "2025-06-30"}, "The start date must be a real date"),
        ({"start": "2025-04-01", "end": "30/06/2025"}, "The end date must be a real date"),
        ({"start": "2025-06-30", "end": "2025-04-01"}, "must be the same as or after its start"),
        ({"start": "2014-08-31", "end": "2014-11-30"}, "on or after 1 September 2014"),
        ({"start": "x" * 5000, "end": "2025-06-30\x07"}, "must be a real date"),
    ],
)
def test_a_pack_of_no_real_period_is_refused_with_a_message(
    media, client, commissioner, sent, message
):
    client.force_login(commissioner)

    response = client.post(reverse("intelligence:pack-start"), sent)

    assert response.status_code == 400
    assert "nhsuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert not ReportPack.objects.exists()
