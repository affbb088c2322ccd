"""Being written."""

from django.http import Http404


def concern_from_appointment(request, pk):
    raise Http404
