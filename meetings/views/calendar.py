"""Being written: see the meetings issue."""

from django.http import Http404


def calendar_settings(request):
    raise Http404


def calendar_feed(request, token):
    raise Http404
