"""What a public result card shows (name, provider, description, free of charge, areas), read
as plain rows in three small queries instead of loading Service objects with their
organization, costs and areas through the ORM: that loading cost more than the search itself
once results were cached."""

from dataclasses import dataclass

import sqlalchemy as sa

from catalog.details import CostOption, ServiceArea
from catalog.models import Organization, Service
from catalog.services import public_services
from welfare.extensions import db


@dataclass(frozen=True)
class Card:
    id: str
    name: str
    provider: str
    description: str
    is_free: bool
    areas: tuple[str | None, ...]


def cards_for(ids: list[str]) -> list[Card]:
    """The cards of the public ones of these services, in the given order."""
    if not ids:
        return []
    rows = db.session.execute(
        public_services()
        .with_only_columns(Service.id, Service.name, Organization.name, Service.description)
        .where(Service.id.in_(ids))
    ).all()
    free = set(
        db.session.scalars(
            sa.select(CostOption.service_id).where(CostOption.service_id.in_(ids), CostOption.amount == 0)
        )
    )
    areas: dict[str, list[str | None]] = {}
    for service_id, name in db.session.execute(
        sa.select(ServiceArea.service_id, ServiceArea.name).where(ServiceArea.service_id.in_(ids))
    ):
        areas.setdefault(service_id, []).append(name)
    found = {
        service_id: Card(
            service_id, name, provider, description or "", service_id in free, tuple(areas.get(service_id, ()))
        )
        for service_id, name, provider, description in rows
    }
    return [found[i] for i in ids if i in found]
