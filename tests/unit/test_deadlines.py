"""The deadline calculator across weekends and Slovenian public holidays."""

from datetime import date, timedelta

import pytest

from cases.plans.deadlines import (
    APPEAL_DAYS,
    due_date,
    is_working_day,
    needs_warning,
    next_working_day,
    working_days_until,
)


@pytest.mark.parametrize(
    "served_on, days, expected",
    [
        # An ordinary weekday: served Monday 2 March 2026, day 15 is Tuesday 17 March.
        (date(2026, 3, 2), 15, date(2026, 3, 17)),
        # Day 15 is Christmas (Friday); 26 Dec is Independence Day (Saturday), 27 Dec a Sunday.
        (date(2026, 12, 10), 15, date(2026, 12, 28)),
        # Day 15 is a Sunday (15 March 2026): Monday.
        (date(2026, 2, 28), 15, date(2026, 3, 16)),
        # Day 15 is a Saturday (14 March 2026): Monday.
        (date(2026, 2, 27), 15, date(2026, 3, 16)),
        # Day 15 is Easter Monday 2027 (29 March): Tuesday.
        (date(2027, 3, 14), 15, date(2027, 3, 30)),
        # Day 15 is New Year's Day 2027 (Friday); 2 Jan is a holiday too, then the weekend.
        (date(2026, 12, 17), 15, date(2027, 1, 4)),
        # New Year 2026: 1 Jan Thursday and 2 Jan Friday are holidays, then the weekend.
        (date(2025, 12, 17), 15, date(2026, 1, 5)),
        # Statehood Day, Thursday 25 June 2026: Friday.
        (date(2026, 6, 10), 15, date(2026, 6, 26)),
        # Other periods than 15 days.
        (date(2026, 3, 2), 8, date(2026, 3, 10)),
        (date(2026, 3, 2), 30, date(2026, 4, 1)),
    ],
)
def test_due_date(served_on, days, expected):
    assert due_date(served_on, days) == expected


def test_appeal_period_is_fifteen_days():
    assert APPEAL_DAYS == 15


def test_a_period_needs_at_least_one_day():
    with pytest.raises(ValueError):
        due_date(date(2026, 3, 2), 0)


def test_working_days():
    assert is_working_day(date(2026, 3, 2))  # Monday
    assert not is_working_day(date(2026, 3, 7))  # Saturday
    assert not is_working_day(date(2026, 3, 8))  # Sunday
    assert not is_working_day(date(2027, 3, 29))  # Easter Monday
    assert not is_working_day(date(2026, 4, 27))  # Day of Uprising Against Occupation, Monday
    assert not is_working_day(date(2026, 12, 25))
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 24)
    assert next_working_day(date(2026, 12, 25)) == date(2026, 12, 28)


@pytest.mark.parametrize(
    "today, due, expected",
    [
        (date(2026, 3, 2), date(2026, 3, 2), 0),  # due today
        (date(2026, 3, 2), date(2026, 3, 3), 1),
        (date(2026, 3, 2), date(2026, 3, 5), 3),
        (date(2026, 3, 2), date(2026, 3, 6), 4),
        (date(2026, 3, 6), date(2026, 3, 9), 1),  # Friday to Monday: the weekend does not count
        (date(2026, 12, 23), date(2026, 12, 28), 2),  # 24 and 28 Dec; 25-27 are not working days
        (date(2027, 3, 25), date(2027, 3, 30), 2),  # Friday 26 and Tuesday 30; Easter Monday skipped
        (date(2026, 3, 4), date(2026, 3, 3), -1),  # overdue by one working day
        (date(2026, 3, 9), date(2026, 3, 5), -2),  # overdue: Friday 6 and Monday 9
    ],
)
def test_working_days_until(today, due, expected):
    assert working_days_until(today, due) == expected


def test_warning_three_working_days_ahead_across_a_holiday():
    due = due_date(date(2026, 12, 10), 15)  # Monday 28 Dec 2026
    # Wednesday 23 Dec: 24 and 28 Dec left -> warn; Thursday 17 Dec: 18, 21, 22, 23, 24, 28 -> not yet.
    assert needs_warning(date(2026, 12, 23), due)
    assert not needs_warning(date(2026, 12, 21), due)  # 22, 23, 24, 28: four working days
    assert not needs_warning(date(2026, 12, 17), due)
    assert needs_warning(due + timedelta(days=1), due)  # overdue


def test_warning_boundary():
    due = date(2026, 3, 12)  # Thursday
    assert needs_warning(date(2026, 3, 9), due)  # 10, 11, 12
    assert not needs_warning(date(2026, 3, 6), due)  # 9, 10, 11, 12
