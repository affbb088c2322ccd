"""Uploads are checked by size and by what the file really is, never by its name or the
browser's content type alone: meeting papers (meetings.services.check_paper_file) and the
CSV import of concerns (intelligence.forms.ImportForm)."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from intelligence.forms import ImportForm
from intelligence.models import Concern
from meetings import services as meeting_services
from meetings.models import Paper
from meetings.tests.factories import in_three_weeks, make_series, next_meeting
from tests.factories import person_holding
from tests.office_files import fixed_time, office_file

pytestmark = pytest.mark.django_db

# --- Files of every kind, real and disguised -------------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Real PDFs start with a comment of high bytes, so that tools treat them as binary.
BINARY_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert('xss')</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 32


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(fixed_time("payload.exe"), EXE)
    return buffer.getvalue()


DOCX, XLSX, PPTX = office_file("word/"), office_file("xl/"), office_file("ppt/")


@pytest.fixture
def meeting(dco, dmo, clinical_lead):
    # Three weeks ahead: a papers' upload by a member needs the agenda open (it locks two days
    # before), whatever the day and hour the tests run.
    return next_meeting(make_series(starts_on=in_three_weeks()))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Meeting papers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("paper.pdf", PDF),
        ("paper.docx", DOCX),
        ("paper.xlsx", XLSX),
        ("paper.pptx", PPTX),
        ("paper.png", PNG),
        ("paper.jpg", JPEG),
        ("paper.JPEG", JPEG),
        ("notes.txt", "Waiting times – 12 weeks 😀".encode()),
        ("figures.csv", b"month,count\n2026-10,4\n"),
    ],
)
def test_real_papers_of_each_allowed_kind_are_taken(name, content):
    paper_type = meeting_services.check_paper_file(upload(name, content))
    assert name.lower().endswith(paper_type.extension)


@pytest.mark.parametrize(
    ("name", "content", "browser_type"),
    [
        ("paper.pdf", EXE, "application/pdf"),  # a program renamed .pdf
        ("paper.pdf", HTML, "application/pdf"),  # a web page renamed .pdf
        ("paper.pdf", SVG, "application/pdf"),
        ("paper.pdf", ELF, "application/pdf"),
        ("paper.pdf", b" %PDF-1.7", "application/pdf"),  # the signature must come first
        ("paper.docx", plain_zip(), "application/vnd.openxmlformats"),  # any zip is not a .docx
        ("paper.docx", XLSX, "application/vnd.openxmlformats"),  # a spreadsheet renamed .docx
        ("paper.xlsx", b"PK\x03\x04 not really a zip", "application/vnd.ms-excel"),
        ("paper.png", JPEG, "image/png"),
        ("paper.jpg", HTML, "image/jpeg"),
        ("paper.txt", EXE, "text/plain"),  # binary is not text
        ("paper.csv", b"a,b\n\xff\xfe\x00\x01", "text/csv"),  # not UTF-8
        ("paper.txt", b"text with a NUL \x00 inside", "text/plain"),
    ],
)
def test_a_file_whose_contents_are_not_what_its_name_says_is_refused(name, content, browser_type):
    extension = name.rsplit(".", 1)[1]
    with pytest.raises(meeting_services.RefusedChange, match=rf"is not a .*\.{extension}"):
        meeting_services.check_paper_file(upload(name, content, browser_type))


@pytest.mark.parametrize(
    "name", ["paper.exe", "paper.html", "paper.svg", "paper.pdf.exe", "paper", "paper.js"]
)
def test_a_file_of_a_kind_not_allowed_is_refused_whatever_it_holds(name):
    with pytest.raises(meeting_services.RefusedChange, match="must be a PDF"):
        meeting_services.check_paper_file(upload(name, PDF, "application/pdf"))


def test_a_paper_over_the_size_limit_is_refused_with_the_limit_named(settings):
    settings.PAPER_MAX_BYTES = 1024 * 1024
    big = upload("paper.pdf", PDF + b"0" * (1024 * 1024))
    with pytest.raises(meeting_services.RefusedChange, match="smaller than 1 MB"):
        meeting_services.check_paper_file(big)
    just_fits = upload("paper.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    assert meeting_services.check_paper_file(just_fits).extension == "pdf"


def test_an_empty_paper_is_refused():
    with pytest.raises(meeting_services.RefusedChange, match="empty"):
        meeting_services.check_paper_file(upload("paper.pdf", b""))


@settings(max_examples=40)
@given(
    content=st.binary(min_size=1, max_size=2048),
    extension=st.sampled_from(sorted(meeting_services.PAPER_TYPES) + ["exe", "html", ""]),
)
def test_any_bytes_under_any_name_are_taken_only_as_what_they_are(content, extension):
    name = f"paper.{extension}" if extension else "paper"
    try:
        paper_type = meeting_services.check_paper_file(upload(name, content))
    except meeting_services.RefusedChange as refusal:
        assert str(refusal)  # refused with a reason, never a crash
        return
    signatures = {
        "pdf": b"%PDF-",
        "png": b"\x89PNG\r\n\x1a\n",
        "jpg": b"\xff\xd8\xff",
        "jpeg": b"\xff\xd8\xff",
    }
    if extension in signatures:
        assert content.startswith(signatures[extension])
    elif extension in ("txt", "csv"):
        assert "\x00" not in content.decode("utf-8-sig")
    else:
        assert paper_type.extension in ("docx", "xlsx", "pptx")
        assert content.startswith(b"PK\x03\x04")


def test_the_upload_page_refuses_a_disguised_file_says_why_and_stores_nothing(
    client, dmo, meeting, media_root
):
    client.force_login(dmo)
    response = client.post(
        reverse("meetings:paper-upload", args=[meeting.pk]),
        {"title": "Minutes", "file": upload("minutes.pdf", HTML, "application/pdf")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The selected file is not a PDF" in page
    assert "<script>alert(" not in page
    assert not Paper.objects.exists()
    assert not list(media_root.rglob("*.pdf"))


def test_the_upload_page_refuses_a_file_over_the_limit(client, dmo, meeting, media_root, settings):
    settings.PAPER_MAX_BYTES = 1024
    client.force_login(dmo)
    response = client.post(
        reverse("meetings:paper-upload", args=[meeting.pk]),
        {"title": "Minutes", "file": upload("minutes.pdf", PDF + b"0" * 1024)},
    )
    assert response.status_code == 200
    assert "The selected file must be smaller than 1.0\xa0KB" in response.content.decode()
    assert not Paper.objects.exists()


def test_a_stored_paper_is_sent_as_a_download_of_its_checked_type(client, dmo, meeting, media_root):
    client.force_login(dmo)
    client.post(
        reverse("meetings:paper-upload", args=[meeting.pk]),
        {
            "title": "Figures",
            "file": upload("figures.txt", b"<script>alert(1)</script>", "text/html"),
        },
    )
    paper = Paper.objects.get()
    # The browser said text/html; the portal stores and serves what it checked.
    assert paper.content_type == "text/plain; charset=utf-8"
    response = client.get(reverse("meetings:paper", args=[paper.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


# --- The CSV import of concerns ---------------------------------------------------------------

GOOD_CSV = (
    "raised_on,source,service,themes,summary,families\n"
    "2026-11-03,sendiass,salt,Waiting times,Families wait 40 weeks for SALT,3\n"
)


def import_form(name: str, content: bytes, content_type: str = "text/csv") -> ImportForm:
    # A SENDIASS officer of one area: the concerns go to it without asking.
    officer = person_holding("sendiass-officer")
    return ImportForm({}, {"file": upload(name, content, content_type)}, user=officer)


@pytest.mark.django_db
def test_a_csv_file_is_taken():
    form = import_form("concerns.csv", GOOD_CSV.encode())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] == GOOD_CSV


@pytest.mark.django_db
def test_a_csv_file_with_a_byte_order_mark_from_excel_is_taken():
    form = import_form("concerns.csv", b"\xef\xbb\xbf" + GOOD_CSV.encode())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["file"] == GOOD_CSV


@pytest.mark.django_db
def test_a_csv_file_over_2_mb_is_refused():
    form = import_form("concerns.csv", GOOD_CSV.encode() + b"x" * (2 * 1024 * 1024))
    assert not form.is_valid()
    assert form.errors["file"] == ["The file must be smaller than 2 MB."]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("concerns.csv", EXE),  # a program renamed .csv
        ("concerns.csv", BINARY_PDF),
        ("concerns.csv", b"raised_on,summary\n2026-11-03,a\x00b\n"),  # NUL: not a text file
        ("concerns.csv", b"raised_on,summary\n2026-11-03,\x01\x02\x03\x04\n"),
        ("concerns.csv", "raised_on\n2026-11-03\n".encode("utf-16")),
        ("concerns.xlsx", XLSX),
        ("concerns.exe", GOOD_CSV.encode()),
        ("concerns.html", GOOD_CSV.encode()),
        ("concerns", GOOD_CSV.encode()),
    ],
)
def test_a_file_that_is_not_a_csv_file_is_refused_with_a_clear_error(name, content):
    form = import_form(name, content, "text/csv")
    assert not form.is_valid()
    [message] = form.errors["file"]
    assert "CSV" in message


def test_a_web_page_renamed_csv_is_read_as_text_and_refused_for_its_columns(
    client, sendiass_officer
):
    client.force_login(sendiass_officer)
    response = client.post(
        reverse("intelligence:concern-import"), {"file": upload("concerns.csv", HTML, "text/csv")}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The file cannot be read" in page
    assert "<script>alert(" not in page
    assert not Concern.objects.exists()


def test_text_with_nul_sent_straight_to_the_confirm_step_imports_nothing(client, sendiass_officer):
    """The confirm step posts the checked text back; a hand-made post must not slip a NUL
    (which PostgreSQL refuses with an error) past the check."""
    client.force_login(sendiass_officer)
    text = GOOD_CSV.replace("for SALT", "for\x00SALT")
    response = client.post(
        reverse("intelligence:concern-import"), {"confirm": "1", "csv_text": text}
    )
    assert response.status_code == 200
    assert "nothing was imported" in response.content.decode()
    assert not Concern.objects.exists()


@settings(max_examples=30)
@given(content=st.binary(max_size=1024), name=st.sampled_from(["concerns.csv", "concerns.txt"]))
def test_any_bytes_give_a_preview_or_a_clear_error(content, name, client, sendiass_officer):
    client.force_login(sendiass_officer)
    response = client.post(
        reverse("intelligence:concern-import"), {"file": upload(name, content, "text/csv")}
    )
    assert response.status_code == 200
    assert not Concern.objects.exists()


def test_a_csv_file_with_a_field_too_big_for_the_csv_reader_gets_a_clear_error(
    client, sendiass_officer
):
    huge_summary = "Families wait. " * 10_000  # 150,000 characters: over the csv module's limit
    text = f"raised_on,source,themes,summary\n2026-11-03,sendiass,Waiting times,{huge_summary}\n"
    client.force_login(sendiass_officer)
    response = client.post(
        reverse("intelligence:concern-import"),
        {"file": upload("concerns.csv", text.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "The file cannot be read as CSV" in response.content.decode()
    assert not Concern.objects.exists()
