from django.db import models


class Heartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task that beat sends every minute.

    A recent heartbeat proves all three parts at once: beat is scheduling, the
    broker is carrying messages and a worker is running tasks.
    """

    name = models.CharField(max_length=50, unique=True)
    last_seen = models.DateTimeField()
    worker_hostname = models.CharField(max_length=200, blank=True)
    beats = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return self.name
