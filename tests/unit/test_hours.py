from datetime import UTC, date, datetime

import pytest

from catalog import hours
from catalog.details import Schedule

TZ = hours.OFFICE_TZ
WEEK = [
    Schedule(freq="WEEKLY", byday="MO,TU,WE,TH,FR", opens_at="08:00", closes_at="15:00"),
    Schedule(freq="WEEKLY", byday="WE", opens_at="16:00", closes_at="18:00"),
]


@pytest.mark.parametrize(
    "moment, expected",
    [
        (datetime(2026, 11, 23, 9, 0, tzinfo=TZ), True),  # Monday morning
        (datetime(2026, 11, 23, 15, 0, tzinfo=TZ), False),  # closing time is exclusive
        (datetime(2026, 11, 25, 17, 0, tzinfo=TZ), True),  # Wednesday afternoon slot
        (datetime(2026, 11, 22, 10, 0, tzinfo=TZ), False),  # Sunday
    ],
)
def test_open_now_from_weekly_hours(moment, expected):
    assert hours.is_open(WEEK, moment) is expected


def test_exception_overrides_weekly_hours():
    christmas_eve = Schedule(
        valid_from=date(2026, 12, 24), valid_to=date(2026, 12, 24), opens_at="08:00", closes_at="11:00"
    )
    holiday = Schedule(valid_from=date(2026, 12, 25), valid_to=date(2026, 12, 25))
    rows = WEEK + [christmas_eve, holiday]
    assert hours.is_open(rows, datetime(2026, 12, 24, 10, 0, tzinfo=TZ)) is True
    assert hours.is_open(rows, datetime(2026, 12, 24, 12, 0, tzinfo=TZ)) is False
    assert hours.is_open(rows, datetime(2026, 12, 25, 9, 0, tzinfo=TZ)) is False


def test_open_now_uses_ljubljana_time():
    utc_moment = datetime(2026, 11, 23, 14, 30, tzinfo=UTC)  # 15:30 in Ljubljana
    assert hours.is_open(WEEK, utc_moment) is False


def test_no_schedule_means_unknown():
    assert hours.is_open([]) is None


def test_weekly_table():
    table = hours.weekly_table(WEEK)
    assert table[2].day == "WE" and table[2].slots == ["08:00–15:00", "16:00–18:00"]
    assert table[6].slots == []


def test_parse_and_format_weekly_round_trip(app):
    with app.test_request_context():
        rows = hours.parse_weekly("pon,sre 08:00-12:00\nčet 13:00 - 17:30\n\nMO 14:00-16:00")
        assert rows == [
            ("MO", "08:00", "12:00"),
            ("MO", "14:00", "16:00"),
            ("WE", "08:00", "12:00"),
            ("TH", "13:00", "17:30"),
        ]
        assert hours.parse_weekly(hours.format_weekly(rows)) == rows


@pytest.mark.parametrize(
    "text, message",
    [
        ("ponedeljek 08:00-12:00", "Line 1: unknown day"),
        ("pon 12:00-08:00", "Line 1: write the hours as 08:00-15:00"),
        ("pon\n", "Line 1: write a day and the hours"),
        ("pon 08:00-12:00\ntor 8-12", "Line 2: write the hours"),
    ],
)
def test_parse_weekly_errors_name_the_line(app, text, message):
    with app.test_request_context():
        with pytest.raises(hours.HoursError, match=message):
            hours.parse_weekly(text)


def test_parse_exceptions(app):
    with app.test_request_context():
        rows = hours.parse_exceptions("2026-12-25 zaprto\n2026-12-24 08:00-11:00 krajši delovni čas")
        assert rows == [
            (date(2026, 12, 24), "08:00", "11:00", "krajši delovni čas"),
            (date(2026, 12, 25), None, None, "zaprto"),
        ]
        with pytest.raises(hours.HoursError, match="Line 1: start with a date"):
            hours.parse_exceptions("25.12.2026 zaprto")
