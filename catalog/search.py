"""Catalog search behind one module. For now a database query; the Slovenian-aware
Whoosh engine replaces `search_services` without changing its callers."""
import sqlalchemy as sa

from catalog.models import Organization, Service
from catalog.services import PUBLIC_PAGE_SIZE, _with_details, public_services
from welfare.extensions import db


def _like_terms(query: str) -> list[str]:
    words = [w for w in query.lower().split() if len(w) > 1][:8]
    escaped = [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]
    return [f"%{w}%" for w in escaped]


def filter_by_text(statement, query: str):
    """Narrow a select(Service) joined with Organization to services containing every word."""
    for pattern in _like_terms(query):
        statement = statement.where(sa.or_(
            sa.func.lower(Service.name).like(pattern, escape="\\"),
            sa.func.lower(Service.description).like(pattern, escape="\\"),
            sa.func.lower(sa.func.coalesce(Service.alternate_name, "")).like(pattern, escape="\\"),
            sa.func.lower(Organization.name).like(pattern, escape="\\"),
        ))
    return statement


def search_services(query: str, page: int = 1):
    """Public services whose name, description or organization contains every word (paginated)."""
    statement = filter_by_text(public_services(), query)
    return db.paginate(_with_details(statement.order_by(Service.name)), page=page,
                       per_page=PUBLIC_PAGE_SIZE, error_out=False)
