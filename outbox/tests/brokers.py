"""Pointing this process's Celery app at another broker for one test, with eager mode off."""

from __future__ import annotations

from contextlib import contextmanager

from send_portal.celery import app

#: Nothing listens on port 1: connecting is refused at once, as with a Redis that is down.
BROKER_DOWN = "redis://127.0.0.1:1/0"


@contextmanager
def broker_at(url: str, **transport_options):
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "broker_transport_options", "task_always_eager")
    }
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.update(saved)


def take_all(queue: str = "celery") -> list[dict]:
    """The messages waiting in the in-memory broker's queue, oldest first (and removes them)."""
    taken = []
    with app.connection_for_read("memory://") as connection:
        simple = connection.SimpleQueue(queue, no_ack=True)
        while True:
            try:
                message = simple.get(block=False)
            except simple.Empty:
                return taken
            taken.append(message.headers)
