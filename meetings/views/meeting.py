"""Being written: see the meetings issue."""

from django.http import Http404


def my_meetings(request):
    raise Http404


def meeting_detail(request, pk):
    raise Http404


def agenda_item_add(request, pk):
    raise Http404


def agenda_item_edit(request, pk):
    raise Http404


def paper_upload(request, pk):
    raise Http404


def paper_download(request, pk):
    raise Http404


def apologies(request, pk):
    raise Http404


def agenda_csv(request, pk):
    raise Http404


def minutes_pdf(request, pk):
    raise Http404


def actions_csv(request):
    raise Http404
