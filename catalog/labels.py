"""Human names for facet values (codes in the index, names on the page)."""

import sqlalchemy as sa

from catalog.models import TAXONOMY_DOMAINS, TAXONOMY_PROVIDER_TYPES, TAXONOMY_TARGET_GROUPS, TaxonomyTerm
from catalog.staff.forms import LANGUAGES
from welfare.extensions import db


def facet_labels() -> dict[str, dict[str, str]]:
    labels = {"domain": {}, "group": {}, "provider": {}, "lang": dict(LANGUAGES)}
    taxonomy_facet = {TAXONOMY_DOMAINS: "domain", TAXONOMY_TARGET_GROUPS: "group", TAXONOMY_PROVIDER_TYPES: "provider"}
    rows = db.session.execute(
        sa.select(TaxonomyTerm.taxonomy_id, TaxonomyTerm.code, TaxonomyTerm.name).where(
            TaxonomyTerm.taxonomy_id.in_(taxonomy_facet)
        )
    )
    for taxonomy_id, code, name in rows:
        labels[taxonomy_facet[taxonomy_id]][code] = name
    return labels
