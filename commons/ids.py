"""Database ids that come from a URL, a query string or a frame: digits only, and small enough for the database.

`/t/99999999999999999999/` used to reach the database as a number that SQLite cannot hold (a 500) and that
PostgreSQL's bigint refuses; `?quote=²` passed `str.isdigit()` and then failed `int()`. An id of more than
18 ASCII digits cannot exist (ids are 64-bit), so it answers 404 like any id that names nothing.

Importing this module registers the `<id:name>` path converter; every urls.py and routing.py that uses it
imports the module (Django resolves converters when the patterns are built).
"""

import re

from django.urls import register_converter

ID_MAX_DIGITS = 18
_ID = re.compile(rf"[0-9]{{1,{ID_MAX_DIGITS}}}")


class IdConverter:
    regex = rf"[0-9]{{1,{ID_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")


def parse_id(value) -> int | None:
    """The id in `value` (str or int), or None if it is not one: ASCII digits only, at most ID_MAX_DIGITS."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 10**ID_MAX_DIGITS else None
    if isinstance(value, str) and _ID.fullmatch(value):
        return int(value)
    return None
