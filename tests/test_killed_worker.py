"""A worker killed part-way through a task: the work is done again by another worker within
minutes (seconds here), not left for hours in Redis's unacknowledged set.

A real worker (prefork, as in production) takes a password-reset email from Redis, as the
outbox sends it, and hangs talking to a mail server that never answers; the test kills the
worker and its pool process with SIGKILL, as a lost machine or container would. A new
worker then finds the message in Redis's unacknowledged set once the visibility timeout
(5 s here, from the environment) has passed, runs it and sends the email. With the message
acknowledged when the task starts (Celery's default) it would be gone with the first worker.
"""

import os
import signal
import socket
import threading
import uuid

import pytest
from django.utils import timezone

from outbox.models import OutboxMessage
from tests.celery_worker import process_env, send_task, wait_for, worker_process
from tests.redis_server import reachable

REDIS_URL = os.environ.get("REDIS_URL", "")

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not reachable(REDIS_URL),
        reason="needs a Redis server: set REDIS_URL (CI does) to kill a worker on Redis",
    ),
]

TASK = "security.tasks.send_password_reset"
#: Seconds Redis waits for an acknowledgement before another worker may take the message.
VISIBILITY_TIMEOUT = 5


class SilentMailServer:
    """Accepts connections and never says a word: a worker sending mail through it hangs
    until its timeout, which is where the test kills it."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connected = threading.Event()
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)
            self.connected.set()

    def close(self):
        for connection in self.held:
            connection.close()
        self.socket.close()


@pytest.fixture
def silent_mail_server():
    server = SilentMailServer()
    yield server
    server.close()


def test_a_task_whose_worker_is_killed_mid_task_is_done_by_the_next_worker(
    tmp_path, dmo, silent_mail_server
):
    env = process_env(
        {"REDIS_URL": REDIS_URL, "CELERY_VISIBILITY_TIMEOUT_SECONDS": str(VISIBILITY_TIMEOUT)},
        tmp_path,
    )
    queue = f"killed-{uuid.uuid4().hex[:12]}"
    message = OutboxMessage.objects.create(task=TASK, args=[dmo.pk], sent_at=timezone.now())
    log = tmp_path / "worker.log"

    hanging = {
        **env,
        "EMAIL_URL": f"smtp://127.0.0.1:{silent_mail_server.port}",
        "EMAIL_TIMEOUT": "120",
    }
    with worker_process(hanging, log, queue, name="first", pool="prefork") as first:
        send_task(env, TASK, queue, args=(dmo.pk,), task_id=str(message.pk))
        assert silent_mail_server.connected.wait(60), log.read_text()  # mid-task now
        # The worker and its pool process at once: nothing of it is left to say goodbye.
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=20)

    message.refresh_from_db()
    assert message.finished_at is None  # the first worker never finished it

    # The next worker writes mail to files under VAR_DIR/mail (the embedded default).
    with worker_process(env, log, queue, name="second"):
        finished = wait_for(
            lambda: OutboxMessage.objects.filter(pk=message.pk, finished_at__isnull=False).first(),
            tmp_path,
            "run the task again after the first worker was killed",
            seconds=90,
        )

    assert finished.state == "done"
    sent = [path.read_text() for path in (tmp_path / "mail").glob("*.log")]
    assert len(sent) == 1
    assert dmo.email in sent[0] and "/password-reset/" in sent[0]
