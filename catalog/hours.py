"""Opening hours from HSDS schedule rows: "open now" and a readable weekly table."""

from dataclasses import dataclass
from datetime import date, datetime, time

from catalog.details import Schedule
from welfare.clock import OFFICE_TZ

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def _parse_time(value: str | None) -> time | None:
    if not value:
        return None
    value = value.rstrip("Z")[:5]
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


def _days(byday: str | None) -> set[str]:
    # MONTHLY rules may prefix a day with an ordinal (1MO); weekly ones are plain codes.
    return {part.strip()[-2:].upper() for part in (byday or "").split(",") if part.strip()}


def is_exception(row: Schedule) -> bool:
    return not row.freq and row.valid_from is not None


def _valid_on(row: Schedule, day: date) -> bool:
    if row.valid_from and day < row.valid_from:
        return False
    if row.valid_to and day > row.valid_to:
        return False
    return True


def _within(row: Schedule, moment: time) -> bool:
    opens, closes = _parse_time(row.opens_at), _parse_time(row.closes_at)
    return bool(opens and closes and opens <= moment < closes)


def is_open(schedules: list[Schedule], when: datetime | None = None) -> bool | None:
    """True/False when the schedule says; None when there is no schedule to judge by."""
    if not schedules:
        return None
    when = (when or datetime.now(OFFICE_TZ)).astimezone(OFFICE_TZ)
    today, moment = when.date(), when.time()
    exceptions = [r for r in schedules if is_exception(r) and _valid_on(r, today)]
    if exceptions:  # holidays and special days override the weekly hours
        return any(_within(r, moment) for r in exceptions)
    weekday = DAYS[today.weekday()]
    weekly = [r for r in schedules if r.freq == "WEEKLY" and weekday in _days(r.byday) and _valid_on(r, today)]
    return any(_within(r, moment) for r in weekly)


@dataclass
class DayHours:
    day: str
    slots: list[str]


def weekly_table(schedules: list[Schedule]) -> list[DayHours]:
    """One entry per weekday with its opening slots ("08:00–12:00"), empty when closed."""
    table = []
    for code in DAYS:
        rows = sorted(
            (r for r in schedules if r.freq == "WEEKLY" and code in _days(r.byday)), key=lambda r: r.opens_at or ""
        )
        slots = [f"{(r.opens_at or '')[:5]}–{(r.closes_at or '')[:5]}" for r in rows if r.opens_at and r.closes_at]
        table.append(DayHours(code, slots))
    return table


def upcoming_exceptions(schedules: list[Schedule], today: date | None = None) -> list[Schedule]:
    today = today or datetime.now(OFFICE_TZ).date()
    return sorted(
        (r for r in schedules if is_exception(r) and (r.valid_to or r.valid_from) >= today), key=lambda r: r.valid_from
    )


# ---- the staff form's plain-text hours --------------------------------------------------------

DAY_ALIASES = {
    **{d: d for d in DAYS},
    "PON": "MO",
    "TOR": "TU",
    "SRE": "WE",
    "ČET": "TH",
    "CET": "TH",
    "PET": "FR",
    "SOB": "SA",
    "NED": "SU",
}
DAY_LABELS_SL = dict(zip(DAYS, ["pon", "tor", "sre", "čet", "pet", "sob", "ned"], strict=True))


class HoursError(ValueError):
    """A line of the hours text could not be read; the message names the line."""


def _parse_span(span: str, line_no: int) -> tuple[str, str]:
    from flask_babel import gettext as _

    try:
        opens, closes = (part.strip() for part in span.replace("–", "-").split("-"))
        o, c = _parse_time(opens), _parse_time(closes)
    except ValueError:
        o = c = None
    if not (o and c) or o >= c:
        raise HoursError(_("Line %(n)d: write the hours as 08:00-15:00 (opening before closing).", n=line_no))
    return o.strftime("%H:%M"), c.strftime("%H:%M")


def parse_weekly(text: str) -> list[tuple[str, str, str]]:
    """Read lines like "pon 08:00-12:00" or "MO,WE 13:00-17:00" into (BYDAY, opens, closes)."""
    from flask_babel import gettext as _

    rows = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise HoursError(_('Line %(n)d: write a day and the hours, e.g. "pon 08:00-15:00".', n=line_no))
        days = [DAY_ALIASES.get(d.strip().upper()) for d in parts[0].split(",")]
        if not all(days):
            raise HoursError(_("Line %(n)d: unknown day; use pon, tor, sre, čet, pet, sob, ned.", n=line_no))
        opens, closes = _parse_span(parts[1], line_no)
        rows.extend((day, opens, closes) for day in days)
    return sorted(rows, key=lambda r: (DAYS.index(r[0]), r[1]))


def parse_exceptions(text: str) -> list[tuple[date, str | None, str | None, str]]:
    """Read lines like "2026-12-24 08:00-11:00 shorter hours" or "2026-12-25 closed"."""
    from flask_babel import gettext as _

    rows = []
    for line_no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 2)
        try:
            day = date.fromisoformat(parts[0])
        except ValueError:
            raise HoursError(_("Line %(n)d: start with a date written as 2026-12-24.", n=line_no)) from None
        rest = parts[1:]
        opens = closes = None
        if rest and any(ch.isdigit() for ch in rest[0]) and ":" in rest[0]:
            opens, closes = _parse_span(rest[0], line_no)
            rest = rest[1:]
        rows.append((day, opens, closes, " ".join(rest)))
    return sorted(rows)


def format_weekly(rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{DAY_LABELS_SL.get(day, day)} {opens}-{closes}" for day, opens, closes in rows)


def format_exceptions(rows) -> str:
    return "\n".join(
        " ".join(p for p in (d.isoformat(), f"{o}-{c}" if o and c else "", note) if p) for d, o, c, note in rows
    )
