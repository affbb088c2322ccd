"""Lists page with cursors (DRF's CursorPagination): a page is found by where the last one
ended, so a list that grows while a case system reads it neither repeats nor skips a row,
and no page costs a COUNT or an OFFSET."""

from rest_framework.pagination import CursorPagination


class NewestFirstCursor(CursorPagination):
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100
