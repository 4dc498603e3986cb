"""What the intake forms offer: the office team, life domains, kinds of organization.
(Places: cases.places; the wall clock: welfare.clock.)"""

import sqlalchemy as sa

from catalog.models import TAXONOMY_DOMAINS, TAXONOMY_PROVIDER_TYPES, Organization, TaxonomyTerm
from welfare.extensions import db
from welfare.models import STAFF_ROLES, User


def office_team() -> list[User]:
    """The enabled members of the office team: who a case can be assigned to."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role.in_(STAFF_ROLES), User.is_enabled.is_(True))
            .order_by(User.full_name, User.username)
        )
    )


def terms_of(taxonomy_id: str) -> list[TaxonomyTerm]:
    return list(
        db.session.scalars(
            sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id).order_by(TaxonomyTerm.name)
        )
    )


def domain_terms() -> list[TaxonomyTerm]:
    """The life domains (the catalog's own taxonomy, so demand and supply compare)."""
    return terms_of(TAXONOMY_DOMAINS)


def provider_types() -> list[TaxonomyTerm]:
    return terms_of(TAXONOMY_PROVIDER_TYPES)


def consent_organizations() -> list[Organization]:
    """Organizations a consent can name: those of the catalog that are not archived."""
    return list(
        db.session.scalars(
            sa.select(Organization).where(Organization.archived_at.is_(None)).order_by(Organization.name)
        )
    )
