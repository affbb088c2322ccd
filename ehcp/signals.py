"""What ehcp tells the floors above it, without importing them.

``case_changed`` is sent by ``services.record_case_change`` inside the transaction of the
change it tells of, with ``change`` (a ``CaseChange``). A receiver that writes (the
webhooks app queues its deliveries through the outbox) writes in that transaction too, so
the change and everything it sets off commit or roll back together; a receiver that fails
fails the change, which is why receivers only write rows and leave the slow work (sending)
to Celery.
"""

from django.dispatch import Signal

case_changed = Signal()
