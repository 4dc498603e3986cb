"""Catalog models, aligned with Open Referral HSDS 3.0.

Column names follow HSDS so import/export map one to one; ids are strings (HSDS uses UUIDs,
imports may bring their own). Fields HSDS does not have (publication, confidentiality,
source note) are ours and never leave through the HSDS export except where noted.
"""

import enum
import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from welfare.database import utcnow
from welfare.extensions import db

ID = sa.String(64)


def new_id() -> str:
    return str(uuid.uuid4())


class ServiceStatus(str, enum.Enum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


# Link types of our attributes (HSDS leaves link_type an open code list).
LINK_DOMAIN = "life_domain"
LINK_TARGET_GROUP = "target_group"
LINK_PROVIDER_TYPE = "provider_type"

# Ids of our own taxonomies: stable, so links survive export and re-import.
TAXONOMY_DOMAINS = "pisarna-zivljenjska-podrocja"
TAXONOMY_TARGET_GROUPS = "pisarna-ciljne-skupine"
TAXONOMY_PROVIDER_TYPES = "pisarna-vrste-izvajalcev"


class CurationMixin:
    """Fields staff use to run the catalog; not part of HSDS."""

    is_published: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[datetime | None]
    source_note: Mapped[str] = mapped_column(sa.Text, default="")
    needs_verification: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_modified: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version_id: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        # Optimistic locking: two curators saving the same record cannot overwrite each other.
        return {"version_id_col": cls.__table__.c.version_id}


class Organization(CurationMixin, db.Model):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(300))
    alternate_name: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(500))
    legal_status: Mapped[str | None] = mapped_column(sa.String(200))
    year_incorporated: Mapped[int | None]
    parent_organization_id: Mapped[str | None] = mapped_column(sa.ForeignKey("organization.id"))
    # Ours (HSDS has them on services only): when the organization's own entry was last
    # confirmed accurate, and by whom (a name), as for services.
    assured_date: Mapped[date | None]
    assurer: Mapped[str | None] = mapped_column(sa.String(120))
    # Which imported directory the row came from (None: made by staff); a re-import of the same
    # source updates its rows and archives its services that disappeared, never anyone else's.
    import_source: Mapped[str | None] = mapped_column(sa.String(200), index=True)

    services: Mapped[list["Service"]] = relationship(back_populates="organization", order_by="Service.name")
    locations: Mapped[list["Location"]] = relationship(back_populates="organization")
    phones: Mapped[list["Phone"]] = relationship(
        primaryjoin="Phone.organization_id == Organization.id",
        viewonly=True,
    )
    contacts: Mapped[list["Contact"]] = relationship(
        primaryjoin="Contact.organization_id == Organization.id",
        viewonly=True,
    )
    attributes: Mapped[list["Attribute"]] = relationship(
        primaryjoin="and_(foreign(Attribute.link_id) == Organization.id, Attribute.link_entity == 'organization')",
        viewonly=True,
    )

    @property
    def is_public(self) -> bool:
        return self.is_published and self.archived_at is None


class Service(CurationMixin, db.Model):
    __tablename__ = "service"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    organization_id: Mapped[str] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    program_id: Mapped[str | None] = mapped_column(ID)
    name: Mapped[str] = mapped_column(sa.String(300))
    alternate_name: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    url: Mapped[str | None] = mapped_column(sa.String(500))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    status: Mapped[ServiceStatus] = mapped_column(
        sa.Enum(ServiceStatus, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        default=ServiceStatus.ACTIVE,
    )
    interpretation_services: Mapped[str | None] = mapped_column(sa.Text)
    application_process: Mapped[str | None] = mapped_column(sa.Text)
    fees_description: Mapped[str | None] = mapped_column(sa.Text)
    accreditations: Mapped[str | None] = mapped_column(sa.Text)
    eligibility_description: Mapped[str | None] = mapped_column(sa.Text)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    assured_date: Mapped[date | None]
    assurer_email: Mapped[str | None] = mapped_column(sa.String(254))
    alert: Mapped[str | None] = mapped_column(sa.Text)
    # Ours: who verified the entry (a staff name), and whether the address must stay hidden.
    assurer: Mapped[str | None] = mapped_column(sa.String(120))
    is_confidential_location: Mapped[bool] = mapped_column(default=False)
    # Which imported directory the row came from (None: made by staff); a re-import of the same
    # source updates its rows and archives its services that disappeared, never anyone else's.
    import_source: Mapped[str | None] = mapped_column(sa.String(200), index=True)

    organization: Mapped[Organization] = relationship(back_populates="services")
    service_at_locations: Mapped[list["ServiceAtLocation"]] = relationship(
        back_populates="service", cascade="all, delete-orphan"
    )
    phones: Mapped[list["Phone"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    schedules: Mapped[list["Schedule"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    contacts: Mapped[list["Contact"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    languages: Mapped[list["Language"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    cost_options: Mapped[list["CostOption"]] = relationship(back_populates="service", cascade="all, delete-orphan")
    service_areas: Mapped[list["ServiceArea"]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
    )
    required_documents: Mapped[list["RequiredDocument"]] = relationship(
        back_populates="service",
        cascade="all, delete-orphan",
    )
    attributes: Mapped[list["Attribute"]] = relationship(
        primaryjoin="and_(foreign(Attribute.link_id) == Service.id, Attribute.link_entity == 'service')", viewonly=True
    )

    @property
    def is_public(self) -> bool:
        return (
            self.is_published
            and self.archived_at is None
            and self.status != ServiceStatus.DEFUNCT
            and self.organization.is_public
        )

    def terms(self, link_type: str) -> list["TaxonomyTerm"]:
        return sorted(
            (a.taxonomy_term for a in self.attributes if a.link_type == link_type and a.taxonomy_term),
            key=lambda t: t.name,
        )

    @property
    def is_free(self) -> bool:
        return any(c.amount == 0 for c in self.cost_options)


class Location(db.Model):
    __tablename__ = "location"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    location_type: Mapped[str] = mapped_column(sa.String(10), default="physical")
    url: Mapped[str | None] = mapped_column(sa.String(500))
    organization_id: Mapped[str | None] = mapped_column(sa.ForeignKey("organization.id"), index=True)
    name: Mapped[str | None] = mapped_column(sa.String(300))
    alternate_name: Mapped[str | None] = mapped_column(sa.String(300))
    description: Mapped[str | None] = mapped_column(sa.Text)
    transportation: Mapped[str | None] = mapped_column(sa.Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # Which imported directory the row came from (None: made by staff); a re-import of the same
    # source updates its rows and archives its services that disappeared, never anyone else's.
    import_source: Mapped[str | None] = mapped_column(sa.String(200), index=True)

    organization: Mapped[Organization | None] = relationship(back_populates="locations")
    addresses: Mapped[list["Address"]] = relationship(back_populates="location", cascade="all, delete-orphan")
    accessibility: Mapped[list["Accessibility"]] = relationship(
        back_populates="location",
        cascade="all, delete-orphan",
    )
    phones: Mapped[list["Phone"]] = relationship(back_populates="location")
    schedules: Mapped[list["Schedule"]] = relationship(back_populates="location")


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(sa.ForeignKey("service.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(sa.ForeignKey("location.id"), index=True)
    description: Mapped[str | None] = mapped_column(sa.Text)

    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship()


class Taxonomy(db.Model):
    __tablename__ = "taxonomy"

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    uri: Mapped[str | None] = mapped_column(sa.String(500))
    version: Mapped[str | None] = mapped_column(sa.String(40))

    terms: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="taxonomy", order_by="TaxonomyTerm.name")


class TaxonomyTerm(db.Model):
    __tablename__ = "taxonomy_term"
    __table_args__ = (sa.UniqueConstraint("taxonomy_id", "code"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    code: Mapped[str | None] = mapped_column(sa.String(100))
    name: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    parent_id: Mapped[str | None] = mapped_column(sa.ForeignKey("taxonomy_term.id"))
    taxonomy_id: Mapped[str | None] = mapped_column(sa.ForeignKey("taxonomy.id"), index=True)
    language: Mapped[str | None] = mapped_column(sa.String(10))
    term_uri: Mapped[str | None] = mapped_column(sa.String(500))
    # Which imported directory the row came from (None: made by staff); a re-import of the same
    # source updates its rows and archives its services that disappeared, never anyone else's.
    import_source: Mapped[str | None] = mapped_column(sa.String(200), index=True)

    taxonomy: Mapped[Taxonomy | None] = relationship(back_populates="terms")
    parent: Mapped["TaxonomyTerm | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["TaxonomyTerm"]] = relationship(back_populates="parent", order_by="TaxonomyTerm.name")


class Attribute(db.Model):
    """HSDS attribute: links a taxonomy term to any record (link_entity names its table)."""

    __tablename__ = "attribute"
    __table_args__ = (sa.Index("ix_attribute_link", "link_entity", "link_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    link_id: Mapped[str] = mapped_column(ID)
    taxonomy_term_id: Mapped[str] = mapped_column(sa.ForeignKey("taxonomy_term.id"), index=True)
    link_type: Mapped[str] = mapped_column(sa.String(50))
    link_entity: Mapped[str] = mapped_column(sa.String(40))
    value: Mapped[str | None] = mapped_column(sa.Text)

    taxonomy_term: Mapped[TaxonomyTerm] = relationship()


class Metadata(db.Model):
    """HSDS metadata: one row per changed field (who, when, old -> new)."""

    __tablename__ = "metadata"
    __table_args__ = (sa.Index("ix_metadata_resource", "resource_type", "resource_id"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    resource_id: Mapped[str] = mapped_column(ID)
    resource_type: Mapped[str] = mapped_column(sa.String(40))
    last_action_date: Mapped[datetime] = mapped_column(default=utcnow)
    last_action_type: Mapped[str] = mapped_column(sa.String(20))
    field_name: Mapped[str] = mapped_column(sa.String(100), default="")
    previous_value: Mapped[str] = mapped_column(sa.Text, default="")
    replacement_value: Mapped[str] = mapped_column(sa.Text, default="")
    updated_by: Mapped[str] = mapped_column(sa.String(120), default="")


class ChangeReport(db.Model):
    """A resident's "report a change" note about a service, waiting for staff."""

    __tablename__ = "catalog_change_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(sa.ForeignKey("service.id", ondelete="CASCADE"), index=True)
    message: Mapped[str] = mapped_column(sa.Text)
    reporter_contact: Mapped[str | None] = mapped_column(sa.String(254))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(sa.String(12), default="open", index=True)  # open/accepted/dismissed
    handled_by: Mapped[str | None] = mapped_column(sa.String(64))
    handled_at: Mapped[datetime | None]

    service: Mapped[Service] = relationship()
