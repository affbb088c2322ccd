"""Being written."""

from django.http import Http404


def dashboard(request):
    raise Http404


def action_list(request):
    raise Http404


def action_complete(request, pk):
    raise Http404


def chair(request, pk):
    raise Http404


def attendance_save(request, pk):
    raise Http404


def guest_add(request, pk):
    raise Http404


def item_record_save(request, pk):
    raise Http404


def action_add(request, pk):
    raise Http404


def meeting_close(request, pk):
    raise Http404


def minutes_publish(request, pk):
    raise Http404


def minutes_approve(request, pk):
    raise Http404
