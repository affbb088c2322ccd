"""The SEND Health Portal project: settings, URLs, the Celery app and the cross-cutting pieces."""

from send_portal.celery import app as celery_app

__all__ = ("celery_app",)
