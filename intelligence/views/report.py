"""Being written."""

from django.http import Http404


def report(request):
    raise Http404


def concerns_csv(request):
    raise Http404


def pack_start(request):
    raise Http404


def pack_status(request, job):
    raise Http404


def pack_download(request, job):
    raise Http404
