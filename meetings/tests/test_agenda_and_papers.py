"""The agenda (adding and changing items, the lock before the meeting) and papers (what may
be uploaded, and how they are downloaded)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, MeetingKind, Paper
from meetings.tests.factories import in_three_weeks, make_series, next_meeting, refusal_for
from roles.models import RoleCode
from send_portal.london_time import time_on_date
from tests.office_files import office_file

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def panel_meeting(dco, clinical_lead, send_officer, health_professional_a):
    series = make_series(
        name="SEND Panel",
        kind=MeetingKind.SEND_PANEL,
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        member_roles=(RoleCode.DCO, RoleCode.CLINICAL_LEAD, RoleCode.SEND_OFFICER),
        member_users=(health_professional_a,),
        quorum_minimum=2,
        starts_on=in_three_weeks(),
    )
    return next_meeting(series)


def text_of(response) -> str:
    return " ".join(response.content.decode().split())


def add_url(meeting):
    return reverse("meetings:agenda-item-add", args=[meeting.pk])


def edit_url(item):
    return reverse("meetings:agenda-item-edit", args=[item.pk])


def upload_url(meeting):
    return reverse("meetings:paper-upload", args=[meeting.pk])


ITEM = {"title": "Waiting times for speech and language therapy", "presenter": "Cee Lead"}


def item_data(**changes):
    return {**ITEM, "minutes_allotted": "15", **changes}


# --- Adding and changing agenda items -----------------------------------------------------


@pytest.mark.django_db
def test_a_member_adds_items_which_go_at_the_end(client, dmo, meeting):
    client.force_login(dmo)

    first = client.post(add_url(meeting), item_data(), follow=True)
    client.post(add_url(meeting), item_data(title="Autism pathway update"))

    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.position, i.title) for i in items] == [
        (1, ITEM["title"]),
        (2, "Autism pathway update"),
    ]
    assert items[0].presenter == "Cee Lead"
    assert items[0].minutes_allotted == 15
    assert "added to the agenda" in text_of(first)


@pytest.mark.django_db
def test_changing_an_item_keeps_its_place(client, dmo, meeting):
    for title in ["One", "Two", "Three"]:
        services.add_agenda_item(meeting, dmo, title=title)
    two = meeting.agenda_items.get(title="Two")
    client.force_login(dmo)

    form = client.get(edit_url(two))
    response = client.post(edit_url(two), item_data(title="Two, changed"), follow=True)

    assert 'value="Two"' in form.content.decode()
    assert "changed on the agenda" in text_of(response)
    assert [(i.position, i.title) for i in meeting.agenda_items.order_by("position")] == [
        (1, "One"),
        (2, "Two, changed"),
        (3, "Three"),
    ]


@pytest.mark.django_db
def test_changing_an_item_leaves_its_minutes_alone(dco, meeting):
    item = services.add_agenda_item(meeting, dco, title="Waiting times")
    services.open_meeting(meeting, early_start_confirmed=True)
    services.save_item_record(item, "Minutes typed by the chair", "", 0)

    services.edit_agenda_item(item, dco, title="Waiting times (SLT)", minutes_allotted=20)

    item.refresh_from_db()
    assert item.minutes == "Minutes typed by the chair"
    assert item.title == "Waiting times (SLT)"


@pytest.mark.django_db
def test_bad_input_shows_the_error_summary_keeps_the_typing_and_saves_nothing(client, dmo, meeting):
    client.force_login(dmo)

    response = client.post(
        add_url(meeting), {"title": "", "presenter": "Ada", "minutes_allotted": "lots"}
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the title of the item" in page
    assert "whole number of minutes" in page
    assert 'value="Ada"' in page
    assert "<title>Error:" in response.content.decode()
    assert not AgendaItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "health_professional_a", "no_role_user"])
def test_people_outside_the_series_may_not_add_or_change_items(
    client, request, dco, meeting, persona
):
    item = services.add_agenda_item(meeting, dco, title="Waiting times")
    person = request.getfixturevalue(persona)
    client.force_login(person)
    # 403 working in the series' area; 404 from outside it (a provider's health
    # professional, someone with no role, work in no area).
    refused = refusal_for(person, meeting.series)

    assert client.get(add_url(meeting)).status_code == refused
    assert client.post(add_url(meeting), item_data()).status_code == refused
    assert client.post(edit_url(item), item_data(title="Hijacked")).status_code == refused
    item.refresh_from_db()
    assert item.title == "Waiting times"


@pytest.mark.django_db
def test_a_member_cannot_change_another_series_items_by_changing_the_id(
    client, dco, dmo, other_meeting
):
    item = services.add_agenda_item(other_meeting, dco, title="Themes from SENDIASS")
    client.force_login(dmo)

    assert client.post(edit_url(item), item_data(title="Hijacked")).status_code == 403
    assert client.post(add_url(other_meeting), item_data()).status_code == 403
    item.refresh_from_db()
    assert item.title == "Themes from SENDIASS"


@pytest.mark.django_db
def test_a_cancelled_meetings_agenda_cannot_change(client, dco, meeting):
    services.cancel_meeting(meeting, "No quorum expected")
    client.force_login(dco)

    response = client.post(add_url(meeting), item_data())

    assert "This meeting was cancelled" in text_of(response)
    assert not AgendaItem.objects.exists()


# --- The lock before the meeting ----------------------------------------------------------


@pytest.mark.django_db
def test_a_member_may_add_one_minute_before_the_agenda_locks(client, dmo, meeting):
    with time_machine.travel(meeting.agenda_locks_at - MINUTE, tick=False):
        client.force_login(dmo)
        response = client.post(add_url(meeting), item_data())

    assert response.status_code == 302
    assert meeting.agenda_items.count() == 1


@pytest.mark.django_db
def test_a_member_is_refused_one_minute_after_the_lock_and_told_when_it_locked(
    client, dmo, meeting
):
    locked = timezone.localtime(meeting.agenda_locks_at)
    with time_machine.travel(meeting.agenda_locks_at + MINUTE, tick=False):
        client.force_login(dmo)
        response = client.post(add_url(meeting), item_data())
        opened = client.get(add_url(meeting), follow=True)

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"The agenda closed at {time_on_date(locked)}" in page
    assert "2 days before the meeting" in page
    assert f'value="{ITEM["title"]}"' in page  # what was typed is kept
    assert not AgendaItem.objects.exists()
    assert "The agenda closed at" in text_of(opened)
    assert opened.redirect_chain[-1][0] == reverse("meetings:meeting", args=[meeting.pk])


@pytest.mark.django_db
def test_the_chair_may_still_add_and_change_items_after_the_lock(client, dco, meeting):
    with time_machine.travel(meeting.agenda_locks_at + MINUTE, tick=False):
        client.force_login(dco)
        client.post(add_url(meeting), item_data())
        item = meeting.agenda_items.get()
        client.post(edit_url(item), item_data(title="Late change"))

    item.refresh_from_db()
    assert item.title == "Late change"


@pytest.mark.django_db
def test_a_member_cannot_change_an_item_after_the_lock(client, dmo, meeting):
    item = services.add_agenda_item(meeting, dmo, title="Before the lock")

    with time_machine.travel(meeting.agenda_locks_at + MINUTE, tick=False):
        client.force_login(dmo)
        response = client.post(edit_url(item), item_data(title="After the lock"))

    assert "The agenda closed at" in text_of(response)
    item.refresh_from_db()
    assert item.title == "Before the lock"


@pytest.mark.django_db
def test_the_page_offers_adding_to_members_only_until_the_lock(client, dmo, meeting):
    with time_machine.travel(meeting.agenda_locks_at - MINUTE, tick=False):
        client.force_login(dmo)
        before = text_of(client.get(reverse("meetings:meeting", args=[meeting.pk])))
    with time_machine.travel(meeting.agenda_locks_at + MINUTE, tick=False):
        client.force_login(dmo)
        after = text_of(client.get(reverse("meetings:meeting", args=[meeting.pk])))

    assert add_url(meeting) in before
    assert add_url(meeting) not in after
    assert "The agenda closed on" in after


# --- SEND Panel cases on the agenda -------------------------------------------------------


@pytest.mark.django_db
def test_a_panel_item_can_name_an_open_assessment(client, dco, panel_meeting):
    from ehcp.tests.factories import make_assessment

    assessment = make_assessment(council_reference="EHC-2025-017")
    client.force_login(dco)

    form = client.get(add_url(panel_meeting))
    client.post(add_url(panel_meeting), item_data(title="Case 1", assessment=assessment.pk))

    assert "EHC-2025-017" in text_of(form)
    assert panel_meeting.agenda_items.get().assessment_id == assessment.pk


@pytest.mark.django_db
def test_a_health_care_cafe_item_has_no_case_question(client, dco, meeting):
    client.force_login(dco)

    response = client.get(add_url(meeting))

    assert "assessment" not in response.context["form"].fields


@pytest.mark.django_db
def test_a_case_can_be_on_a_panel_agenda_once(dco, panel_meeting):
    from ehcp.tests.factories import make_assessment

    assessment = make_assessment()
    services.add_agenda_item(panel_meeting, dco, title="Case 1", assessment=assessment)

    with pytest.raises(services.RefusedChange, match="already on the agenda"):
        services.add_agenda_item(panel_meeting, dco, title="Again", assessment=assessment)


@pytest.mark.django_db
def test_a_member_may_not_choose_a_case_of_a_child_they_may_not_see(
    client, health_professional_a, panel_meeting
):
    from ehcp.tests.factories import make_assessment

    hidden = make_assessment(council_reference="EHC-HIDDEN")
    client.force_login(health_professional_a)

    form = client.get(add_url(panel_meeting))
    response = client.post(add_url(panel_meeting), item_data(assessment=hidden.pk))

    assert "EHC-HIDDEN" not in text_of(form)
    assert "Select a valid choice" in text_of(response)
    assert not AgendaItem.objects.exists()


# --- Uploading papers ---------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


GOOD_FILES = [
    ("agenda.pdf", PDF, "application/pdf"),
    ("notes.docx", office_file("word/"), "application/vnd.openxmlformats-officedocument."),
    ("figures.xlsx", office_file("xl/"), "application/vnd.openxmlformats-officedocument."),
    ("slides.pptx", office_file("ppt/"), "application/vnd.openxmlformats-officedocument."),
    ("notes.txt", "Café notes — 2 items".encode(), "text/plain"),
    ("data.csv", b"service,weeks\nSLT,14\n", "text/csv"),
    ("chart.png", PNG, "image/png"),
    ("photo.jpg", JPEG, "image/jpeg"),
    ("photo.JPEG", JPEG, "image/jpeg"),
]


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(media_root) -> list:
    return [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "expected_type"), GOOD_FILES)
def test_a_member_uploads_each_allowed_kind_of_paper(
    client, dmo, meeting, media_root, name, content, expected_type
):
    client.force_login(dmo)

    response = client.post(
        upload_url(meeting), {"title": "Waiting times report", "file": upload(name, content)}
    )

    assert response.status_code == 302
    paper = Paper.objects.get()
    assert paper.content_type.startswith(expected_type)
    assert paper.size == len(content)
    assert paper.uploaded_by == dmo
    assert paper.file.read() == content
    # Stored under a random name in the meeting's folder, never the uploaded name.
    assert paper.file.name.startswith(f"meeting-papers/{meeting.pk}/")
    assert name.rsplit(".", 1)[0] not in paper.file.name


@pytest.mark.django_db
def test_a_paper_can_belong_to_an_item_of_the_same_meeting_only(
    client, dco, dmo, meeting, other_meeting
):
    mine = services.add_agenda_item(meeting, dco, title="Waiting times")
    theirs = services.add_agenda_item(other_meeting, dco, title="Themes")
    client.force_login(dmo)

    client.post(
        upload_url(meeting),
        {"title": "Report", "agenda_item": mine.pk, "file": upload("a.pdf", PDF)},
    )
    refused = client.post(
        upload_url(meeting),
        {"title": "Report", "agenda_item": theirs.pk, "file": upload("a.pdf", PDF)},
    )

    assert Paper.objects.get().agenda_item == mine
    assert "Select a valid choice" in text_of(refused)


REFUSED_FILES = [
    ("program.exe", b"MZ\x90\x00", "must be a PDF, Word document"),
    ("page.html", b"<html></html>", "must be a PDF, Word document"),
    ("no-extension", PDF, "must be a PDF, Word document"),
    ("old.doc", b"\xd0\xcf\x11\xe0", "must be a PDF, Word document"),
    ("really-a-png.pdf", PNG, "is not a PDF"),
    ("really-a-pdf.png", PDF, "is not a PNG image"),
    ("really-a-png.jpg", PNG, "is not a JPEG image"),
    ("spreadsheet.docx", office_file("xl/"), "is not a Word document"),
    ("plain.docx", b"PK\x03\x04 but not a zip at all", "is not a Word document"),
    ("latin1.txt", "café".encode("latin-1"), "is not a text file"),
    ("binary.csv", b"a,b\x00\x01", "is not a CSV file"),
    ("empty.pdf", b"", "The selected file is empty"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content", "message"), REFUSED_FILES)
def test_refused_files_are_explained_and_nothing_is_saved(
    client, dmo, meeting, media_root, name, content, message
):
    client.force_login(dmo)

    response = client.post(
        upload_url(meeting), {"title": "Waiting times report", "file": upload(name, content)}
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert 'value="Waiting times report"' in page
    assert not Paper.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(client, dmo, meeting, media_root, settings):
    settings.PAPER_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(dmo)
    content = PDF + b"0" * (2 * 1024 * 1024)

    response = client.post(upload_url(meeting), {"title": "Big", "file": upload("b.pdf", content)})

    assert "The selected file must be smaller than 2 MB" in text_of(response)
    assert not Paper.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_of_exactly_10_mb_is_taken_and_one_byte_more_is_not(settings):
    settings.PAPER_MAX_BYTES = 10 * 1024 * 1024  # the portal's default
    at_limit = upload("a.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    over = upload("b.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF) + 1))

    assert services.check_paper_file(at_limit).extension == "pdf"
    with pytest.raises(services.RefusedChange, match="smaller than 10 MB"):
        services.check_paper_file(over)


@pytest.mark.django_db
def test_the_browsers_content_type_is_not_trusted(client, dmo, meeting):
    client.force_login(dmo)

    # A PNG the browser calls a PDF is taken, and stored as what it is.
    client.post(
        upload_url(meeting),
        {"title": "Chart", "file": upload("chart.png", PNG, "application/pdf")},
    )
    # A PNG named .pdf and sent as application/pdf is refused, whatever the browser says.
    refused = client.post(
        upload_url(meeting),
        {"title": "Fake", "file": upload("report.pdf", PNG, "application/pdf")},
    )

    assert Paper.objects.get().content_type == "image/png"
    assert "is not a PDF" in text_of(refused)


@pytest.mark.django_db
def test_the_stored_file_is_removed_if_the_record_cannot_be_saved(
    dmo, meeting, media_root, monkeypatch
):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Paper, "save", fail)

    with pytest.raises(RuntimeError):
        services.upload_paper(meeting, dmo, title="Report", upload=upload("a.pdf", PDF))

    assert stored_files(media_root) == []


@pytest.mark.django_db
def test_papers_follow_the_agenda_lock_for_members_but_not_the_chair(client, dco, dmo, meeting):
    with time_machine.travel(meeting.agenda_locks_at + MINUTE, tick=False):
        client.force_login(dmo)
        refused = client.post(upload_url(meeting), {"title": "Late", "file": upload("a.pdf", PDF)})
        client.force_login(dco)
        client.post(upload_url(meeting), {"title": "Chair's", "file": upload("a.pdf", PDF)})

    assert "The agenda closed at" in text_of(refused)
    assert [p.title for p in Paper.objects.all()] == ["Chair's"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "health_professional_a", "no_role_user"])
def test_people_outside_the_series_may_not_upload(client, request, meeting, persona):
    person = request.getfixturevalue(persona)
    client.force_login(person)

    response = client.post(upload_url(meeting), {"title": "X", "file": upload("a.pdf", PDF)})

    assert response.status_code == refusal_for(person, meeting.series)
    assert not Paper.objects.exists()


# --- Downloading papers -------------------------------------------------------------------


@pytest.fixture
def paper(dmo, meeting):
    return services.upload_paper(
        meeting,
        dmo,
        title="Waiting times: SLT & OT (draft)",
        upload=upload("Jane Smith referral letter.pdf", PDF, "application/pdf"),
    )


def download_url(paper):
    return reverse("meetings:paper", args=[paper.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "dmo", "clinical_lead"])
def test_members_download_a_paper_named_after_its_title_never_the_uploaded_name(
    client, request, paper, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(download_url(paper))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="waiting-times-slt-ot-draft.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Jane" not in str(response.headers)
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["commissioner", "health_professional_a", "send_officer", "no_role_user"]
)
def test_people_who_may_not_see_the_meeting_may_not_download_its_papers(
    client, request, paper, persona
):
    person = request.getfixturevalue(persona)
    client.force_login(person)

    assert client.get(download_url(paper)).status_code == refusal_for(person, paper.meeting.series)


@pytest.mark.django_db
def test_a_paper_of_another_series_is_refused(client, dco, send_officer, other_meeting, dmo):
    theirs = services.upload_paper(
        other_meeting, dco, title="Themes", upload=upload("themes.pdf", PDF)
    )
    client.force_login(dmo)

    assert client.get(download_url(theirs)).status_code == 403
    assert client.get(reverse("meetings:paper", args=[theirs.pk + 100])).status_code == 404


@pytest.mark.django_db
def test_a_paper_whose_file_has_gone_is_not_found(client, dmo, paper):
    paper.file.storage.delete(paper.file.name)
    client.force_login(dmo)

    assert client.get(download_url(paper)).status_code == 404


@pytest.mark.django_db
def test_the_meeting_page_lists_papers_with_size_and_uploader(client, dco, dmo, meeting, paper):
    client.force_login(dco)

    page = text_of(client.get(reverse("meetings:meeting", args=[meeting.pk])))

    assert "Waiting times: SLT &amp; OT (draft)" in page
    assert "Dr Dee Emmo" in page
    assert download_url(paper) in page
    assert f"{len(PDF)} bytes" in page
