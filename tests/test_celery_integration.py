"""A real Celery worker, started by the test, runs a real task through a real broker.

Two brokers: the embedded filesystem transport (always: it needs nothing
installed) and Redis (when REDIS_URL is set, as in CI). The producer and the
worker are separate processes, as web and worker are in production; the
worker writes to this test's database, and the test reads what it wrote.
"""

import os

import pytest

from service_status.models import Heartbeat
from tests.celery_worker import process_env, real_worker, send_task, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def run_heartbeat_through_a_real_worker(env, tmp_path) -> Heartbeat:
    with real_worker(env, tmp_path) as queue:
        send_task(env, "service_status.tasks.record_heartbeat", queue, args=(queue,))
        return wait_for(
            lambda: Heartbeat.objects.filter(name=queue).first(), tmp_path, "run the task"
        )


def test_a_real_worker_runs_a_task_through_the_embedded_filesystem_broker(tmp_path):
    heartbeat = run_heartbeat_through_a_real_worker(process_env({}, tmp_path), tmp_path)

    assert heartbeat.beats == 1
    assert heartbeat.worker_hostname.startswith("integration-")


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a Redis server: set REDIS_URL (CI does) to run a worker through Redis",
)
def test_a_real_worker_runs_a_task_through_redis(tmp_path):
    env = process_env({"REDIS_URL": os.environ["REDIS_URL"]}, tmp_path)

    heartbeat = run_heartbeat_through_a_real_worker(env, tmp_path)

    assert heartbeat.beats == 1
