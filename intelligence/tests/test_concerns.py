"""Logging concerns: the anonymity check, fast entry, CSV import, escalation and answers."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ehcp.tests.factories import ChildFactory
from intelligence import services
from intelligence.anonymity import identifying_details
from intelligence.models import Concern, ConcernSource, Escalation, Theme
from intelligence.selectors import emerging_themes
from tests.factories import the_test_area


def theme(name="Waiting times"):
    return Theme.objects.get(name=name)


def log(user, summary="Families wait too long for speech therapy", raised_on=None, **extra):
    return services.log_concern(
        area=the_test_area(),
        raised_on=raised_on or timezone.localdate(),
        source=extra.pop("source", ConcernSource.SENDIASS),
        summary=summary,
        themes=extra.pop("themes", [theme()]),
        logged_by=user,
        **extra,
    )


# --- The anonymity check -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Child with NHS number 943 476 5919 waited a year",
        "NHS no 9434765919",
        "born 12/03/2019, still no assessment",
        "DOB 3 March 2019",
        "on March 3rd, 2019 the family",
    ],
)
def test_nhs_numbers_and_dates_of_birth_are_refused(text):
    assert identifying_details(text)


@pytest.mark.django_db
def test_the_name_of_a_child_on_record_is_refused_but_other_capitalised_words_are_not():
    ChildFactory(first_name="Olivia", last_name="Hedley")

    assert identifying_details("Olivia Hedley's mum said the wait was too long")
    assert identifying_details("the mum of OLIVIA hedley rang")  # typed in any case
    assert identifying_details("Olivia, Hedley") == []  # not next to each other
    assert identifying_details("The Health Café heard from South Tyneside families") == []
    assert identifying_details("Waits rose in March and the SALT team is short of 2 staff") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last", "text"),
    [
        ("Liam", "O'Connor", "Liam O'Connor's school has no nurse"),
        ("Liam", "O’Connor", "liam o’connor waited a year"),
        ("Ava", "McDonald", "Ava McDonald waited a year"),
        ("Mia", "Smith-Jones", "Mia Smith-Jones waited a year"),
        ("Zoë", "Brontë", "Zoë Brontë waited a year"),
    ],
)
def test_names_with_apostrophes_inner_capitals_hyphens_and_accents_are_refused(first, last, text):
    ChildFactory(first_name=first, last_name=last)

    assert identifying_details(text)


@pytest.mark.django_db
def test_a_refused_concern_is_not_saved(sendiass_officer):
    ChildFactory(first_name="Noah", last_name="Robson")

    with pytest.raises(services.RefusedChange, match="Noah Robson"):
        log(sendiass_officer, "Noah Robson waited 40 weeks")
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_the_form_refuses_an_nhs_number_and_keeps_what_was_typed(client, sendiass_officer):
    client.force_login(sendiass_officer)
    today = timezone.localdate()

    response = client.post(
        reverse("intelligence:concern-create"),
        {
            "raised_on_day": today.day,
            "raised_on_month": today.month,
            "raised_on_year": today.year,
            "source": "sendiass",
            "themes": [theme().pk],
            "summary": "Family of 943 476 5919 cannot get a SALT appointment",
            "families": "1",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Remove the NHS number" in page and "There is a problem" in page
    assert "cannot get a SALT appointment" in page
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_fast_entry_keeps_the_date_and_source_for_the_next_concern(client, sendiass_officer):
    client.force_login(sendiass_officer)
    day = timezone.localdate() - datetime.timedelta(days=3)
    for summary in ("Waits for OT", "Waits for physio", "Waits for SALT"):
        response = client.post(
            reverse("intelligence:concern-create"),
            {
                "raised_on_day": day.day,
                "raised_on_month": day.month,
                "raised_on_year": day.year,
                "source": "parent-carer-forum",
                "themes": [theme().pk],
                "summary": summary,
                "families": "2",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].initial["source"] == "parent-carer-forum"

    assert Concern.objects.filter(raised_on=day, families=2).count() == 3


# --- Who sees what ------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_sendiass_officer_sees_only_the_concerns_they_logged(
    client, sendiass_officer, dco, clinical_lead
):
    mine = log(sendiass_officer)
    other = log(clinical_lead, "Transition clinics are full")
    client.force_login(sendiass_officer)

    listed = list(client.get(reverse("intelligence:concerns")).context["page"].object_list)

    assert listed == [mine]
    assert client.get(reverse("intelligence:concern", args=[other.pk])).status_code == 403
    client.force_login(dco)
    assert len(client.get(reverse("intelligence:concerns")).context["page"].object_list) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "record"),
    # Working in no area, the concern is not theirs to know of: 404.
    [("commissioner", 403), ("health_professional_a", 404), ("no_role_user", 404)],
)
def test_others_cannot_read_the_concern_log(client, request, persona, record, dco):
    concern = log(dco)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("intelligence:concerns")).status_code == 403
    assert client.get(reverse("intelligence:concern", args=[concern.pk])).status_code == record


# --- Escalation and "you said, we did" -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("waiting", [3, 30])
def test_escalations_waiting_come_a_page_at_a_time_the_longest_waiting_first(
    client, commissioner, dco, waiting, django_assert_num_queries
):
    asked = [
        services.escalate(
            dco, f"Question number {n} for the ICB?", theme=theme(), area=the_test_area()
        )
        for n in range(waiting)
    ]
    client.force_login(commissioner)
    client.get(reverse("intelligence:escalations"))  # warm the session

    # session, user (with its roles and the header's unread count), count, page of
    # escalations, the answered ones (escalations of a theme have no concern whose themes to
    # fetch): the same however many wait
    with django_assert_num_queries(5):
        first = client.get(reverse("intelligence:escalations"))
    shown = list(first.context["page"].object_list)
    assert [e.pk for e in shown] == [e.pk for e in asked[:25]]
    assert f"{waiting} waiting, the longest waiting first." in first.content.decode()
    assert first.context["can_answer"] is True
    if waiting > 25:
        second = client.get(reverse("intelligence:escalations"), {"page": 2})
        assert [e.pk for e in second.context["page"].object_list] == [e.pk for e in asked[25:]]


@pytest.mark.django_db
def test_the_dco_escalates_and_the_commissioner_answers(
    client, dco, commissioner, sendiass_officer
):
    concern = log(sendiass_officer)
    client.force_login(dco)
    client.post(
        reverse("intelligence:concern-escalate", args=[concern.pk]),
        {"question": "Can the ICB fund more SALT capacity this year?"},
    )
    escalation = Escalation.objects.get()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.ESCALATED

    client.force_login(commissioner)
    assert "Can the ICB fund" in client.get(reverse("intelligence:escalations")).content.decode()
    client.post(
        reverse("intelligence:escalation-answer", args=[escalation.pk]),
        {"response": "Two more therapists funded from January.", "action": "Recruit by March."},
    )

    concern.refresh_from_db()
    assert concern.status == Concern.Status.RESPONDED
    page = client.get(reverse("intelligence:you-said-we-did")).content.decode()
    assert "Two more therapists funded" in page
    with pytest.raises(services.RefusedChange, match="already"):
        services.answer(escalation, "again", "", commissioner)


@pytest.mark.django_db
def test_the_forum_reads_you_said_we_did_but_not_the_log(client, dco, commissioner):
    from roles.models import RoleCode
    from tests.factories import person_holding

    forum = person_holding(RoleCode.PARENT_CARER_FORUM)
    escalation = services.escalate(dco, "Why are waits long?", theme=theme(), area=the_test_area())
    services.answer(escalation, "More staff funded.", "", commissioner)
    client.force_login(forum)

    assert (
        "More staff funded." in client.get(reverse("intelligence:you-said-we-did")).content.decode()
    )
    assert client.get(reverse("intelligence:concerns")).status_code == 403


@pytest.mark.django_db
def test_only_commissioners_answer(client, dco):
    escalation = services.escalate(dco, "Question", theme=theme(), area=the_test_area())
    client.force_login(dco)

    assert (
        client.get(reverse("intelligence:escalation-answer", args=[escalation.pk])).status_code
        == 403
    )


# --- Themes ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_merging_themes_keeps_the_history(dco):
    waits, therapy = theme("Waiting times"), theme("Access to therapy")
    concern = log(dco, themes=[therapy])

    services.merge_themes(therapy, waits)

    therapy.refresh_from_db()
    assert therapy.merged_into == waits and not therapy.is_active
    assert set(concern.themes.all()) == {therapy, waits}
    later = log(dco, "Another", themes=[therapy])
    assert list(later.themes.all()) == [waits]  # the merged theme stands for the one it joined


@pytest.mark.django_db
def test_merging_a_theme_of_more_concerns_than_one_statement_links_links_them_all(dco, monkeypatch):
    # A region's theme can have tens of thousands of concerns: more links than PostgreSQL
    # binds in one statement when parameters bind on the server. They go in batches.
    monkeypatch.setattr(services, "MERGE_BATCH", 2)
    waits, therapy = theme("Waiting times"), theme("Access to therapy")
    concerns = [log(dco, f"Therapy {n}", themes=[therapy]) for n in range(5)]

    with CaptureQueriesContext(connection) as queries:
        services.merge_themes(therapy, waits)

    through = Concern.themes.through._meta.db_table
    inserts = [
        q for q in queries if q["sql"].startswith("INSERT") and f'INTO "{through}"' in q["sql"]
    ]
    assert len(inserts) == 3  # 5 links, 2 a statement
    assert Concern.objects.filter(themes=waits).count() == 5
    for concern in concerns:
        assert set(concern.themes.all()) == {therapy, waits}


@pytest.mark.django_db
def test_a_theme_is_emerging_by_the_written_rule(dco):
    today = datetime.date(2026, 11, 24)
    waits, transition = theme("Waiting times"), theme("Transition to adult services")
    # Waiting times: 12 in the 12 months before (1 a month) and 4 in the last 3 months
    # (1.33 a month): not 1.5 times, so not emerging.
    for month in range(4, 16):
        log(dco, f"Wait {month}", raised_on=today - datetime.timedelta(days=30 * month))
    for n in range(4):
        log(dco, f"Recent wait {n}", raised_on=today - datetime.timedelta(days=10 + n))
    # Transition: none before, 3 recently: emerging.
    for n in range(3):
        log(
            dco,
            f"Transition {n}",
            raised_on=today - datetime.timedelta(days=5 + n),
            themes=[transition],
        )

    flagged = emerging_themes(None, today)

    assert [e.theme for e in flagged] == [transition]
    assert flagged[0].recent == 3 and flagged[0].earlier == 0
    assert waits not in [e.theme for e in flagged]


# --- CSV import --------------------------------------------------------------------------------

GOOD = (
    "raised_on,source,service,themes,summary,families\n"
    "2026-11-02,sendiass,salt,Waiting times,Families wait 40 weeks for SALT,3\n"
    "03/11/2026,Parent Carer Forum,,Transition to adult services;Waiting times,"
    "No transition clinic,1\n"
)


def upload(client, text):
    return client.post(
        reverse("intelligence:concern-import"),
        {"file": SimpleUploadedFile("concerns.csv", text.encode(), content_type="text/csv")},
    )


@pytest.mark.django_db
def test_a_good_file_is_previewed_then_imported_whole(client, sendiass_officer):
    client.force_login(sendiass_officer)

    preview = upload(client, GOOD)
    assert "Import 2 concerns" in preview.content.decode()
    assert not Concern.objects.exists()
    done = client.post(reverse("intelligence:concern-import"), {"confirm": "1", "csv_text": GOOD})

    assert done.status_code == 302
    assert Concern.objects.count() == 2
    assert Concern.objects.get(service="salt").families == 3


@pytest.mark.django_db
def test_a_file_with_one_bad_row_imports_nothing_and_says_which(client, sendiass_officer):
    ChildFactory(first_name="Isla", last_name="Forster")
    bad = GOOD + (
        "2026-13-01,sendiass,,Waiting times,Bad date,1\n"
        "2026-11-04,sendiass,,Unknown theme,Something,1\n"
        "2026-11-04,sendiass,,Waiting times,Isla Forster waited,1\n"
        "2026-11-02,sendiass,salt,Waiting times,Families wait 40 weeks for SALT,3\n"
    )
    client.force_login(sendiass_officer)

    page = upload(client, bad).content.decode()

    assert "4 rows need correcting" in page
    assert "raised_on: enter a date" in page
    assert "unknown theme “Unknown theme”" in page
    assert "Isla Forster" in page and "Remove the name" in page
    assert "appears earlier in the file" in page
    assert "Import" not in page.split("Check another file")[0].split("</table>")[-1]
    forced = client.post(reverse("intelligence:concern-import"), {"confirm": "1", "csv_text": bad})
    assert forced.status_code == 200
    assert not Concern.objects.exists()


@pytest.mark.django_db
def test_a_file_with_wrong_headers_is_refused(client, sendiass_officer):
    client.force_login(sendiass_officer)

    page = upload(client, "date,text\n2026-11-01,hello\n").content.decode()

    assert "The file has no column raised_on, source, themes, summary" in page
    assert "Unknown column date, text" in page


@pytest.mark.django_db
def test_a_row_already_in_the_log_is_a_duplicate(client, sendiass_officer):
    client.force_login(sendiass_officer)
    client.post(reverse("intelligence:concern-import"), {"confirm": "1", "csv_text": GOOD})

    page = upload(client, GOOD).content.decode()

    assert "already in the log" in page
    assert Concern.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_log_passes_the_anonymity_check_and_shows_a_rising_theme():
    from django.core.management import call_command

    call_command("seed_demo")

    assert Concern.objects.count() > 50
    assert [e.theme.name for e in emerging_themes(None)] == ["Transition to adult services"]
    assert Escalation.objects.filter(responded_at__isnull=True).exists()
    assert Escalation.objects.filter(responded_at__isnull=False).exists()


@pytest.mark.django_db
def test_the_list_follows_the_reports_links_by_period_and_service(client, dco):
    today = timezone.localdate()
    inside = log(dco, "Inside", raised_on=today - datetime.timedelta(days=10), service="salt")
    log(dco, "Too early", raised_on=today - datetime.timedelta(days=100), service="salt")
    log(dco, "Other service", raised_on=today - datetime.timedelta(days=10), service="ot")
    client.force_login(dco)

    listed = (
        client.get(
            reverse("intelligence:concerns"),
            {
                "raised_from": (today - datetime.timedelta(days=30)).isoformat(),
                "raised_to": today.isoformat(),
                "service": "salt",
            },
        )
        .context["page"]
        .object_list
    )

    assert list(listed) == [inside]


@pytest.mark.django_db
def test_a_concern_goes_on_the_intelligence_meetings_list_and_gets_its_outcome(
    client, dco, sendiass_officer
):
    from meetings.tests.factories import make_series, next_meeting

    series = make_series(
        name="Intelligence sharing",
        kind="intelligence-sharing",
        rrule="FREQ=MONTHLY;BYDAY=1WE",
        member_roles=("dco", "sendiass-officer"),
        quorum_minimum=1,
    )
    meeting = next_meeting(series)
    concern = log(sendiass_officer)
    client.force_login(dco)

    client.post(reverse("intelligence:concern-attach", args=[concern.pk]), {"meeting": meeting.pk})
    listing = client.get(reverse("intelligence:meeting-concerns", args=[meeting.pk]))
    client.post(
        reverse("intelligence:concern-outcome", args=[concern.pk]),
        {"meeting": meeting.pk, "outcome": "Raise with the ICB at the next contract meeting."},
    )

    assert concern.summary in listing.content.decode()
    concern.refresh_from_db()
    assert concern.meeting == meeting and concern.status == Concern.Status.DISCUSSED
    assert concern.meeting_outcome.startswith("Raise with the ICB")


@pytest.mark.django_db
def test_the_concerns_list_reuses_the_emerging_themes_until_a_concern_is_logged(
    client, dco, sendiass_officer
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(dco)
    cache.clear()
    for n in range(4):  # four this month: emerging (a theme never raised before)
        log(sendiass_officer, summary=f"Families wait for speech therapy {n}")

    def view():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("intelligence:concerns"))
        counted = [q for q in queries.captured_queries if "FILTER (WHERE" in q["sql"]]
        return response, counted

    first, counted_first = view()
    again, counted_again = view()
    assert [e.theme.name for e in first.context["emerging"]] == ["Waiting times"]
    assert len(counted_first) == 1 and counted_again == []
    assert [e.recent for e in again.context["emerging"]] == [4]

    log(sendiass_officer, summary="Families wait for speech therapy again")
    after, counted_after = view()
    assert len(counted_after) == 1
    assert [e.recent for e in after.context["emerging"]] == [5]


@pytest.mark.django_db
@pytest.mark.parametrize("logged", [5, 40])
def test_the_concerns_list_runs_a_fixed_number_of_queries_newest_first(
    client, dco, sendiass_officer, logged, django_assert_num_queries
):
    today = timezone.localdate()
    for n in range(logged):
        log(sendiass_officer, summary=f"Families wait {n}", raised_on=today - datetime.timedelta(n))
    client.force_login(dco)
    client.get(reverse("intelligence:concerns"))  # warm the session and the emerging themes

    # session, user (with its roles and the header's unread count), count, ids of the page,
    # its concerns, their themes, the filter's themes: the same however many there are
    with django_assert_num_queries(7):
        response = client.get(reverse("intelligence:concerns"))
    days = [concern.raised_on for concern in response.context["page"].object_list]
    assert days == [today - datetime.timedelta(n) for n in range(min(logged, 25))]


@pytest.mark.django_db
def test_the_commissioners_home_page_counts_the_escalations_waiting_for_an_answer(
    client, dco, commissioner
):
    first = services.escalate(
        dco, "Can the ICB fund more SALT capacity?", theme=theme(), area=the_test_area()
    )
    services.escalate(
        dco,
        "When will the CAMHS wait come down?",
        theme=theme("Autism assessment"),
        area=the_test_area(),
    )
    services.answer(first, "Two more therapists funded from January.", "", commissioner)
    client.force_login(commissioner)

    to_dos = {item.label: item for item in client.get(reverse("home")).context["to_dos"]}

    waiting = to_dos["Escalations waiting for the ICB's answer"]
    assert (waiting.count, waiting.href) == (1, reverse("intelligence:escalations"))


@pytest.mark.django_db
def test_only_those_who_answer_escalations_have_that_to_do(client, dco):
    services.escalate(
        dco, "Can the ICB fund more SALT capacity?", theme=theme(), area=the_test_area()
    )
    client.force_login(dco)

    labels = [item.label for item in client.get(reverse("home")).context["to_dos"]]

    assert "Escalations waiting for the ICB's answer" not in labels


@pytest.mark.django_db
def test_a_concerns_history_lists_each_change_of_status_once(
    client, dco, commissioner, sendiass_officer
):
    concern = log(sendiass_officer, themes=[theme(), theme("Transition to adult services")])
    escalation = services.escalate(dco, "Will the ICB fund more SALT?", concern=concern)
    services.answer(escalation, "Two more therapists from January.", "", commissioner)
    client.force_login(dco)

    html = client.get(reverse("intelligence:concern", args=[concern.pk])).content.decode()
    history = html[html.index("History</h2>") :]

    # Saving its themes just after it was made is no second "New".
    assert history.count(": New</li>") == 1
    assert history.index(": Response given") < history.index(": Escalated to commissioners")
    assert history.index(": Escalated to commissioners") < history.index(": New")
