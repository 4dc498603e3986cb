"""The database fallback of catalog search: used when the index is missing or broken, and the
`LIKE` baseline the relevance suite compares the engine with."""

import sqlalchemy as sa

from catalog.models import Organization, Service
from catalog.services import public_services
from welfare.extensions import db


def run_database(text: str, filters: dict, page: int, per_page: int, result_type):
    statement = filter_by_text(public_services(), text) if text else public_services()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
    ids = db.session.scalars(
        statement.with_only_columns(Service.id).order_by(Service.name).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return result_type(ids=list(ids), total=total, page=page, per_page=per_page, fallback=True)


def _like_terms(query: str) -> list[str]:
    words = [w for w in query.lower().split() if len(w) > 1][:8]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return [f"%{w}%" for w in escaped]


def filter_by_text(statement, query: str):
    """Narrow a select(Service) joined with Organization to services containing every word."""
    for pattern in _like_terms(query):
        statement = statement.where(
            sa.or_(
                sa.func.lower(Service.name).like(pattern, escape="\\"),
                sa.func.lower(Service.description).like(pattern, escape="\\"),
                sa.func.lower(sa.func.coalesce(Service.alternate_name, "")).like(pattern, escape="\\"),
                sa.func.lower(Organization.name).like(pattern, escape="\\"),
            )
        )
    return statement
