"""Lists page with cursors (DRF's CursorPagination): a page is found by where the last one
ended, so a list that grows while a case system reads it neither repeats nor skips a row,
and no page costs a COUNT or an OFFSET."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class NewestFirstCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        # DRF quietly takes the default for a page size that is not a number; a client's
        # mistake is told instead, as every bounded input of the portal is.
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        text = given[-1]
        if len(given) > 1 or not (text.isascii() and text.isdigit()) or len(text) > 3:
            raise ValidationError({self.page_size_query_param: [self._bounds_message]})
        size = int(text)
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [self._bounds_message]})
        return size

    @property
    def _bounds_message(self) -> str:
        return f"Give a whole number from 1 to {self.max_page_size}."

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters

    def get_paginated_response_schema(self, schema):
        # DRF writes OpenAPI 3.0's ``nullable``; the schema is 3.1, where null is a type.
        link = {"type": ["string", "null"], "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }
