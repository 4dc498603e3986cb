"""Derive the de-identified rows the reports count (`models.TrendCase`, `TrendReferral`).

The one place where a case or referral becomes a counted unit: its months, age band, day
counts and state bucket are computed here and nowhere else. The case services announce their
changes (`cases.events`); `connect` subscribes, and the rows of the named cases or referrals
are derived again in the same transaction. `rebuild` derives every row (after demo data or a
restore, and from `flask trends rebuild`); `differences` compares the stored rows with a
fresh derivation (`flask trends check`, and the tests that guard against a service that
forgot to announce a change).
"""

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from flask import Flask

from cases import events
from cases.models import Case, Challenge, Person
from cases.plans.models import PlanGoal
from cases.referrals.models import DeclineReason, Referral, ReferralEvent, ReferralStatus
from cases.trends.models import TrendCase, TrendCaseDomain, TrendReferral
from welfare import signals
from welfare.extensions import db

AGE_BANDS = ("0-17", "18-25", "26-40", "41-64", "65+")
UNKNOWN = "unknown"
WAITING, ACCEPTED = "waiting", "accepted"
# What became of a sent referral, as one partition (each sent referral is in exactly one).
STATE_BUCKETS = (WAITING, ACCEPTED, "completed", "declined", "cancelled")
CHUNK = 500


def month_index(day: date | datetime) -> int:
    return day.year * 12 + day.month - 1


def age_band(opened: date, birth_year: int | None, birth_date: date | None) -> str:
    """The age band at opening, from the year of birth (the opening year minus it)."""
    year = birth_year if birth_year is not None else (birth_date.year if birth_date else None)
    if year is None:
        return UNKNOWN
    age = opened.year - year
    for band, below in zip(AGE_BANDS, (18, 26, 41, 65), strict=False):
        if age < below:
            return band
    return AGE_BANDS[-1]


def _value(enum_value) -> str | None:
    return None if enum_value is None else getattr(enum_value, "value", enum_value)


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# ---- cases ----------------------------------------------------------------------------------


def _case_query():
    challenges = sa.select(sa.func.count()).where(Challenge.case_id == Case.id).correlate(Case).scalar_subquery()
    first_goal = sa.select(sa.func.min(PlanGoal.created_at)).where(PlanGoal.case_id == Case.id)
    return sa.select(
        Case.id,
        Case.opened_on,
        Case.closed_on,
        Case.outcome,
        Case.record_key,
        Person.birth_year,
        Person.birth_date,
        Person.gender,
        Person.municipality,
        Person.settlement,
        challenges.label("challenges"),
        first_goal.correlate(Case).scalar_subquery().label("first_goal"),
    ).join(Person, Person.id == Case.person_id)


def _case_row(row) -> dict:
    first_goal = row.first_goal
    if isinstance(first_goal, str):  # SQLite hands a MIN() over datetimes back as text
        first_goal = datetime.fromisoformat(first_goal)
    return {
        "case_id": row.id,
        "opened": month_index(row.opened_on),
        "closed": month_index(row.closed_on) if row.closed_on else None,
        "outcome": _value(row.outcome),
        "age_band": age_band(row.opened_on, row.birth_year, row.birth_date),
        "gender": _value(row.gender) or UNKNOWN,
        "municipality": row.municipality or "",
        "settlement": row.settlement or "",
        "challenges": int(row.challenges or 0),
        "first_plan_days": max((first_goal.date() - row.opened_on).days, 0) if first_goal else None,
        "closure_days": max((row.closed_on - row.opened_on).days, 0) if row.closed_on else None,
        "record_key": row.record_key,
    }


def case_rows(case_ids: list[int] | None) -> list[dict]:
    """Fresh rows for the cases (None: every case)."""
    if case_ids is None:
        return [_case_row(r) for r in db.session.execute(_case_query())]
    return [
        _case_row(r)
        for ids in _chunks(sorted(set(case_ids)))
        for r in db.session.execute(_case_query().where(Case.id.in_(ids)))
    ]


def domain_rows(cases: list[dict]) -> list[dict]:
    """Each of these case rows' challenge domains, once per domain, with its month and key."""
    by_id = {row["case_id"]: row for row in cases}
    query = sa.select(Challenge.case_id, Challenge.domain_id).distinct()
    pairs = (
        db.session.execute(query).all()
        if len(by_id) > CHUNK
        else db.session.execute(query.where(Challenge.case_id.in_(list(by_id)))).all()
    )
    return [
        {"case_id": c, "domain_id": d, "opened": by_id[c]["opened"], "record_key": by_id[c]["record_key"]}
        for c, d in pairs
        if c in by_id
    ]


def refresh_cases(case_ids: list[int]) -> None:
    for ids in _chunks(sorted(set(case_ids))):
        db.session.execute(sa.delete(TrendCaseDomain).where(TrendCaseDomain.case_id.in_(ids)))
        db.session.execute(sa.delete(TrendCase).where(TrendCase.case_id.in_(ids)))
        rows = case_rows(ids)
        if rows:
            db.session.execute(sa.insert(TrendCase), rows)
        domains = domain_rows(rows) if rows else []
        if domains:  # a case without challenges has none (an empty insert would be one empty row)
            db.session.execute(sa.insert(TrendCaseDomain), domains)


# ---- referrals ------------------------------------------------------------------------------


def _state(status: ReferralStatus) -> str:
    if status == ReferralStatus.SENT:
        return WAITING
    if status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS):
        return ACCEPTED
    return status.value


def _first_events(referral_ids: list[int] | None) -> dict[tuple[int, str], datetime]:
    query = sa.select(ReferralEvent.referral_id, ReferralEvent.to_status, sa.func.min(ReferralEvent.at)).group_by(
        ReferralEvent.referral_id, ReferralEvent.to_status
    )
    if referral_ids is not None:
        query = query.where(ReferralEvent.referral_id.in_(referral_ids))
    first = {}
    for referral_id, to_status, at in db.session.execute(query):
        first[(referral_id, to_status)] = datetime.fromisoformat(at) if isinstance(at, str) else at
    return first


def _days(since: datetime, *moments: datetime | None) -> int | None:
    moments = [m for m in moments if m is not None]
    return max((min(moments).date() - since.date()).days, 0) if moments else None


def _referral_rows(referral_ids: list[int] | None) -> list[dict]:
    query = sa.select(
        Referral.id,
        Referral.case_id,
        Referral.sent_at,
        Referral.status,
        Referral.decline_reason,
        Referral.outcome,
        Referral.organization_id,
        Referral.record_key,
    ).where(Referral.sent_at.is_not(None))
    if referral_ids is not None:
        query = query.where(Referral.id.in_(referral_ids))
    first = _first_events(referral_ids)
    rows = []
    for r in db.session.execute(query):
        declined = first.get((r.id, ReferralStatus.DECLINED.value))
        capacity = declined if r.decline_reason == DeclineReason.NO_CAPACITY and declined else None
        rows.append(
            {
                "referral_id": r.id,
                "case_id": r.case_id,
                "sent": month_index(r.sent_at),
                "state": _state(r.status),
                "decline_reason": _value(r.decline_reason),
                "outcome": _value(r.outcome),
                "organization_id": r.organization_id,
                "answer_days": _days(r.sent_at, first.get((r.id, "accepted")), declined),
                "completion_days": _days(r.sent_at, first.get((r.id, "completed"))),
                "capacity_declined": month_index(capacity) if capacity else None,
                "record_key": r.record_key,
            }
        )
    return rows


def referral_rows(referral_ids: list[int] | None) -> list[dict]:
    """Fresh rows for the sent referrals among these (None: every referral)."""
    if referral_ids is None:
        return _referral_rows(None)
    return [row for ids in _chunks(sorted(set(referral_ids))) for row in _referral_rows(ids)]


def refresh_referrals(referral_ids: list[int]) -> None:
    for ids in _chunks(sorted(set(referral_ids))):
        db.session.execute(sa.delete(TrendReferral).where(TrendReferral.referral_id.in_(ids)))
        rows = _referral_rows(ids)
        if rows:
            db.session.execute(sa.insert(TrendReferral), rows)


# ---- everything -----------------------------------------------------------------------------


def _insert(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(model), rows[start : start + 5000])


def rebuild() -> tuple[int, int]:
    """Derive every row again (in the caller's transaction); returns (cases, referrals)."""
    db.session.flush()
    cases, referrals = case_rows(None), referral_rows(None)
    domains = domain_rows(cases)
    db.session.execute(sa.delete(TrendReferral))
    db.session.execute(sa.delete(TrendCaseDomain))
    db.session.execute(sa.delete(TrendCase))
    _insert(TrendCase, cases)
    _insert(TrendCaseDomain, domains)
    _insert(TrendReferral, referrals)
    return len(cases), len(referrals)


def ensure_built() -> None:
    """Derive every row once when there are cases but no rows yet (the first report after the
    upgrade that introduced them); commits. Two cheap lookups otherwise."""
    if db.session.scalar(sa.select(TrendCase.case_id).limit(1)) is not None:
        return
    if db.session.scalar(sa.select(Case.id).limit(1)) is None:
        return
    rebuild()
    db.session.commit()


def differences() -> list[str]:
    """Where the stored rows differ from a fresh derivation (empty when none do)."""
    found = []
    cases = case_rows(None)  # derived once: the case rows and their domain rows
    domain_columns = (
        TrendCaseDomain.case_id,
        TrendCaseDomain.domain_id,
        TrendCaseDomain.opened,
        TrendCaseDomain.record_key,
    )
    stored_domains = {tuple(row) for row in db.session.execute(sa.select(*domain_columns))}
    fresh_domains = {(r["case_id"], r["domain_id"], r["opened"], r["record_key"]) for r in domain_rows(cases)}
    for row in sorted(stored_domains ^ fresh_domains):
        found.append(f"trend_case_domain {row}: stored {row in stored_domains}")
    for model, fresh, key in (
        (TrendCase, cases, "case_id"),
        (TrendReferral, referral_rows(None), "referral_id"),
    ):
        columns = [c.name for c in model.__table__.columns]
        stored = {row[key]: dict(row) for row in db.session.execute(sa.select(*model.__table__.columns)).mappings()}
        wanted = {row[key]: row for row in fresh}
        for unit_id in sorted(stored.keys() | wanted.keys()):
            a, b = stored.get(unit_id), wanted.get(unit_id)
            if a is None or b is None or any(a[c] != b[c] for c in columns):
                found.append(f"{model.__tablename__} {unit_id}: stored {a}, derived {b}")
    return found


# ---- listening --------------------------------------------------------------------------------


def _on_cases(_sender, case_ids: list[int]) -> None:
    refresh_cases(case_ids)


def _on_referrals(_sender, referral_ids: list[int]) -> None:
    refresh_referrals(referral_ids)


def _on_bulk(_sender, **_kwargs) -> None:
    rebuild()


def _on_restore(app, **_kwargs) -> None:
    with app.app_context():
        db.session.remove()  # a session of before the restore may hold the replaced database
        rebuild()
        db.session.commit()


def connect(app: Flask) -> None:
    """Follow the case services' announcements (and a restored backup)."""
    events.cases_changed.connect(_on_cases, sender=app, weak=False)
    events.referrals_changed.connect(_on_referrals, sender=app, weak=False)
    events.data_replaced.connect(_on_bulk, sender=app, weak=False)
    signals.data_restored.connect(_on_restore, sender=app, weak=False)
