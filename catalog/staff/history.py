"""What every curation action shares: field changes with their history rows, category links,
the version check against concurrent edits, and the one commit at the end of the action.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from catalog.models import Attribute, Metadata, TaxonomyTerm
from welfare import versioning
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User
from welfare.versioning import commit_or_conflict


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(sorted(str(v) for v in value))
    return getattr(value, "value", value) if not isinstance(value, bool) else ("true" if value else "false")


def record_history(
    resource_type: str, resource_id: str, action: str, actor: User, field_name: str = "", old="", new=""
) -> None:
    db.session.add(
        Metadata(
            resource_id=resource_id,
            resource_type=resource_type,
            last_action_type=action,
            field_name=field_name,
            previous_value=str(_text(old)),
            replacement_value=str(_text(new)),
            updated_by=actor.username,
        )
    )


def history_of(resource_type: str, resource_id: str) -> list[Metadata]:
    return list(
        db.session.scalars(
            sa.select(Metadata)
            .where(Metadata.resource_type == resource_type, Metadata.resource_id == resource_id)
            .order_by(Metadata.last_action_date.desc(), Metadata.id)
        )
    )


def assign_fields(record, resource_type: str, values: dict, actor: User, is_new: bool) -> None:
    """Set attributes and write one metadata row per changed field."""
    columns = record.__table__.c
    for name, new in values.items():
        if new is None and not columns[name].nullable:
            new = ""  # an emptied required text column is stored as "", never NULL
        old = getattr(record, name)
        if old != new:
            setattr(record, name, new)
            if not is_new:
                record_history(resource_type, record.id, "update", actor, name, old, new)


# Catalog forms are not kept as typed after a conflict: the curator reloads the entry.
_STALE = _l("Someone else saved this record in the meantime. Reload it and apply your changes again.")


def commit_changes(message: str | None = None) -> None:
    """:raise Conflict: a record was saved by someone else meanwhile (rolled back)."""
    commit_or_conflict(message or _STALE)


def check_version(record, version_id: int | None) -> None:
    """:raise Conflict: the record was saved by someone else since the form was loaded."""
    versioning.check_version(record, version_id, _STALE)


# ---- links (taxonomy attributes) -------------------------------------------------------------


def _current_links(entity: str, record_id: str, link_type: str) -> dict[str, Attribute]:
    rows = db.session.scalars(
        sa.select(Attribute).where(
            Attribute.link_entity == entity, Attribute.link_id == record_id, Attribute.link_type == link_type
        )
    )
    return {a.taxonomy_term_id: a for a in rows}


def set_links(entity: str, record_id: str, link_type: str, term_ids: list[str], actor: User, is_new: bool) -> None:
    """Link the record to exactly these categories, with one history row for the change.

    :raise ValidationFailed: a category does not exist.
    """
    current = _current_links(entity, record_id, link_type)
    wanted = set(term_ids)
    if set(current) == wanted:
        return
    known = set(db.session.scalars(sa.select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(wanted))))
    if known != wanted:
        raise ValidationFailed(_("An unknown category was chosen."))
    for term_id, attribute in current.items():
        if term_id not in wanted:
            db.session.delete(attribute)
    for term_id in wanted - set(current):
        db.session.add(Attribute(link_id=record_id, link_entity=entity, link_type=link_type, taxonomy_term_id=term_id))
    if not is_new:
        record_history(entity, record_id, "update", actor, link_type, sorted(current), sorted(wanted))
