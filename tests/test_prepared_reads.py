"""A read whose SQL is compiled once per process (send_portal/prepared_reads.py) returns what
its queryset returns, for whichever record it is asked about, with the same related records,
deferred fields and annotations, compiling its SQL only the first time."""

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models.functions import MD5
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from ehcp import services
from ehcp.models import SectionsVersion
from ehcp.tests.factories import make_plan_waiting_for_sign_off
from send_portal.prepared_reads import PreparedRead
from tests.factories import DEFAULT_TEST_PASSWORD


def _versions(plan_id):
    return (
        SectionsVersion.objects.filter(plan_id=plan_id)
        .select_related("submitted_by", "sign_off__signed_by")
        .only(
            "plan_id",
            "number",
            "content_hash",
            "submitted_by__full_name",
            "sign_off__version_id",
            "sign_off__role_name",
            "sign_off__signed_by__full_name",
        )
        .annotate(section_c_md5=MD5("section_c"))
        .order_by("-number")
    )


def _as_read(versions) -> list[tuple]:
    """What each version shows, read without a query more."""
    return [
        (
            version.pk,
            version.number,
            version.content_hash,
            version.section_c_md5,
            version.submitted_by.full_name,
            getattr(version, "sign_off", None) and version.sign_off.role_name,
            getattr(version, "sign_off", None) and version.sign_off.signed_by.full_name,
            sorted(version.get_deferred_fields()),
        )
        for version in versions
    ]


@pytest.fixture
def plans(dmo):
    """Three plans: one signed off, one waiting, one with two versions."""
    signed = make_plan_waiting_for_sign_off()
    services.sign_off(signed.versions.get(), dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    waiting = make_plan_waiting_for_sign_off()
    again = make_plan_waiting_for_sign_off()
    version = again.versions.get()
    services.return_for_amendment(version, dmo, "Say who reviews the plan.")
    again.refresh_from_db()
    services.submit_for_sign_off(again, again.last_edited_by, again.edit_count)
    return [signed.pk, waiting.pk, again.pk]


@pytest.mark.django_db
def test_each_record_read_is_what_its_queryset_returns_with_nothing_read_twice(plans):
    read = PreparedRead(_versions)
    for plan_id in [*plans, *reversed(plans), -1]:
        with CaptureQueriesContext(connection) as queries:
            prepared = _as_read(read.read(plan_id))
        expected = _as_read(_versions(plan_id))

        assert prepared == expected
        assert len(queries) == 1  # the related records came with it: none read on their own
    assert [len(read.read(plan_id)) for plan_id in plans] == [1, 1, 2]


@pytest.mark.django_db
def test_the_sql_is_compiled_on_the_first_read_only(plans):
    read = PreparedRead(_versions)
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql):
        first = read.read(plans[0])
        compiled_once = SQLCompiler.as_sql.call_count
        for plan_id in plans * 3:
            read.read(plan_id)

        assert compiled_once == 1
        assert SQLCompiler.as_sql.call_count == 1
    assert first[0].sign_off.role_name


@pytest.mark.django_db
def test_the_value_must_be_a_whole_number():
    read = PreparedRead(_versions)
    for value in ("1", 1.0, None, "1 OR 1=1"):
        with pytest.raises(TypeError):
            read.read(value)


@pytest.mark.django_db
def test_a_queryset_that_does_not_use_its_value_is_refused():
    read = PreparedRead(lambda plan_id: SectionsVersion.objects.filter(number=1))
    with pytest.raises(ValueError, match="does not use its value"):
        read.read(1)


@pytest.mark.django_db(transaction=True)
def test_another_thread_reads_on_its_own_connection(plans):
    """The development server answers each request on a thread of its own, each with its own
    connection to the database: the SQL compiled on one thread is run on the other's."""
    read = PreparedRead(_versions)
    here = _as_read(read.read(plans[2]))
    there = {}

    def on_another_thread():
        try:
            with CaptureQueriesContext(connections["default"]) as queries:
                there["read"] = _as_read(read.read(plans[2]))
            there["connection"] = connections["default"]
            there["queries"] = len(queries)
        finally:
            connections.close_all()

    thread = threading.Thread(target=on_another_thread)
    thread.start()
    thread.join()

    assert there["read"] == here
    assert there["queries"] == 1
    assert there["connection"] is not connection


def _versions_of_plans(plan_ids, start, stop):
    return SectionsVersion.objects.filter(plan_id__in=plan_ids).order_by("pk")[start:stop]


@pytest.mark.django_db
def test_a_tuple_of_ids_and_a_slice_each_shape_compiled_once(plans):
    """An ``__in`` of ids compiles its SQL once for each number of ids, and a slice (written
    into the SQL by Django, not passed as a parameter) once for each slice."""
    read = PreparedRead(_versions_of_plans)
    asked = [
        ((plans[0],), 0, 10),
        ((plans[1],), 0, 10),
        ((plans[0], plans[2]), 0, 10),
        ((plans[2], plans[1]), 0, 10),
        ((plans[2], plans[1]), 1, 3),
        ((plans[0], plans[1], plans[2]), 0, 10),
        ((plans[0], plans[1], plans[2]), 1, 3),
        ((-1,), 0, 10),
    ]
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql):
        for ids, start, stop in asked * 2:
            with CaptureQueriesContext(connection) as queries:
                prepared = [v.pk for v in read.read(ids, start=start, stop=stop)]
            expected = [v.pk for v in _versions_of_plans(ids, start, stop)]

            assert prepared == expected
            assert len(queries) == 1
        # Built afresh above for each comparison; the read compiled once a shape.
        assert SQLCompiler.as_sql.call_count == len(asked) * 2 + 5
    assert [len(read.read(ids, start=0, stop=10)) for ids, _s, _e in asked[:4]] == [1, 1, 3, 3]


@pytest.mark.django_db
def test_no_ids_read_nothing_without_a_query(plans):
    """An empty ``__in`` matches nothing: Django answers without asking the database, and so
    does the read (someone who reaches no local area)."""
    read = PreparedRead(_versions_of_plans)
    with CaptureQueriesContext(connection) as queries:
        assert read.read((), start=0, stop=10) == []
        assert read.read((), start=0, stop=10) == []
    assert len(queries) == 0
    assert [v.pk for v in read.read((plans[2],), start=0, stop=10)] == list(
        SectionsVersion.objects.filter(plan_id=plans[2]).order_by("pk").values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_each_id_of_a_tuple_must_be_a_whole_number_and_each_value_used():
    read = PreparedRead(_versions_of_plans)
    for ids in (("1",), (1, 2.0), (1, None), [1, 2]):
        with pytest.raises(TypeError):
            read.read(ids, start=0, stop=10)
    half_used = PreparedRead(
        lambda plan_ids, number: SectionsVersion.objects.filter(plan_id__in=plan_ids)
    )
    with pytest.raises(ValueError, match="does not use its value"):
        half_used.read((1, 2), 1)
