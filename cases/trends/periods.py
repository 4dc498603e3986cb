"""Report periods: a run of whole calendar months (month, quarter, year, or a custom range).

Two rules keep the periods from becoming a way around the perturbation (`privacy`):
- Only months that have ended are reported (`until`): a case opened or closed today shows in
  no figure until its month is over and many others are in it, so downloading the same
  period before and after someone walks in gives the same file.
- Every figure is published for aligned *blocks* only (a calendar month, quarter or year);
  any other range is the sum of the published figures of the blocks it is made of
  (`blocks`). However many overlapping custom ranges are asked for, their differences are
  sums of already published block figures, so averaging them learns nothing new.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter", "year", "custom")
MONTHS_OF = {"month": 1, "quarter": 3, "year": 12}
MAX_CUSTOM_MONTHS = 60
FIRST_YEAR, LAST_YEAR = 2000, 2100
MONTH_TEXT = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")


class PeriodError(ValueError):
    """A period the user asked for cannot be read; `field` names the parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def month_index(day: date) -> int:
    """Months since year 0: consecutive months are consecutive integers."""
    return day.year * 12 + day.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    first: int  # month_index of the first month
    months: int

    @property
    def start(self) -> date:
        return month_start(self.first)

    @property
    def end(self) -> date:
        """The last day of the period (inclusive)."""
        return month_start(self.first + self.months) - timedelta(days=1)

    @property
    def month_indexes(self) -> range:
        return range(self.first, self.first + self.months)

    @property
    def nominal_months(self) -> int:
        return MONTHS_OF.get(self.kind, self.months)

    @property
    def partial(self) -> bool:
        """A month, quarter or year of which only the months that have ended are reported."""
        return self.months < self.nominal_months

    def until(self, last: int) -> "Period | None":
        """The part of the period up to and including month `last`; None if none of it is."""
        if last < self.first:
            return None
        return Period(self.kind, self.first, min(self.months, last - self.first + 1))

    def blocks(self) -> list[range]:
        """The aligned months, quarters and years the period is made of, largest first."""
        parts, month, end = [], self.first, self.first + self.months
        while month < end:
            size = 12 if month % 12 == 0 and month + 12 <= end else 3 if month % 3 == 0 and month + 3 <= end else 1
            parts.append(range(month, month + size))
            month += size
        return parts

    def shifted(self, months: int) -> "Period":
        return Period(self.kind, self.first + months, self.months)

    def previous(self) -> "Period":
        """The same months of the period before (a partial quarter: the same part of the last one)."""
        return self.shifted(-self.nominal_months)

    def next(self) -> "Period":
        return Period(self.kind, self.first + self.nominal_months, self.nominal_months)

    def whole(self) -> "Period":
        return Period(self.kind, self.first, self.nominal_months)

    def year_earlier(self) -> "Period":
        return self.shifted(-12)

    def comparisons(self) -> list["Period"]:
        """This period, the one before, and the same period a year earlier (once if they coincide)."""
        periods = [self, self.previous(), self.year_earlier()]
        return [p for i, p in enumerate(periods) if p not in periods[:i]]

    @property
    def label(self) -> str:
        start = self.start
        last = month_start(self.first + self.months - 1)
        span = f"{start.year}-{start.month:02d} – {last.year}-{last.month:02d}"
        if self.kind == "quarter":
            name = f"{start.year}-Q{(start.month - 1) // 3 + 1}"
            return f"{name} ({span})" if self.partial else name
        if self.kind == "year":
            return f"{start.year} ({span})" if self.partial else str(start.year)
        if self.months == 1:
            return f"{start.year}-{start.month:02d}"
        return span

    def query(self) -> dict[str, str]:
        """The URL parameters that select this period again."""
        args = {"period": self.kind, "start": f"{self.start.year}-{self.start.month:02d}"}
        if self.kind == "custom":
            last = month_start(self.first + self.months - 1)
            args["end"] = f"{last.year}-{last.month:02d}"
        return args


def _month(raw: str, field: str) -> int:
    match = MONTH_TEXT.fullmatch(raw)
    if not match:
        raise PeriodError(field, "format")
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise PeriodError(field, "range")
    if match.group(3) is not None:  # a full date is accepted and snapped to its month
        try:
            date(year, month, int(match.group(3)))
        except ValueError:
            raise PeriodError(field, "range") from None
    return year * 12 + month - 1


def last_reported_month(today: date) -> int:
    """The month index of the last month that has ended."""
    return month_index(today) - 1


def make_period(kind: str, start: str | None, end: str | None, today: date) -> Period:
    """The period asked for; the month/quarter/year holding the last month that has ended
    when no start is given.

    :raise PeriodError: a start or end that is not YYYY-MM(-DD), out of range, or a custom end
        before its start or more than MAX_CUSTOM_MONTHS after it.
    """
    if kind not in KINDS:
        kind = "quarter"
    first = _month(start, "start") if start else last_reported_month(today)
    if kind == "custom":
        last = _month(end, "end") if end else first
        if last < first:
            raise PeriodError("end", "order")
        if last - first + 1 > MAX_CUSTOM_MONTHS:
            raise PeriodError("end", "length")
        return Period(kind, first, last - first + 1)
    months = MONTHS_OF[kind]
    return Period(kind, first - first % months, months)  # quarters and years start in Jan/Apr/Jul/Oct
