"""Staff-editable taxonomies (life domains are a tree; target groups and provider types are flat)."""

import re

import sqlalchemy as sa
from flask_babel import gettext as _

from catalog.models import Taxonomy, TaxonomyTerm, new_id
from catalog.staff.history import commit_changes, record_history
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


def all_taxonomies() -> list[Taxonomy]:
    return list(db.session.scalars(sa.select(Taxonomy).order_by(Taxonomy.name)))


def tree(taxonomy: Taxonomy) -> list[tuple[TaxonomyTerm, int]]:
    """Terms in display order with their depth (parents before children)."""
    terms = [t for t in taxonomy.terms]
    children: dict[str | None, list[TaxonomyTerm]] = {}
    for term in terms:
        children.setdefault(term.parent_id, []).append(term)
    out = []

    def walk(parent_id, depth):
        for term in sorted(children.get(parent_id, []), key=lambda t: t.name):
            out.append((term, depth))
            walk(term.id, depth + 1)

    walk(None, 0)
    return out


def save_term(
    term: TaxonomyTerm | None,
    taxonomy_id: str,
    *,
    code: str,
    name: str,
    description: str,
    parent_id: str | None,
    actor: User,
) -> TaxonomyTerm:
    """Create or change a term and commit.

    :raise ValidationFailed: bad or duplicate code, or a parent outside the taxonomy / a cycle.
    """
    code = code.strip().lower()
    if not CODE_RE.match(code):
        raise ValidationFailed(_("Use lowercase letters without diacritics, digits and dashes."), field="code")
    clash = db.session.scalar(
        sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id, TaxonomyTerm.code == code)
    )
    if clash is not None and clash is not term:
        raise ValidationFailed(_("Another term already uses this code."), field="code")
    parent = db.session.get(TaxonomyTerm, parent_id) if parent_id else None
    if parent_id and (parent is None or parent.taxonomy_id != taxonomy_id):
        raise ValidationFailed(_("Choose a parent from the same taxonomy."), field="parent_id")
    ancestor = parent
    while ancestor is not None:
        if term is not None and ancestor.id == term.id:
            raise ValidationFailed(_("A term cannot be placed under itself or its own sub-term."), field="parent_id")
        ancestor = ancestor.parent
    is_new = term is None
    if is_new:
        term = TaxonomyTerm(id=f"{taxonomy_id}:{code}", taxonomy_id=taxonomy_id, language="sl")
        if db.session.get(TaxonomyTerm, term.id) is not None:
            term.id = new_id()
        db.session.add(term)
    for field, value in (
        ("code", code),
        ("name", name.strip()),
        ("description", description.strip()),
        ("parent_id", parent.id if parent else None),
    ):
        old = getattr(term, field)
        if old != value:
            if not is_new:
                record_history("taxonomy_term", term.id, "update", actor, field, old, value)
            setattr(term, field, value)
    if is_new:
        record_history("taxonomy_term", term.id, "create", actor)
    commit_changes()
    return term
