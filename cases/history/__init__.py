"""One history of a case (/cases/<number>/history): every event that changed the case, newest
first, with who and when, filterable by kind.

Its public face: `register_source` (a part of the case module contributes its events),
`HistoryEvent` (what a source yields) and `history_of` (the merged, sorted list). The built-in
sources (notes and contacts, case status, consents, referrals, plan, legal deadlines) are in
`sources`; a new kind of record (e.g. documents) registers its own source from its package:

    from cases.history import HistoryEvent, register_source
    register_source(documents_of, {"document": _l("Documents")})
"""

from flask import Blueprint

from cases.access import require_case_team
from cases.history.registry import HistoryEvent, history_of, kind_choices, register_source

bp = Blueprint("history", __name__)
bp.before_request(require_case_team)

__all__ = ["HistoryEvent", "bp", "history_of", "kind_choices", "register_source"]

from cases.history import sources, views  # noqa: E402,F401  (sources register themselves)
