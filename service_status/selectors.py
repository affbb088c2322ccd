"""What the status page shows: is the worker alive, what beat schedules, what runs the portal."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from service_status.models import Heartbeat

#: A worker is called running if it beat within this long (three missed minutes).
HEARTBEAT_FRESH_FOR = datetime.timedelta(minutes=3)


@dataclass(frozen=True)
class WorkerStatus:
    last_seen: datetime.datetime | None
    hostname: str
    beats: int

    @property
    def is_running(self) -> bool:
        return self.last_seen is not None and timezone.now() - self.last_seen <= HEARTBEAT_FRESH_FOR


def worker_status(name: str = "worker") -> WorkerStatus:
    heartbeat = Heartbeat.objects.filter(name=name).first()
    if heartbeat is None:
        return WorkerStatus(last_seen=None, hostname="", beats=0)
    return WorkerStatus(heartbeat.last_seen, heartbeat.worker_hostname, heartbeat.beats)


def periodic_tasks():
    return PeriodicTask.objects.select_related("interval", "crontab", "solar", "clocked").order_by(
        "name"
    )


def platform() -> dict[str, str]:
    """The parts the portal runs on, named without any address or credential."""
    broker = settings.CELERY_BROKER_URL.split(":", 1)[0]
    return {
        "Environment": settings.PORTAL_ENVIRONMENT,
        "Database": connection.vendor,
        "Message broker": {"redis": "Redis", "filesystem": "Filesystem (embedded)"}.get(
            broker, broker
        ),
        "Email": settings.EMAIL_BACKEND.rsplit(".", 2)[-2],
        "Time zone": settings.TIME_ZONE,
    }


def health() -> dict:
    """What a load balancer or monitor needs to know, with no personal data: can the
    portal reach its database and broker, and how long since beat's heartbeat last ran."""
    checks: dict[str, dict] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = {"ok": True}
    except Exception as error:  # noqa: BLE001 - any failure means "not healthy"
        checks["database"] = {"ok": False, "error": type(error).__name__}
    checks["broker"] = _broker_check()
    if checks["database"]["ok"]:
        status = worker_status()
        age = (timezone.now() - status.last_seen).total_seconds() if status.last_seen else None
        checks["beat"] = {
            "ok": status.is_running,
            "seconds_since_heartbeat": round(age) if age is not None else None,
        }
    return checks


def _broker_check() -> dict:
    from send_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True}
    except Exception as error:  # noqa: BLE001
        return {"ok": False, "error": type(error).__name__}
