"""UUIDs for the API's taxonomies and terms.

HSDS 3.0 requires every id to be a UUID. The office's own taxonomies and terms are keyed by
readable slugs ("pisarna-zivljenjska-podrocja", "pisarna-zivljenjska-podrocja:nasilje") that the
seeds, the case records and staff links rely on, so the database keeps them and the API shows
each as a UUID derived from it (version 5: the same on every install, for ever). The slug stays
visible as the term's `code`. Wherever the API takes an id (a path, `taxonomy_id`,
`taxonomy_term_id`, `parent_id`) it accepts the UUID and the old slug alike, so links made before
keep working. Ids that already are UUIDs (imported packages) are shown as they are.
"""

import uuid

import sqlalchemy as sa

from catalog.models import Taxonomy, TaxonomyTerm
from welfare.extensions import db

NAMESPACE = uuid.UUID("0b7c5e55-1d0e-4f7a-8f5e-6a2b9c3d4e21")
MODELS = {"taxonomy": Taxonomy, "taxonomy_term": TaxonomyTerm}


def is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value.lower()
    except (ValueError, AttributeError, TypeError):
        return False


def public_id(kind: str, internal: str | None) -> str | None:
    """The id the API shows for a taxonomy ("taxonomy") or term ("taxonomy_term")."""
    if internal is None or is_uuid(internal):
        return internal
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{internal}"))


def internal_id(kind: str, given: str) -> str:
    """The database id for an id the API was given: a shown UUID or an old slug. An id that
    names nothing comes back as given (the query then finds nothing, as for any unknown id)."""
    if not is_uuid(given):
        return given
    model = MODELS[kind]
    for stored in db.session.scalars(sa.select(model.id)):
        if public_id(kind, stored) == given.lower():
            return stored
    return given
