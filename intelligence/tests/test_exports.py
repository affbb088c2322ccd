"""Exports of the report: the streamed CSV of concerns and the PDF governance pack."""

from __future__ import annotations

import csv
import datetime
import io
import os
import tracemalloc

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from intelligence import tasks
from intelligence.models import Concern, ConcernSource, Theme
from intelligence.report import Period
from intelligence.services import log_concern
from send_portal.csv_export import safe_cell

D = datetime.date
CSV_URL = reverse("intelligence:concerns-csv")
QUERY = {"start": "2025-04-01", "end": "2025-06-30"}


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
    Concern.objects.bulk_create(
        (
            Concern(
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


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_the_pack_task_builds_a_pdf(media, commissioner, dco, theme):
    concern(dco, theme)
    job = tasks.new_job(commissioner, Period(D(2025, 4, 1), D(2025, 6, 30)))
    assert tasks.read_job(job)["status"] == tasks.QUEUED
    result = tasks.build_report_pack(str(job), "2025-04-01", "2025-06-30", commissioner.pk)
    assert result == tasks.READY
    assert tasks.read_job(job)["status"] == tasks.READY
    pdf = (media / "report-packs" / f"{job}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")


@pytest.mark.django_db
def test_packs_older_than_a_day_are_deleted_and_newer_ones_kept(media, commissioner):
    period = Period(D(2025, 4, 1), D(2025, 6, 30))
    old, new = tasks.new_job(commissioner, period), tasks.new_job(commissioner, period)
    for job in (old, new):
        tasks.pdf_path(job).write_bytes(b"%PDF-1.4")
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    for path in (tasks.pdf_path(old), media / "report-packs" / f"{old}.json"):
        os.utime(path, (two_days_ago, two_days_ago))

    assert tasks.delete_old_report_packs() == 2

    assert tasks.read_job(old) is None and not tasks.pdf_path(old).exists()
    assert tasks.read_job(new) is not None and tasks.pdf_path(new).exists()


@pytest.mark.django_db
def test_the_pack_html_has_figures_but_no_summaries(dco, theme):
    concern(dco, theme)
    html = tasks.pack_html(Period(D(2025, 4, 1), D(2025, 6, 30)))
    assert "Waiting times" in html
    assert "Families waited a long time." not in html
    assert "<svg" not in html  # xhtml2pdf draws no inline SVG: bars are table cells


@pytest.mark.django_db
def test_a_failed_pack_says_so(media, client, monkeypatch, commissioner):
    def broken(html):
        raise RuntimeError("no")

    monkeypatch.setattr("send_portal.pdf.render_pdf", broken)
    job = tasks.new_job(commissioner, Period(D(2025, 4, 1), D(2025, 6, 30)))
    assert tasks.build_report_pack(str(job), "2025-04-01", "2025-06-30", commissioner.pk) == (
        tasks.FAILED
    )
    client.force_login(commissioner)
    response = client.get(reverse("intelligence:pack-status", args=[job]))
    assert "could not be made" in response.content.decode()
    assert b'http-equiv="refresh"' not in response.content


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
    status_url = response["Location"]
    job = status_url.rstrip("/").rsplit("/", 1)[-1]
    page = client.get(status_url)
    assert page.status_code == 200
    download_url = reverse("intelligence:pack-download", args=[job])
    assert download_url in page.content.decode()
    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    someone_else = person_holding(RoleCode.COMMISSIONER, icb)
    client.force_login(someone_else)
    assert client.get(status_url).status_code == 404
    assert client.get(download_url).status_code == 404


@pytest.mark.django_db
def test_a_waiting_pack_page_refreshes_itself(media, client, commissioner):
    job = tasks.new_job(commissioner, Period(D(2025, 4, 1), D(2025, 6, 30)))
    client.force_login(commissioner)
    response = client.get(reverse("intelligence:pack-status", args=[job]))
    page = response.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "<progress" in page
    # Not ready: no download yet.
    assert client.get(reverse("intelligence:pack-download", args=[job])).status_code == 404


@pytest.mark.django_db
def test_the_pack_is_asked_for_by_post_only_and_by_report_readers(
    client, commissioner, sendiass_officer
):
    client.force_login(commissioner)
    assert client.get(reverse("intelligence:pack-start")).status_code == 405
    client.force_login(sendiass_officer)
    assert client.post(reverse("intelligence:pack-start"), QUERY).status_code == 403


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
    assert not list((media / "report-packs").glob("*.json"))
