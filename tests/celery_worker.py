"""A real Celery worker for integration tests: started in its own process on a queue of its
own, against the test's database and a real broker, and stopped afterwards.

Used by tests that prove a task goes through the broker and a worker as in production
(tests/test_celery_integration.py, meetings/tests/test_reminders_integration.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent


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
    """The environment of the worker and of the process that sends it work."""
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


@contextmanager
def real_worker(env: dict, tmp_path: Path) -> Iterator[str]:
    """Run a worker on a queue of its own while the block runs; yields the queue's name."""
    queue = f"integration-{uuid.uuid4().hex[:12]}"
    with worker_process(env, tmp_path / "worker.log", queue):
        yield queue


@contextmanager
def worker_process(
    env: dict, log_path: Path, queue: str, name: str = "", pool: str = "solo"
) -> Iterator[subprocess.Popen]:
    """Run a worker on ``queue`` while the block runs; yields its process, the leader of a
    process group of its own (a test may kill the group: the worker and its pool's
    processes, as a lost machine would). Stopped at the end if it still runs.

    ``pool="prefork"`` runs one pool process as production does; the solo pool runs the
    task in the worker itself."""
    with log_path.open("a") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "send_portal",
                "worker",
                "--pool",
                pool,
                "--concurrency",
                "1",
                "--queues",
                queue,
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "INFO",
                "--hostname",
                f"{name or queue}@%h",
            ],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield worker
        finally:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()


def send_task(env: dict, task: str, queue: str, args: tuple = (), task_id: str = "") -> None:
    """Send ``task`` (a dotted path) to ``queue`` from another process, as the web server does
    (the outbox sends each message with its id as the ``task_id``)."""
    module, name = task.rsplit(".", 1)
    code = (
        "import django; django.setup(); "
        f"from {module} import {name}; "
        f"{name}.apply_async(args={list(args)!r}, queue={queue!r}, task_id={task_id or None!r})"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    )


def wait_for(found: Callable, tmp_path: Path, what: str, seconds: float = 60):
    """Poll ``found()`` until it returns something truthy; fail with the worker's log."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = found()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"The worker did not {what}:\n" + (tmp_path / "worker.log").read_text())
