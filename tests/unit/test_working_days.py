"""Working days for the deadline warnings on Moje delo: weekends and Slovenian public holidays."""

from datetime import date

import pytest

from cases.plans.deadlines import is_working_day, working_days_until
from cases.work.services import deadline_state


def test_easter_monday_and_statutory_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday 2026
    assert not is_working_day(date(2026, 12, 25))  # Christmas
    assert not is_working_day(date(2026, 6, 25))  # Statehood Day (a Thursday)
    assert not is_working_day(date(2026, 4, 4))  # Saturday
    assert is_working_day(date(2026, 4, 7))


@pytest.mark.parametrize(
    "start, due, expected",
    [
        (date(2026, 4, 3), date(2026, 4, 7), 1),  # Fri -> Tue over Easter weekend and Monday
        (date(2026, 4, 3), date(2026, 4, 3), 0),
        (date(2026, 4, 1), date(2026, 4, 8), 4),  # Thu, Fri, Tue, Wed
        (date(2026, 12, 23), date(2026, 12, 28), 2),  # Thu 24th, (25th holiday, weekend,) Mon 28th
    ],
)
def test_working_days_until(start, due, expected):
    assert working_days_until(start, due) == expected


def test_deadline_state_warns_three_working_days_ahead_across_a_holiday():
    friday_before_easter = date(2026, 4, 3)
    assert deadline_state(date(2026, 4, 9), friday_before_easter) == "warning"  # Tue, Wed, Thu: 3 left
    assert deadline_state(date(2026, 4, 10), friday_before_easter) == "ok"  # 4 working days left
    assert deadline_state(date(2026, 4, 3), friday_before_easter) == "warning"  # due today
    assert deadline_state(date(2026, 4, 2), friday_before_easter) == "overdue"
