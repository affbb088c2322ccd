import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from service_status.schedules import PERIODIC_SCHEDULES, install_schedules
from service_status.selectors import worker_status
from service_status.tasks import record_heartbeat


@pytest.mark.django_db
def test_migrate_installs_every_declared_schedule_with_an_expiry():
    for schedule in PERIODIC_SCHEDULES:
        task = PeriodicTask.objects.get(name=schedule.name)
        assert task.task == schedule.task
        assert task.interval.every == schedule.every_seconds
        assert 0 < task.expire_seconds < schedule.every_seconds


@pytest.mark.django_db
def test_installing_again_keeps_an_administrators_changes():
    task = PeriodicTask.objects.get(name="Service heartbeat")
    slower, _ = IntervalSchedule.objects.get_or_create(every=300, period=IntervalSchedule.SECONDS)
    task.interval = slower
    task.enabled = False
    task.save()

    assert install_schedules() == 0
    task.refresh_from_db()
    assert (task.interval.every, task.enabled) == (300, False)


@pytest.mark.django_db
def test_a_heartbeat_marks_the_worker_running_for_three_minutes():
    assert not worker_status().is_running

    record_heartbeat.apply()  # runs the task body here, as a worker would
    record_heartbeat.apply()

    status = worker_status()
    assert status.is_running and status.beats == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=4)):
        assert not worker_status().is_running


@pytest.mark.django_db
def test_the_status_page_tells_an_administrator_whether_the_worker_runs(client, administrator):
    client.force_login(administrator)

    before = client.get(reverse("service_status:status")).content.decode()
    record_heartbeat.apply()
    after = client.get(reverse("service_status:status")).content.decode()

    assert "No heartbeat yet" in before
    assert "Running" in after and "Service heartbeat" in after


@pytest.mark.django_db
def test_the_status_page_names_the_broker_without_its_address(client, administrator, settings):
    settings.CELERY_BROKER_URL = "redis://:secret-password@10.0.0.5:6379/0"
    client.force_login(administrator)

    page = client.get(reverse("service_status:status")).content.decode()

    assert "Redis" in page
    assert "secret-password" not in page and "10.0.0.5" not in page


@pytest.mark.django_db
def test_the_status_page_is_for_administrators_only(client, dco):
    client.force_login(dco)

    assert client.get(reverse("service_status:status")).status_code == 403


@pytest.mark.django_db
def test_a_new_installation_runs_each_periodic_task_at_the_first_beat():
    # Due now, not a whole period after the portal first starts.
    task = PeriodicTask.objects.get(name="Service heartbeat")
    is_due, _ = task.schedule.is_due(task.last_run_at)

    assert is_due


@pytest.mark.django_db
def test_healthz_reports_database_broker_and_beat_without_signing_in(client):
    record_heartbeat.apply()

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["healthy"] and body["database"]["ok"] and body["broker"]["ok"]
    assert body["beat"]["ok"] and body["beat"]["seconds_since_heartbeat"] <= 5
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_fails_when_the_broker_cannot_be_reached(client, monkeypatch):
    from service_status import selectors

    monkeypatch.setattr(selectors, "_broker_check", lambda: {"ok": False, "error": "OSError"})

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "error": "OSError"}
