"""Read-only lookups for referral pages, the Moje delo panel and the catalog search inside a case."""

import math
from dataclasses import dataclass
from datetime import date, timedelta
from types import SimpleNamespace

import sqlalchemy as sa
from flask import abort

from cases.models import Case, case_assignment
from cases.referrals.models import OPEN_STATUSES, Referral, ReferralEvent
from catalog import search as engine
from catalog.details import ServiceArea
from catalog.models import Organization, Service
from catalog.seed import reference_data
from catalog.services import public_addresses, public_locations_of
from welfare import mail
from welfare.clock import today
from welfare.extensions import db
from welfare.models import User

# Follow-ups due within this many days are listed on Moje delo (as the case follow-ups are).
PANEL_HORIZON_DAYS = 7
PANEL_LIMIT = 20


def get_referral_or_404(case: Case, referral_id: int) -> Referral:
    """:raise 404: no such referral on this case."""
    referral = db.session.scalar(sa.select(Referral).where(Referral.id == referral_id, Referral.case_id == case.id))
    if referral is None:
        abort(404)
    return referral


def referrals_of(case: Case) -> list[Referral]:
    return list(db.session.scalars(sa.select(Referral).where(Referral.case_id == case.id).order_by(Referral.id.desc())))


def delivery_state(referral: Referral) -> str | None:
    """pending / sent / failed of the newest e-mail about the referral, None when none was sent."""
    latest = mail.latest_for(f"referral:{referral.id}")
    return latest.state if latest is not None else None


def actor_names(events: list[ReferralEvent]) -> dict[int, str]:
    ids = {e.actor_id for e in events if e.actor_id}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {r.id: r.full_name or r.username for r in rows}


def due_follow_ups(user_id: int | None, on: date | None = None, limit: int = PANEL_LIMIT) -> list[SimpleNamespace]:
    """Open referrals whose follow-up date is within the horizon or past (on my cases, or the
    whole office's when user_id is None), earliest first."""
    on = on or today()
    statement = (
        sa.select(Referral.id, Referral.follow_up_on, Referral.status, Case.number, Service.name, Organization.name)
        .join(Case, Case.id == Referral.case_id)
        .join(Service, Service.id == Referral.to_service_id)
        .join(Organization, Organization.id == Referral.organization_id)
        .where(
            Referral.status.in_(OPEN_STATUSES),
            Referral.follow_up_on.is_not(None),
            Referral.follow_up_on <= on + timedelta(days=PANEL_HORIZON_DAYS),
        )
        .order_by(Referral.follow_up_on, Referral.id)
        .limit(limit)
    )
    if user_id is not None:
        mine = sa.select(case_assignment.c.case_id).where(case_assignment.c.user_id == user_id)
        statement = statement.where(Referral.case_id.in_(mine))
    return [
        SimpleNamespace(
            id=r[0], follow_up_on=r[1], status=r[2], number=r[3], service=r[4], organization=r[5], overdue=r[1] < on
        )
        for r in db.session.execute(statement)
    ]


# --- finding a service inside a case ----------------------------------------------------------

SEARCH_PAGE_SIZE = 10
# How many of the engine's results are ranked for the person's municipality and paged here; a
# search inside a case names a need, so more than this many services is never read through.
SEARCH_DEPTH = 200


@dataclass
class ServiceSearch:
    total: int
    page: int
    pages: int
    suggestion: str | None
    cards: list[SimpleNamespace]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _local_areas(municipality: str) -> set[str]:
    """Service-area names that mean the municipality: its own name and its settlements."""
    if not municipality:
        return set()
    settlements = reference_data()["service_areas"]["settlements"].get(municipality, [])
    return {municipality, *settlements}


def _address_of(service: Service) -> str | None:
    """The first address a resident may see ("" for a safe house, None when none is recorded)."""
    if service.is_confidential_location:
        return ""
    places = [a for loc in public_locations_of(service) for a in loc.addresses]
    places = places or public_addresses(service.organization)
    return places[0].one_line() if places else None


def search_services(case: Case, text: str, page: int) -> ServiceSearch:
    """The public search as residents run it, with the services that serve the person's
    municipality (or a settlement in it) first, keeping the engine's order within each group."""
    result = engine.run(text, per_page=SEARCH_DEPTH, snippets=False)
    local = _local_areas(case.person.municipality)
    serving = set()
    if local and result.ids:
        serving = set(
            db.session.scalars(
                sa.select(ServiceArea.service_id).where(
                    ServiceArea.service_id.in_(result.ids), ServiceArea.name.in_(local)
                )
            )
        )
    ranked = sorted(result.ids, key=lambda service_id: service_id not in serving)  # stable
    pages = max(1, math.ceil(len(ranked) / SEARCH_PAGE_SIZE))
    page = min(page, pages)
    shown = engine.services_for(ranked[(page - 1) * SEARCH_PAGE_SIZE : page * SEARCH_PAGE_SIZE])
    cards = [
        SimpleNamespace(
            service=s,
            address=_address_of(s),
            areas=[a.name for a in s.service_areas if a.name],
            local=s.id in serving,
        )
        for s in shown
    ]
    return ServiceSearch(result.total, page, pages, result.suggestion, cards)
