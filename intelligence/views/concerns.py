"""Being written."""

from django.http import Http404


def concern_list(request):
    raise Http404


def concern_create(request):
    raise Http404


def concern_import(request):
    raise Http404


def concern_detail(request, pk):
    raise Http404


def concern_escalate(request, pk):
    raise Http404


def concern_outcome(request, pk):
    raise Http404


def concern_close(request, pk):
    raise Http404


def theme_list(request):
    raise Http404


def theme_merge(request, pk):
    raise Http404


def theme_escalate(request, pk):
    raise Http404


def escalation_list(request):
    raise Http404


def escalation_answer(request, pk):
    raise Http404


def you_said_we_did(request):
    raise Http404
