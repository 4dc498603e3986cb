"""How much room a service has now, as its organization last said: a capacity in its own unit
(places, or appointments a week), how much of it is free, or a waiting list of about N weeks,
with the day it was said. Partners keep it up to date; staff see it where they choose where to
refer; a decline for lack of capacity marks the service full that day.

The public service page shows only a waiting list, and only where the partner allowed it: the
rest is the office's working knowledge, not a promise to residents.
"""

import enum
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.orm.exc import StaleDataError

from catalog.models import ID
from welfare import audit
from welfare.errors import Conflict, ValidationFailed
from welfare.extensions import db

MAX_NUMBER = 10_000
MAX_WEEKS = 104


class CapacityUnit(str, enum.Enum):
    PLACES = "places"
    WEEKLY = "weekly"  # appointments a week

    @property
    def label(self) -> str:
        return str({self.PLACES: _l("places"), self.WEEKLY: _l("appointments a week")}[self])


class CapacityState(str, enum.Enum):
    OPEN = "open"  # taking people: `free` of `total` left
    FULL = "full"
    WAITING = "waiting"  # a waiting list of about `waiting_weeks`

    @property
    def label(self) -> str:
        labels = {self.OPEN: _l("Taking people"), self.FULL: _l("Full"), self.WAITING: _l("Waiting list")}
        return str(labels[self])


def _enum(kind):
    return sa.Enum(kind, native_enum=False, length=10, values_callable=lambda e: [m.value for m in e])


class ServiceCapacity(db.Model):
    __tablename__ = "service_capacity"

    # Not named `service_id` in Python: the search index re-indexes the service of any changed
    # row with that attribute, and capacity is not searched.
    of_service_id: Mapped[str] = mapped_column(
        "service_id", ID, sa.ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    unit: Mapped[CapacityUnit] = mapped_column(_enum(CapacityUnit), default=CapacityUnit.PLACES)
    total: Mapped[int | None]
    free: Mapped[int | None]
    state: Mapped[CapacityState] = mapped_column(_enum(CapacityState), default=CapacityState.OPEN)
    waiting_weeks: Mapped[int | None]
    # The partner's choice: may the public page say "waiting list, about N weeks"?
    show_waiting_publicly: Mapped[bool] = mapped_column(default=False)
    said_on: Mapped[date]
    said_by: Mapped[str] = mapped_column(sa.String(120), default="")  # a name, kept as said
    version_id: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version_id}

    def summary(self) -> str:
        """The capacity in one line of plain words, for staff."""
        if self.state == CapacityState.FULL:
            return _("Full")
        if self.state == CapacityState.WAITING:
            return waiting_words(self.waiting_weeks or 0)
        if self.total is not None and self.free is not None:
            return _("%(free)d of %(total)d %(unit)s free", free=self.free, total=self.total, unit=self.unit.label)
        if self.free is not None:
            return _("%(free)d %(unit)s free", free=self.free, unit=self.unit.label)
        return _("Taking people")


def waiting_words(weeks: int) -> str:
    return ngettext("Waiting list, about %(num)d week", "Waiting list, about %(num)d weeks", weeks)


def capacity_of(service_id: str) -> ServiceCapacity | None:
    return db.session.get(ServiceCapacity, service_id)


def capacities_of(service_ids) -> dict[str, ServiceCapacity]:
    """The capacities of many services (a page of search cards) in one query."""
    ids = list({i for i in service_ids if i})
    if not ids:
        return {}
    rows = db.session.scalars(sa.select(ServiceCapacity).where(ServiceCapacity.of_service_id.in_(ids)))
    return {row.of_service_id: row for row in rows}


def is_public(row: ServiceCapacity | None) -> bool:
    """May the public see this capacity? Only a waiting list the partner allowed to be shown; free
    places, totals and "full" stay the office's working knowledge. The public page and the HSDS
    export and API follow this one rule."""
    return (
        row is not None and row.state == CapacityState.WAITING and row.show_waiting_publicly and bool(row.waiting_weeks)
    )


def public_waiting(service_id: str) -> str | None:
    """The waiting list in plain words for the public page, where the partner allowed it; else None."""
    row = capacity_of(service_id)
    return waiting_words(row.waiting_weeks) if is_public(row) else None


def public_capacities(service_ids) -> dict[str, ServiceCapacity]:
    """The capacities of these services that the public may see (see `is_public`), in one query."""
    return {sid: row for sid, row in capacities_of(service_ids).items() if is_public(row)}


def init_app(app) -> None:
    """Templates ask for a service's capacity by id (search cards, the staff edit page)."""
    app.jinja_env.globals.update(service_capacity=capacity_of, public_waiting=public_waiting)


def _number(value, field: str, message) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationFailed(str(message), field=field) from None
    if not 0 <= number <= MAX_NUMBER:
        raise ValidationFailed(str(message), field=field)
    return number


def save_capacity(
    service_id: str,
    *,
    state: str,
    unit: str,
    total,
    free,
    waiting_weeks,
    show_waiting_publicly: bool,
    said_on: date,
    said_by: str,
    version,
) -> ServiceCapacity:
    """The organization says how much room the service has; commit.

    :raise ValidationFailed: numbers out of range, more free than in total, a waiting list
        without weeks. :raise Conflict: someone saved it since the form was loaded.
    """
    try:
        state, unit = CapacityState(state), CapacityUnit(unit)
    except ValueError:
        raise ValidationFailed(_("Choose how much room the service has."), field="state") from None
    numbers = _l("Enter a whole number from 0 to %(max)d.", max=MAX_NUMBER)
    total, free = _number(total, "total", numbers), _number(free, "free", numbers)
    weeks = _number(waiting_weeks, "waiting_weeks", numbers)
    if total is not None and free is not None and free > total:
        raise ValidationFailed(_("More cannot be free than there is in total."), field="free")
    if state == CapacityState.WAITING and not (weeks and weeks <= MAX_WEEKS):
        raise ValidationFailed(
            _("Enter about how many weeks people wait (1 to %(max)d).", max=MAX_WEEKS), field="waiting_weeks"
        )
    row = capacity_of(service_id)
    if row is None:
        row = ServiceCapacity(of_service_id=service_id)
        db.session.add(row)
    elif version not in (None, "") and str(version) != str(row.version_id):
        raise Conflict(_("Someone else saved the capacity in the meantime. Check it and save again."))
    row.state, row.unit, row.total, row.free = state, unit, total, free
    row.waiting_weeks = weeks if state == CapacityState.WAITING else None
    row.show_waiting_publicly = bool(show_waiting_publicly)
    row.said_on, row.said_by = said_on, said_by[:120]
    audit.record("capacity_saved", object_type="service", object_id=service_id, detail=_audit_detail(row))
    try:
        db.session.commit()
    except (StaleDataError, sa.exc.IntegrityError):
        db.session.rollback()
        raise Conflict(_("Someone else saved the capacity in the meantime. Check it and save again.")) from None
    return row


def mark_full(service_id: str, on: date) -> None:
    """The organization said it has no room (a decline for lack of capacity): full as of `on`.
    Part of the caller's transaction."""
    row = capacity_of(service_id)
    if row is None:
        row = ServiceCapacity(of_service_id=service_id)
        db.session.add(row)
    row.state, row.free, row.waiting_weeks, row.said_on = CapacityState.FULL, 0, None, on
    row.said_by = ""
    audit.record("capacity_marked_full", object_type="service", object_id=service_id, detail=_audit_detail(row))


def _audit_detail(row: ServiceCapacity) -> str:
    # Who said what and when, so a wrong "full" or waiting list can be traced to its source.
    return (
        f"state={row.state.value} unit={row.unit.value if row.unit else ''} total={row.total} free={row.free} "
        f"weeks={row.waiting_weeks} public={'yes' if row.show_waiting_publicly else 'no'}"
    )
