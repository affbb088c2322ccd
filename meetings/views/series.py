"""Being written."""

from django.http import Http404


def series_list(request):
    raise Http404


def series_create(request):
    raise Http404


def series_detail(request, pk):
    raise Http404


def meeting_move(request, pk):
    raise Http404


def meeting_cancel(request, pk):
    raise Http404
