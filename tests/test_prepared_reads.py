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
