"""Services every part of the case module shares: finding a case, person or record of a case
(each read logged), and numbering cases. (Optimistic locking: welfare.versioning.)"""

import sqlalchemy as sa
from flask import abort, has_request_context, request

from cases.access_log import log_read
from cases.models import Case, CaseNumberCounter, Person
from welfare import params
from welfare.extensions import db

# What a read is of, by the page's endpoint or else its blueprint (the access log's "what");
# anything else: "case" (the form for a new referral shows the case: no referral exists yet).
READ_OF = {
    "plans": "plan",
    "referrals": "referral",
    "needs": "unmet_need",
    "documents": "document",
    "history": "history",
    "referrals.new": "case",
}


def _reading() -> bool:
    """A page is being shown (GET): what it loads is a read of personal data. A POST's change is
    logged by its service (create, edit, send)."""
    return has_request_context() and request.method in ("GET", "HEAD")


def _read_of() -> str:
    return READ_OF.get(request.endpoint or "") or READ_OF.get(request.blueprint or "", "case")


def get_case_or_404(number: str) -> Case:
    """The case with this number (e.g. 2026-0042), for a view: on a page read it writes the
    access-log row itself (once per request), so no view that shows a case can forget it
    (STYLE rule 22; `tests/functional/test_reads_are_logged.py` walks the URL map).

    :raise 404: no such case.
    """
    case = db.session.scalar(sa.select(Case).where(Case.number == number[:12]))
    if case is None:
        abort(404)
    if _reading():
        log_read(case_id=case.id, person_id=case.person_id, what=_read_of())
    return case


get_case_for_view_or_404 = get_case_or_404  # the name STYLE rule 22 uses


def get_person_or_404(person_id: int) -> Person:
    """The person, for a view: on a page read it writes the access-log row itself.

    :raise 404: no such person (ids beyond the database's integer range included: the id may
    come from a query string or a draft, not only from a bounded `<int:...>` route)."""
    if not 0 < person_id <= params.MAX_ID:
        abort(404)
    person = db.get_or_404(Person, person_id)
    if _reading():
        log_read(person_id=person.id, what="person")
    return person


def get_child_or_404(model, record_id: int, belongs):
    """The `model` row with this id that also meets `belongs` (e.g. it is on the case in the URL).

    Route ids are already bounded by the `<int:...>` converter (welfare.params).

    :raise 404: no such row, or it belongs to another case.
    """
    record = db.session.scalar(sa.select(model).where(model.id == record_id, belongs))
    if record is None:
        abort(404)
    return record


def next_case_number(year: int) -> str:
    """Reserve the next case number of the year, e.g. 2026-0042; part of the caller's transaction.

    The counter row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite writers are
    serialised by BEGIN IMMEDIATE), so two intakes at once never get the same number.
    """
    counter = db.session.scalar(sa.select(CaseNumberCounter).where(CaseNumberCounter.year == year).with_for_update())
    if counter is None:
        counter = CaseNumberCounter(year=year, last=0)
        db.session.add(counter)
    counter.last += 1
    return f"{year}-{counter.last:04d}"
