"""The office's wall clock. The server may run on UTC; people type and read times and days in
Novo mesto. Times are stored naive in UTC (welfare.database.utcnow); these convert."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

OFFICE_TZ = ZoneInfo("Europe/Ljubljana")


def today() -> date:
    """The office's calendar day."""
    return datetime.now(OFFICE_TZ).date()


def office_now() -> datetime:
    """Now on the office's wall clock, to the minute (the default time of a form's moment)."""
    return datetime.now(OFFICE_TZ).replace(tzinfo=None, second=0, microsecond=0)


def local_time(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as the office's wall clock."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC).astimezone(OFFICE_TZ).replace(tzinfo=None)


def to_utc(local: datetime) -> datetime:
    """An office wall-clock time as stored (naive UTC)."""
    return local.replace(tzinfo=OFFICE_TZ).astimezone(UTC).replace(tzinfo=None)
