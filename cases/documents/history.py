"""Documents in the case history: "Document added", with its title, type and size, by whom."""

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.documents.models import CaseDocument
from cases.history.registry import HistoryEvent, register_source
from cases.models import Case
from welfare.extensions import db
from welfare.models import User


def document_events(case: Case, limit: int):
    """One event per document the case holds (a deleted one leaves its access-log row instead)."""
    documents = db.session.scalars(
        sa.select(CaseDocument)
        .where(CaseDocument.case_id == case.id)
        .order_by(CaseDocument.uploaded_at.desc(), CaseDocument.id.desc())
        .limit(limit)
    ).all()
    ids = {d.uploaded_by_id for d in documents if d.uploaded_by_id}
    names = (
        {
            uid: full or username
            for uid, full, username in db.session.execute(
                sa.select(User.id, User.full_name, User.username).where(User.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    for document in documents:
        size = _("%(kb)s kB", kb=format_decimal(max(1, round(document.size / 1024))))
        yield HistoryEvent(
            kind="document",
            at=document.uploaded_at,
            title=_("Document added"),
            who=names.get(document.uploaded_by_id, ""),
            detail=f"{document.title} ({document.extension.upper()}, {size})",
        )


register_source(document_events, {"document": _l("Documents")})
