"""HSDS detail tables hanging off services, locations and organizations."""

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.models import ID, new_id
from welfare.extensions import db

if TYPE_CHECKING:
    from catalog.models import Location, Service


def _fk(table: str):
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


class Address(db.Model):
    __tablename__ = "address"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    location_id: Mapped[str] = mapped_column(_fk("location"), index=True)
    attention: Mapped[str | None] = mapped_column(sa.String(200))
    address_1: Mapped[str] = mapped_column(sa.String(300))
    address_2: Mapped[str | None] = mapped_column(sa.String(300))
    city: Mapped[str] = mapped_column(sa.String(120))
    region: Mapped[str | None] = mapped_column(sa.String(120))
    state_province: Mapped[str] = mapped_column(sa.String(120), default="")
    postal_code: Mapped[str] = mapped_column(sa.String(20), default="")
    country: Mapped[str] = mapped_column(sa.String(2), default="SI")
    address_type: Mapped[str] = mapped_column(sa.String(10), default="physical")

    location: Mapped["Location"] = relationship(back_populates="addresses")

    def one_line(self) -> str:
        parts = [self.address_1, self.address_2, " ".join(p for p in (self.postal_code, self.city) if p)]
        return ", ".join(p for p in parts if p)


class Phone(db.Model):
    __tablename__ = "phone"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    location_id: Mapped[str | None] = mapped_column(_fk("location"), index=True)
    service_id: Mapped[str | None] = mapped_column(_fk("service"), index=True)
    organization_id: Mapped[str | None] = mapped_column(_fk("organization"), index=True)
    contact_id: Mapped[str | None] = mapped_column(_fk("contact"))
    service_at_location_id: Mapped[str | None] = mapped_column(_fk("service_at_location"))
    number: Mapped[str] = mapped_column(sa.String(60))
    extension: Mapped[int | None]
    type: Mapped[str | None] = mapped_column(sa.String(20))
    description: Mapped[str | None] = mapped_column(sa.Text)

    service: Mapped["Service | None"] = relationship(back_populates="phones")
    location: Mapped["Location | None"] = relationship(back_populates="phones")


class Schedule(db.Model):
    """Opening hours. A weekly row (freq=WEEKLY, byday, opens_at/closes_at) is a regular slot;
    a row with valid_from/valid_to and no freq is an exception (closed, or other hours, those days)."""

    __tablename__ = "schedule"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(_fk("service"), index=True)
    location_id: Mapped[str | None] = mapped_column(_fk("location"), index=True)
    service_at_location_id: Mapped[str | None] = mapped_column(_fk("service_at_location"))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    dtstart: Mapped[date | None]
    timezone: Mapped[float | None]
    until: Mapped[date | None]
    count: Mapped[int | None]
    wkst: Mapped[str | None] = mapped_column(sa.String(3))
    freq: Mapped[str | None] = mapped_column(sa.String(10))
    interval: Mapped[int | None]
    byday: Mapped[str | None] = mapped_column(sa.String(60))
    byweekno: Mapped[str | None] = mapped_column(sa.String(200))
    bymonthday: Mapped[str | None] = mapped_column(sa.String(200))
    byyearday: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    opens_at: Mapped[str | None] = mapped_column(sa.String(8))
    closes_at: Mapped[str | None] = mapped_column(sa.String(8))
    schedule_link: Mapped[str | None] = mapped_column(sa.String(500))
    attending_type: Mapped[str | None] = mapped_column(sa.String(200))
    notes: Mapped[str | None] = mapped_column(sa.Text)

    service: Mapped["Service | None"] = relationship(back_populates="schedules")
    location: Mapped["Location | None"] = relationship(back_populates="schedules")


class Contact(db.Model):
    __tablename__ = "contact"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    organization_id: Mapped[str | None] = mapped_column(_fk("organization"), index=True)
    service_id: Mapped[str | None] = mapped_column(_fk("service"), index=True)
    service_at_location_id: Mapped[str | None] = mapped_column(_fk("service_at_location"))
    location_id: Mapped[str | None] = mapped_column(_fk("location"))
    name: Mapped[str | None] = mapped_column(sa.String(200))
    title: Mapped[str | None] = mapped_column(sa.String(200))
    department: Mapped[str | None] = mapped_column(sa.String(200))
    email: Mapped[str | None] = mapped_column(sa.String(254))

    service: Mapped["Service | None"] = relationship(back_populates="contacts")


class Language(db.Model):
    __tablename__ = "language"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(_fk("service"), index=True)
    location_id: Mapped[str | None] = mapped_column(_fk("location"))
    phone_id: Mapped[str | None] = mapped_column(_fk("phone"))
    name: Mapped[str | None] = mapped_column(sa.String(100))
    code: Mapped[str | None] = mapped_column(sa.String(10))
    note: Mapped[str | None] = mapped_column(sa.Text)

    service: Mapped["Service | None"] = relationship(back_populates="languages")


class CostOption(db.Model):
    __tablename__ = "cost_option"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(_fk("service"), index=True)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    option: Mapped[str | None] = mapped_column(sa.Text)
    currency: Mapped[str | None] = mapped_column(sa.String(3))
    amount: Mapped[float | None]
    amount_description: Mapped[str | None] = mapped_column(sa.Text)

    service: Mapped["Service"] = relationship(back_populates="cost_options")


class ServiceArea(db.Model):
    __tablename__ = "service_area"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(_fk("service"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(200), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    extent: Mapped[str | None] = mapped_column(sa.Text)
    extent_type: Mapped[str | None] = mapped_column(sa.String(20))
    uri: Mapped[str | None] = mapped_column(sa.String(500))

    service: Mapped["Service | None"] = relationship(back_populates="service_areas")


class RequiredDocument(db.Model):
    __tablename__ = "required_document"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(_fk("service"), index=True)
    document: Mapped[str | None] = mapped_column(sa.Text)
    uri: Mapped[str | None] = mapped_column(sa.String(500))

    service: Mapped["Service | None"] = relationship(back_populates="required_documents")


class Accessibility(db.Model):
    __tablename__ = "accessibility"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    location_id: Mapped[str | None] = mapped_column(_fk("location"), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    details: Mapped[str | None] = mapped_column(sa.Text)
    url: Mapped[str | None] = mapped_column(sa.String(500))

    location: Mapped["Location | None"] = relationship(back_populates="accessibility")
