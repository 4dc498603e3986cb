"""The lawyer's deadline calculator: pure date arithmetic, no app or database.

Under ZUP (Art. 99-101) a period in days starts on the day after the decision is served, so
its last day is the served date plus the days. When that day is a Saturday, Sunday or a
Slovenian public holiday (work-free day), the period ends on the next working day instead.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays

# Under ZUP an appeal against a first-instance decision is due within 15 days of service.
APPEAL_DAYS = 15
# Moje delo and the case page warn when this many working days or fewer are left.
WARN_WORKING_DAYS = 3


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[date]:
    # Slovenian work-free days (Easter Monday, 25 June, 26 December ...); Sundays among them
    # (Easter Sunday, Whit Sunday) are weekend days anyway.
    return frozenset(holidays.country_holidays("SI", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Slovenian public holiday."""
    return day.weekday() < 5 and day not in _holidays_of(day.year)


def next_working_day(day: date) -> date:
    """`day` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def due_date(served_on: date, days: int) -> date:
    """The last day of a period of `days` days running from service on `served_on`.

    >>> due_date(date(2026, 12, 10), 15)  # 25 Dec Christmas, 26 Dec holiday, 27 Dec Sunday
    datetime.date(2026, 12, 28)
    """
    if days < 1:
        raise ValueError("a period has at least one day")
    return next_working_day(served_on + timedelta(days=days))


def working_days_until(today: date, due: date) -> int:
    """Working days left until `due`: the working days after today up to and including `due`.

    0 when the deadline is today (or only non-working days remain before it), negative when it
    has passed (minus the working days since it), so `<= WARN_WORKING_DAYS` covers overdue too.
    """
    if due < today:
        return -_working_days_between(due, today)
    return _working_days_between(today, due)


def _working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end."""
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        count += is_working_day(day)
        day += timedelta(days=1)
    return count


def needs_warning(today: date, due: date) -> bool:
    """True when the deadline is WARN_WORKING_DAYS working days away or closer (or overdue)."""
    return working_days_until(today, due) <= WARN_WORKING_DAYS
