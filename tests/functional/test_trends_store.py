"""The monthly fact table behind the trend reports: after any write, retention, erasure or bulk
statement, the next report shows exactly what a full recomputation from the case tables shows.

Each test compares three ways: every stored figure with `store.compute` over all months, the
open-case snapshots at every month end with the live queries, and every report section for
a quarter, a year and a custom range with the fact table switched off (TREND_FACT_TABLE)."""

import threading
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from cases.models import Case, Challenge, Gender, Person
from cases.needs.models import NeedKind, UnmetNeed
from cases.privacy.erasure import erase_person
from cases.referrals.models import DeclineReason, Referral, ReferralEvent, ReferralStatus
from cases.trends import facts, reports, store, stored
from cases.trends.changes import EVERY_MONTH
from cases.trends.models import TrendChange, TrendFact
from cases.trends.periods import Period, month_index
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import term_id
from tests.factories import make_org, make_service
from tests.trends_factories import add_cases, add_contacts, add_referral
from welfare.extensions import db
from welfare.models import Role, User

PERIODS = [Period("quarter", month_index(date(2025, 1, 1)), 3), Period("year", month_index(date(2025, 1, 1)), 12)]
PERIODS.append(Period("custom", month_index(date(2023, 1, 1)), 36))
MONTH_ENDS = [date(2024 + m // 12, m % 12 + 1, 1) for m in range(1, 30)]  # the day after each month end


def _user(username: str, role: Role) -> User:
    user = User(username=username, full_name=username, role=role, password_hash="x")
    db.session.add(user)
    return user


def _refer(case, service, status, events, sent_at, **fields) -> Referral:
    return add_referral(case, service, status, events, sent_at, **fields)


@pytest.fixture
def register(app):
    """Cases over 2024 and 2025 with every fact the reports read, and a built fact table."""
    app.config["TREND_MIN_CELL"] = 3
    with app.app_context():
        lawyer, worker = _user("pravnica", Role.LAWYER), _user("delavka", Role.SOCIAL_WORKER)
        service = make_service(make_org("Društvo Alfa"), name="Svetovanje Alfa")
        add_cases(7, date(2024, 11, 5), assignees=[lawyer], plan_on=date(2024, 11, 20))
        add_cases(4, date(2024, 12, 1), domain="stanovanje", gender=Gender.MALE, assignees=[lawyer, worker])
        add_cases(5, date(2025, 1, 10), closed_on=date(2025, 3, 3), outcome=None, birth_year=2010)
        add_cases(6, date(2025, 2, 14), municipality="Straža", settlement="Vavta vas", plan_on=date(2025, 2, 20))
        closed = add_cases(3, date(2024, 6, 2), closed_on=date(2025, 2, 10), assignees=[worker])
        sent = add_cases(5, date(2025, 1, 20))
        for case in sent:
            _refer(
                case, service, ReferralStatus.ACCEPTED, [("accepted", datetime(2025, 2, 1, 9))], datetime(2025, 1, 22)
            )
        for case in closed:
            _refer(
                case,
                service,
                ReferralStatus.DECLINED,
                [("declined", datetime(2025, 1, 30, 8))],
                datetime(2025, 1, 25),
                decline_reason=DeclineReason.NO_CAPACITY,
            )
            db.session.add(
                UnmetNeed(
                    case_id=case.id,
                    domain_id=term_id(TAXONOMY_DOMAINS, "dolgovi"),
                    kind=NeedKind.WAITING_LIST,
                    recorded_on=datetime(2025, 1, 30, 8),
                )
            )
        add_contacts(4, date(2025, 2, 3))
        db.session.commit()
        stored.cases_opened(facts.Span.of(date(2025, 1, 1), date(2025, 2, 1)))  # builds the table
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendChange)) == 0
    return app


def _sections(app, use_store: bool) -> list:
    app.config["TREND_FACT_TABLE"] = use_store
    try:
        return [section.build(period) for period in PERIODS for section in reports.SECTIONS.values()]
    finally:
        app.config["TREND_FACT_TABLE"] = True


def assert_matches_full_recomputation(app) -> None:
    with app.app_context():
        tables = _sections(app, use_store=True)  # reading refreshes the changed months first
        everything = store.compute(store.EVERYTHING)
        for figure, cube in everything.items():
            expected = {key: {m: n for m, n in months.items() if n} for key, months in cube.items()}
            assert store.read(figure) == {key: months for key, months in expected.items() if months}, figure
        for day in MONTH_ENDS:
            end = date.fromordinal(day.toordinal() - 1)
            assert stored.open_at(end) == facts.open_at(end), end
            assert stored.caseload_by_role(end) == facts.caseload_by_role(end), end
        assert tables == _sections(app, use_store=False)


def _pending_months() -> set:
    return set(db.session.scalars(sa.select(TrendChange.month)))


def test_the_built_table_equals_a_full_recomputation(register):
    assert_matches_full_recomputation(register)
    with register.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendFact)) > 50


def _first(model, *where):
    return db.session.scalars(sa.select(model).where(*where).order_by(model.id)).first()


def _close_a_case():
    case = _first(Case, Case.opened_on == date(2024, 11, 5))
    case.closed_on, case.status = date(2025, 3, 20), "closed"


def _move_a_challenge():
    _first(Challenge).domain_id = term_id(TAXONOMY_DOMAINS, "zdravje")


def _decline_a_referral():
    referral = _first(Referral, Referral.status == ReferralStatus.ACCEPTED)
    referral.status, referral.decline_reason = ReferralStatus.DECLINED, DeclineReason.NO_CAPACITY
    db.session.add(ReferralEvent(referral_id=referral.id, at=datetime(2025, 3, 2, 9), to_status="declined"))


def _record_an_unmet_need():
    case = _first(Case)
    db.session.add(
        UnmetNeed(
            case_id=case.id,
            domain_id=case.challenges[0].domain_id,
            kind=NeedKind.NO_SERVICE,
            recorded_on=datetime(2025, 3, 1),
        )
    )


def _move_a_contact():
    from cases.models import AnonymousContact

    _first(AnonymousContact).occurred_on = date(2024, 12, 24)


def _reassign():
    case = _first(Case, Case.opened_on == date(2024, 12, 1))
    case.assignees = []


def _edit_a_person():
    person = _first(Person)
    person.gender, person.municipality = Gender.MALE, "Šentjernej"


def _open_new_cases():
    add_cases(3, date(2025, 3, 4), domain="zdravje")


@pytest.mark.parametrize(
    "change",
    [
        _close_a_case,
        _move_a_challenge,
        _decline_a_referral,
        _record_an_unmet_need,
        _move_a_contact,
        _reassign,
        _edit_a_person,
        _open_new_cases,
    ],
)
def test_a_change_after_the_build_shows_in_the_next_report(register, change):
    with register.app_context():
        before = _sections(register, use_store=True)
        change()
        db.session.commit()
        assert _pending_months(), "the write noted no month"
    assert_matches_full_recomputation(register)
    with register.app_context():
        assert _sections(register, use_store=True) != before  # the change is visible
        assert not _pending_months()


def test_a_note_touches_no_month_and_a_rollback_leaves_no_change(register):
    with register.app_context():
        case = _first(Case)
        case.outcome_note = "Zaupna opomba."
        case.challenges[0].description = "Drugo besedilo."
        db.session.commit()
        assert _pending_months() == set()
        case.opened_on = date(2025, 3, 1)
        db.session.flush()
        db.session.rollback()
        assert _pending_months() == set()


def test_retention_and_erasure_leave_the_report_consistent(register):
    register.config["CASE_RETENTION_YEARS"] = 0  # everything closed before today is due
    result = register.test_cli_runner().invoke(args=["cases", "retention", "--apply"])
    assert result.exit_code == 0, result.output
    assert_matches_full_recomputation(register)
    with register.app_context():
        admin = _user("skrbnik", Role.ADMIN)
        db.session.commit()
        person = db.session.get(Person, _first(Referral, Referral.decline_reason.is_not(None)).case.person_id)
        erase_person(person, "objection", str(person.id), admin)
        assert _pending_months() >= {month_index(date(2024, 6, 1)), month_index(date(2025, 1, 1))}
    assert_matches_full_recomputation(register)


def test_a_bulk_delete_marks_the_months_of_the_rows_it_removes(register):
    with register.app_context():
        db.session.execute(sa.delete(UnmetNeed).where(UnmetNeed.recorded_on >= datetime(2025, 1, 1)))
        db.session.commit()
        assert _pending_months() == {month_index(date(2025, 1, 1))}
        db.session.execute(sa.update(Challenge).values(urgency="low"))
        db.session.commit()
        assert EVERY_MONTH in _pending_months()  # new values unknown: everything is rebuilt
    assert_matches_full_recomputation(register)


def test_two_concurrent_refreshers_do_not_double_count(register):
    with register.app_context():
        _open_new_cases()
        _close_a_case()
        db.session.commit()
    barrier, errors, results = threading.Barrier(2), [], []

    def refresher():
        try:
            with register.app_context():
                barrier.wait()
                results.append(store.refresh())
                db.session.remove()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=refresher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(results) == [0, 1]  # one recomputed March 2025, the other found nothing left
    assert_matches_full_recomputation(register)


def test_refresh_command_rebuilds_and_reports_what_it_did(register):
    runner = register.test_cli_runner()
    assert "Recomputed 0 changed month(s)" in runner.invoke(args=["trends", "refresh"]).output
    result = runner.invoke(args=["trends", "refresh", "--full"])
    assert result.exit_code == 0 and "Rebuilt every month" in result.output
    assert_matches_full_recomputation(register)
