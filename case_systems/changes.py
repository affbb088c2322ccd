"""The changes feed, ``GET /api/v1/changes/?cursor=…`` (scope ``changes:read``), and what one
change looks like to a council's system, in the feed and in a webhook's body alike.

The feed reads ``ehcp.selectors.changes_after`` for the client's account, so it holds the
changes of the council's local areas and no other's. It is read oldest first from a cursor
the previous read handed back; with nothing new the cursor stays as it was, so a system
polls with the last cursor it had and never misses or repeats a change (the ids behind the
cursor are visible in order: ``ehcp.models.take_turn_to_write_case_changes``).

A change carries ids and the API's addresses to read what changed, never a name, an NHS
number or any clinical text: what changed is read through the API, where access is checked
and the read is audited.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from ehcp import selectors
from ehcp.models import CaseChange
from send_portal.converters import ID_MAX

Kind = CaseChange.Kind

#: A cursor as handed out: "chg:" and the last change's id, base64url without padding. It is
#: opaque to clients (they send back what they were given); the prefix lets a cursor of
#: another list be refused rather than misread.
CURSOR_PREFIX = "chg:"
#: The longest cursor accepted (a bigint's digits, encoded): anything longer is refused
#: before it is decoded.
CURSOR_MAX_LENGTH = 40


def encode_cursor(change_id: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{change_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The change id a cursor stands for; ``ValidationError`` (a 400 problem) for anything
    that is not a cursor this feed handed out."""
    refused = exceptions.ValidationError({"cursor": ["This is not a cursor of the feed."]})
    if len(cursor) > CURSOR_MAX_LENGTH:
        raise refused
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise refused from None
    digits = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not digits.isascii() or not digits.isdigit():
        raise refused
    change_id = int(digits)
    if change_id > ID_MAX:
        raise refused
    return change_id


def _url(name: str, pk: int) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, args=[pk])


def links(change: CaseChange) -> dict[str, str]:
    """The API's addresses to read what the change is about."""
    found = {
        "child": _url("api:child", change.child_id),
        "assessment": _url("api:assessment", change.assessment_id),
    }
    if change.advice_request_id is not None:
        found["advice_request"] = _url("api:advice-request", change.advice_request_id)
    if change.kind in (Kind.SECTIONS_SIGNED, Kind.PROVISION_AGREED):
        found["signed_sections"] = _url("api:signed-sections", change.assessment_id)
    if change.kind == Kind.SECTIONS_SIGNED:
        found["signed_sections_pdf"] = _url("api:sections-pdf", change.version_id)
    return found


def event(change: CaseChange) -> dict:
    """One change as the feed lists it and a webhook sends it: its event id (the same in
    both, so a system reading both can tell it heard of it already), its type, when it
    happened (ISO 8601 with London's offset), the records' ids and their addresses."""
    return {
        "id": str(change.event_id),
        "type": change.kind,
        "occurred_at": timezone.localtime(change.occurred_at).isoformat(),
        "child_id": change.child_id,
        "assessment_id": change.assessment_id,
        "advice_request_id": change.advice_request_id,
        "sections_version_id": change.version_id,
        "links": links(change),
    }


# --- The schema's description of a change and a page of the feed -------------------------


class ChangeLinksSerializer(serializers.Serializer):
    child = serializers.URLField()
    assessment = serializers.URLField()
    advice_request = serializers.URLField(required=False)
    signed_sections = serializers.URLField(required=False)
    signed_sections_pdf = serializers.URLField(required=False)


class ChangeSerializer(serializers.Serializer):
    """Something a council's system follows: health advice returned (``advice.returned``),
    sections C and G signed off by the DMO (``sections.signed``) or returned for amendment
    (``sections.returned``), the ICB's agreement of the provision (``provision.agreed``)."""

    id = serializers.UUIDField(help_text="The event's id: the same in the feed and a webhook.")
    type = serializers.ChoiceField(choices=Kind.choices)
    occurred_at = serializers.DateTimeField()
    child_id = serializers.IntegerField()
    assessment_id = serializers.IntegerField()
    advice_request_id = serializers.IntegerField(allow_null=True)
    sections_version_id = serializers.IntegerField(allow_null=True)
    links = ChangeLinksSerializer()


class ChangesPageSerializer(serializers.Serializer):
    results = ChangeSerializer(many=True)
    cursor = serializers.CharField(
        allow_null=True,
        help_text="Where the next read starts: send it back as ?cursor=. The same cursor "
        "when there was nothing new; null only before the first change.",
    )
    more = serializers.BooleanField(help_text="Whether more changes wait: read again now.")
    next = serializers.URLField(help_text="The address to read next: the feed from the cursor.")


CURSOR = OpenApiParameter(
    "cursor",
    str,
    OpenApiParameter.QUERY,
    required=False,
    description="The cursor the previous read handed back; none to read from the start.",
)
PAGE_SIZE = OpenApiParameter(
    "page_size",
    {"type": "integer", "minimum": 1, "maximum": selectors.CHANGES_PAGE_MAX},
    OpenApiParameter.QUERY,
    required=False,
    description=f"How many changes at most (default and most: {selectors.CHANGES_PAGE_MAX}).",
)


def _page_size(request) -> int:
    """``?page_size=``, bounded as every list of the API bounds it (``pagination.py``)."""
    given = request.query_params.getlist("page_size")
    if not given:
        return selectors.CHANGES_PAGE_MAX
    text = given[-1]
    most = selectors.CHANGES_PAGE_MAX
    if len(given) > 1 or not (text.isascii() and text.isdigit()) or len(text) > 3:
        raise exceptions.ValidationError({"page_size": [f"Give a whole number from 1 to {most}."]})
    if not 1 <= int(text) <= most:
        raise exceptions.ValidationError({"page_size": [f"Give a whole number from 1 to {most}."]})
    return int(text)


@extend_schema(tags=["changes"])
class ChangesFeed(GenericAPIView):
    """What changed in the council's local areas, oldest first, after a cursor."""

    resource = "changes"
    serializer_class = ChangesPageSerializer
    pagination_class = None

    @extend_schema(operation_id="changes_list", parameters=[CURSOR, PAGE_SIZE])
    def get(self, request):
        typed = request.query_params.getlist("cursor")
        if len(typed) > 1:
            raise exceptions.ValidationError({"cursor": ["Give one cursor."]})
        after = decode_cursor(typed[0]) if typed and typed[0] else None
        page = selectors.changes_after(request.user, after, _page_size(request))
        cursor = encode_cursor(page.position) if page.position is not None else None
        feed = settings.PORTAL_BASE_URL.rstrip("/") + reverse("api:changes")
        return Response(
            {
                "results": [event(change) for change in page.changes],
                "cursor": cursor,
                "more": page.more,
                "next": f"{feed}?cursor={cursor}" if cursor else feed,
            }
        )
