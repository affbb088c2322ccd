"""Events older than AUDIT_RETENTION_DAYS are deleted by the nightly task; nothing younger."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit import tasks
from audit.models import AuditEvent
from audit.services import record_event
from service_status.schedules import PERIODIC_SCHEDULES

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 27, 3, 0, tzinfo=datetime.UTC)


def event_at(moment):
    with time_machine.travel(moment, tick=False):
        return record_event(AuditEvent.Kind.SIGNED_OUT)


@pytest.fixture
def ten_days(settings):
    settings.AUDIT_RETENTION_DAYS = 10
    return NOW - datetime.timedelta(days=10)


def test_events_before_the_cutoff_go_and_events_at_or_after_it_stay(ten_days):
    cutoff = ten_days
    well_past = event_at(cutoff - datetime.timedelta(days=400))
    just_past = event_at(cutoff - datetime.timedelta(microseconds=1))
    exactly_at = event_at(cutoff)
    just_inside = event_at(cutoff + datetime.timedelta(seconds=1))
    today = event_at(NOW)

    with time_machine.travel(NOW, tick=False):
        deleted = tasks.delete_expired_events()

    assert deleted == 2
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert remaining == {exactly_at.pk, just_inside.pk, today.pk}
    assert not {well_past.pk, just_past.pk} & remaining


def _retention_days_loaded(tmp_path, value=None):
    env = {k: v for k, v in os.environ.items() if k != "AUDIT_RETENTION_DAYS"}
    env.update({"DJANGO_SETTINGS_MODULE": "send_portal.settings", "VAR_DIR": str(tmp_path)})
    if value is not None:
        env["AUDIT_RETENTION_DAYS"] = value
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.AUDIT_RETENTION_DAYS)",
        ],
        cwd=Path(__file__).resolve().parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_period_is_eight_years_unless_set_and_never_less_than_a_day(tmp_path):
    default = _retention_days_loaded(tmp_path)
    set_to_30 = _retention_days_loaded(tmp_path, "30")
    zero = _retention_days_loaded(tmp_path, "0")

    assert default.stdout.strip() == "2922", default.stderr
    assert set_to_30.stdout.strip() == "30", set_to_30.stderr
    assert zero.returncode != 0
    assert "AUDIT_RETENTION_DAYS must be a whole number of days, 1 or more" in zero.stderr


def test_a_long_backlog_goes_in_batches_each_one_delete(ten_days):
    for days in range(11, 18):  # 7 expired events
        event_at(NOW - datetime.timedelta(days=days))
    kept = event_at(NOW - datetime.timedelta(days=1))

    with (
        time_machine.travel(NOW, tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        deleted = tasks.delete_expired_events(batch_size=3)

    assert deleted == 7
    assert not AuditEvent.objects.filter(occurred_at__lt=ten_days).exists()
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    deletes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("DELETE")]
    # Batches of 3, 3, 1: each is one DELETE chosen by the database, no row loaded first.
    assert len(deletes) == 3
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert selects == []


def test_nothing_to_delete_is_a_quiet_run(ten_days):
    event_at(NOW)

    with time_machine.travel(NOW, tick=False):
        assert tasks.delete_expired_events() == 0
    assert AuditEvent.objects.count() == 1


def test_beat_runs_it_every_day():
    (schedule,) = [s for s in PERIODIC_SCHEDULES if s.task == "audit.tasks.delete_expired_events"]

    assert schedule.every_seconds == 24 * 60 * 60
    assert schedule.expire_seconds < schedule.every_seconds
