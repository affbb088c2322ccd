"""Being written: see the meetings issue."""

from django.http import Http404


def notification_list(request):
    raise Http404


def mark_all_read(request):
    raise Http404
