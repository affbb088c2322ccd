"""A real Celery worker, started by the test, runs a real task through a real broker.

Two brokers: the embedded filesystem transport (always: it needs nothing
installed) and Redis (when REDIS_URL is set, as in CI). The producer and the
worker are separate processes, as web and worker are in production; the
worker writes to this test's database, and the test reads what it wrote.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from service_status.models import Heartbeat

PROJECT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_database_url() -> str:
    """This test's database as a URL, so the worker process opens the same one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve().as_posix()}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def process_env(broker_env: dict, var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "send_portal.settings",
            "DATABASE_URL": test_database_url(),
            "VAR_DIR": str(var_dir),
            **broker_env,
        }
    )
    return env


def run_through_a_real_worker(env: dict, tmp_path: Path) -> Heartbeat:
    queue = f"integration-{uuid.uuid4().hex[:12]}"
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "send_portal",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
            "--hostname",
            f"{queue}@%h",
        ],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        send = (
            "from service_status.tasks import record_heartbeat; "
            f"record_heartbeat.apply_async(args=['{queue}'], queue='{queue}')"
        )
        subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {send}"],
            cwd=PROJECT,
            env=env,
            check=True,
            timeout=60,
            capture_output=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            heartbeat = Heartbeat.objects.filter(name=queue).first()
            if heartbeat is not None:
                return heartbeat
            if worker.poll() is not None:
                break
            time.sleep(0.2)
        log.flush()
        pytest.fail("The worker did not run the task:\n" + (tmp_path / "worker.log").read_text())
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def test_a_real_worker_runs_a_task_through_the_embedded_filesystem_broker(tmp_path):
    env = process_env({}, tmp_path)

    heartbeat = run_through_a_real_worker(env, tmp_path)

    assert heartbeat.beats == 1
    assert heartbeat.worker_hostname.startswith("integration-")


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a Redis server: set REDIS_URL (CI does) to run a worker through Redis",
)
def test_a_real_worker_runs_a_task_through_redis(tmp_path):
    env = process_env({"REDIS_URL": os.environ["REDIS_URL"]}, tmp_path)

    heartbeat = run_through_a_real_worker(env, tmp_path)

    assert heartbeat.beats == 1
