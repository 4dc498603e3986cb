"""Reading request parameters in one place: bounded integers, dates, choices, page numbers.

Every view and the API read query parameters through these helpers, so a hostile value
(a number beyond 64 bits, a Unicode digit, a date that overflows once its offset is applied)
becomes a 400 with a translated message, or the default a person expects, never a 500.
URL ids use the bounded `int` converter installed here: an id too large for the database
does not match the route (404) instead of reaching a query.
"""

import re
from datetime import UTC, date, datetime

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from welfare.extensions import db

# The largest id a 32-bit INTEGER column holds (PostgreSQL's integer; SQLite's is 64-bit).
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
ASCII_INTEGER = re.compile(r"-?[0-9]+")


def _to_int(raw: str) -> int:
    # Beyond 19 digits the value is out of any range we accept; skip converting a 3,000-digit string.
    return int(raw) if len(raw) <= 19 else (-(10**19) if raw.startswith("-") else 10**19)


# Python's datetime covers years 1..9999; the app never means anything outside this window,
# and staying inside it keeps time-zone arithmetic from overflowing.
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(2999, 12, 31)


class BadParameter(BadRequest):
    """A query parameter had a value the view cannot use; the message is translated."""

    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.parameter = name
        self.message = message


class BoundedIntegerConverter(IntegerConverter):
    """`<int:id>` with ASCII digits only and at most MAX_ID: a larger id is a 404, not a query."""

    regex = r"[0-9]{1,18}"

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=False)


def install_converters(app: Flask) -> None:
    """Must run before any blueprint registers a route (rules compile their converters then)."""
    app.url_map.converters["int"] = BoundedIntegerConverter


def _raw(name: str) -> str | None:
    value = request.args.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def parse_integer(raw: str, name: str, low: int, high: int) -> int:
    """An integer from ASCII digits within [low, high]. :raise BadParameter: anything else."""
    if not ASCII_INTEGER.fullmatch(raw):
        raise BadParameter(name, _("“%(name)s” must be a whole number.", name=name))
    value = _to_int(raw)
    if not low <= value <= high:
        raise BadParameter(name, _("“%(name)s” must be between %(low)d and %(high)d.", name=name, low=low, high=high))
    return value


def integer(name: str, default: int | None, low: int = 0, high: int = MAX_ID) -> int | None:
    """A whole number query parameter; missing or empty gives the default.

    :raise BadParameter: not ASCII digits, or outside [low, high].
    """
    raw = _raw(name)
    return default if raw is None else parse_integer(raw, name, low, high)


def whole_number(raw: str | None, low: int = 1, high: int = MAX_ID) -> int | None:
    """ASCII digits within [low, high] as an int, else None: for a value that is looked up, not
    reported back ("²", "x", "-1" and three thousand digits are simply no such number)."""
    if raw is None or not ASCII_INTEGER.fullmatch(raw):
        return None
    value = _to_int(raw)
    return value if low <= value <= high else None


def optional_id(name: str) -> int | None:
    """A database id from the query string, or None when it is missing or cannot be an id."""
    return whole_number(_raw(name))


def page_number(name: str = "page") -> int:
    """The page a list should show: 1 when missing, MAX_PAGE at most (paginate() then shows the
    last page). :raise BadParameter: not a whole number."""
    raw = _raw(name)
    if raw is None:
        return 1
    if not ASCII_INTEGER.fullmatch(raw):
        raise BadParameter(name, _("“%(name)s” must be a whole number.", name=name))
    return min(max(_to_int(raw), 1), MAX_PAGE)


def paginate(statement, per_page: int, name: str = "page"):
    """db.paginate for the requested page; a page past the end shows the last page."""
    page = db.paginate(statement, page=page_number(name), per_page=per_page, error_out=False)
    if page.pages and page.page > page.pages:
        page = db.paginate(statement, page=page.pages, per_page=per_page, error_out=False)
    return page


def choice(name: str, options, default):
    """One of a fixed set of values; anything else gives the default (a stale link still works)."""
    raw = _raw(name)
    return raw if raw in options else default


def integer_choice(name: str, options, default: int) -> int:
    """One of a fixed set of whole numbers; anything else gives the default."""
    raw = _raw(name)
    return _to_int(raw) if raw is not None and ASCII_INTEGER.fullmatch(raw) and _to_int(raw) in options else default


def _example() -> str:
    return "2026-01-31T00:00:00Z"


def parse_datetime(raw: str, name: str) -> datetime:
    """An ISO 8601 date or date-time as naive UTC within EARLIEST..LATEST.

    :raise BadParameter: not ISO 8601, or out of range once its offset is applied.
    """
    problem = _("“%(name)s” must be an ISO 8601 date or date-time, e.g. %(example)s.", name=name, example=_example())
    try:
        moment = datetime.fromisoformat(raw.replace(" ", "+").replace("z", "Z"))
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        raise BadParameter(name, problem) from None
    if not EARLIEST <= moment <= LATEST:
        raise BadParameter(
            name,
            _(
                "“%(name)s” must lie between %(low)s and %(high)s.",
                name=name,
                low=EARLIEST.date().isoformat(),
                high=LATEST.date().isoformat(),
            ),
        )
    return moment


def datetime_value(name: str) -> datetime | None:
    """An ISO 8601 date-time query parameter (naive UTC), or None when missing."""
    raw = _raw(name)
    return None if raw is None else parse_datetime(raw, name)


def date_value(name: str) -> date | None:
    """An ISO 8601 date query parameter, or None when missing. :raise BadParameter: not a date in range."""
    raw = _raw(name)
    return None if raw is None else parse_datetime(raw, name).date()


def text(name: str, max_length: int = 200, default: str = "") -> str:
    """A free-text query parameter, stripped and cut to max_length."""
    return (request.args.get(name) or default).strip()[:max_length]


def text_list(name: str, max_length: int = 100, max_items: int = 20) -> list[str]:
    return [v[:max_length] for v in request.args.getlist(name)][:max_items]
