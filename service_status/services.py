from django.db import transaction
from django.db.models import F
from django.utils import timezone

from service_status.models import Heartbeat


def record_heartbeat(name: str, worker_hostname: str = "") -> int:
    with transaction.atomic():
        heartbeat, created = Heartbeat.objects.get_or_create(
            name=name, defaults={"last_seen": timezone.now(), "worker_hostname": worker_hostname}
        )
        Heartbeat.objects.filter(pk=heartbeat.pk).update(
            last_seen=timezone.now(), worker_hostname=worker_hostname, beats=F("beats") + 1
        )
    heartbeat.refresh_from_db()
    return heartbeat.beats
