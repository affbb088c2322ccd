from celery import shared_task

from service_status import services


@shared_task(bind=True, ignore_result=False)
def record_heartbeat(self, name: str = "worker") -> int:
    """Record that a worker ran this task now; returns the heartbeat count."""
    return services.record_heartbeat(name, worker_hostname=self.request.hostname or "")
