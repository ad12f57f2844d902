"""Numbers that come from the address bar, kept to what the database can hold."""

from __future__ import annotations

from flask import request
from werkzeug.routing import IntegerConverter

# PostgreSQL's INTEGER, the type of every id: a larger number is no record of ours.
MAX_ID = 2**31 - 1
# Far beyond any list's last page, and far below what an OFFSET can hold.
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: a number past MAX_ID does not match, so it is the same
    404 as a missing record instead of a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def page_number() -> int:
    """`?page=` as a page to show: 1 for nonsense, never more than MAX_PAGE."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)
