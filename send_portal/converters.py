"""The path converter for a row's id in a URL: ``<id:pk>``.

Django's ``<int:pk>`` takes any number of digits, and a lookup through a relation with
one beyond the id column ("/agenda-items/99999999999999999999/") reaches the database:
"bigint out of range" on PostgreSQL, OverflowError on SQLite, so a 500. An id the column
cannot hold is no row, so the URL does not match: a 404.
"""

from django.urls import register_converter

#: PostgreSQL's bigint, the column of every id (DEFAULT_AUTO_FIELD is BigAutoField).
ID_MAX = 2**63 - 1


class IdConverter:
    regex = f"[0-9]{{1,{len(str(ID_MAX))}}}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > ID_MAX:
            raise ValueError("beyond the id column")  # the resolver tries no match: a 404
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
