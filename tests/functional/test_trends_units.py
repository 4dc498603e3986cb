"""The counted rows follow every change a case service makes, and nothing else can write them.

After each step of a case's life, done through the real services (the intake, plan, referral,
need, organization-link, retention and erasure code the views call), the rows the reports
count equal a fresh derivation from the case tables: a service that forgot to announce a
change would fail here, and so would a new counted fact that `units` does not derive.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from cases.intake import services as intake
from cases.intake.persons import PersonData
from cases.models import Case, CaseOutcome, Gender, LegalBasis, Person, Urgency
from cases.needs.services import record_need
from cases.plans.services import GoalData, add_goal
from cases.privacy import erasure, retention
from cases.referrals import services as referrals
from cases.trends import units
from cases.trends.models import TrendCase, TrendReferral
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import load_taxonomies, term_id
from tests.conftest import create_user
from tests.factories import make_org, make_service
from tests.intake_factories import make_consent
from welfare.clock import today
from welfare.extensions import db
from welfare.models import Role, User

DEBTS = term_id(TAXONOMY_DOMAINS, "dolgovi")
VIOLENCE = term_id(TAXONOMY_DOMAINS, "nasilje")


def _in_step(step: str) -> None:
    found = units.differences()
    assert not found, f"after {step}: {found[:3]}"


def test_every_service_that_changes_a_counted_fact_keeps_the_rows_current(app):
    worker_id = create_user(app, Role.SOCIAL_WORKER, "socialna")
    admin_id = create_user(app, Role.ADMIN, "skrbnik")
    with app.test_request_context():  # sending a referral builds its link's URL
        load_taxonomies()
        worker, admin = db.session.get(User, worker_id), db.session.get(User, admin_id)
        org = make_org("Društvo Gama", email="gama@example.org")
        service = make_service(org, name="Svetovanje Gama")
        db.session.commit()
        person = PersonData("Janez", "Novak", None, 1938, Gender.MALE, "Semič", "Sovinek")
        challenge = intake.ChallengeData(VIOLENCE, "Zaupno.", Urgency.LOW)
        case = intake.open_case(None, person, LegalBasis.SOCIAL_CARE, [worker.id], [challenge], worker)
        _in_step("opening a case")
        row = db.session.get(TrendCase, case.id)
        assert (row.age_band, row.gender, row.municipality, row.settlement) == ("65+", "male", "Semič", "Sovinek")
        intake.add_challenge(case, intake.ChallengeData(DEBTS, "Dolgovi.", Urgency.HIGH), worker)
        _in_step("adding a challenge")
        assert db.session.get(TrendCase, case.id).challenges == 2
        add_goal(case, GoalData("Varen dom"), worker)
        _in_step("the first plan goal")
        assert db.session.get(TrendCase, case.id).first_plan_days == 0
        make_consent(case, organization_id=org.id)
        db.session.commit()
        data = referrals.ReferralData(challenge_ids=[c.id for c in case.challenges], to_email="gama@example.org")
        referral = referrals.create_referral(case, service, data, worker)
        _in_step("a draft referral (not counted)")
        assert db.session.get(TrendReferral, referral.id) is None
        referrals.send_referral(referral, "gama@example.org", worker, referral.version_id)
        _in_step("sending")
        referrals.change_status(referral, "declined", worker, referral.version_id, reason="no_capacity", note="Polno.")
        _in_step("a decline for lack of capacity")
        row = db.session.get(TrendReferral, referral.id)
        assert (row.state, row.decline_reason, row.answer_days) == ("declined", "no_capacity", 0)
        assert row.capacity_declined is not None
        record_need(case, DEBTS, "no_service", "", worker)
        _in_step("an unmet need")
        intake.close_case(case, case.version_id, CaseOutcome.RESOLVED, "", today(), actor=worker, open_work="keep")
        _in_step("closing")
        assert db.session.get(TrendCase, case.id).outcome == "resolved"
        intake.reopen_case(case, case.version_id, worker)
        _in_step("reopening")
        assert db.session.get(TrendCase, case.id).closed is None
        intake.close_case(case, case.version_id, CaseOutcome.MOVED_AWAY, "", today(), actor=worker, open_work="keep")
        # Retention runs on cases closed long ago: move this one back, as years would.
        case.opened_on, case.closed_on = date(2015, 1, 5), date(2016, 2, 1)
        units.refresh_cases([case.id])
        db.session.commit()
        retention.anonymize(case.id, 5)
        _in_step("retention")
        assert db.session.get(TrendCase, case.id).settlement == "Sovinek"  # an official name stays
        person_id = case.person_id
        number = case.number
        erasure.erase_person(db.session.get(Person, person_id), "consent_withdrawn", number, admin)
        _in_step("erasure")
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendCase)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendReferral)) == 0


def test_a_failed_write_leaves_no_counted_row(app):
    worker_id = create_user(app, Role.SOCIAL_WORKER, "socialna")
    with app.app_context():
        load_taxonomies()
        worker = db.session.get(User, worker_id)
        person = PersonData("Ana", "Kos", None, 1990, Gender.FEMALE, "Novo mesto", "")
        challenge = intake.ChallengeData(DEBTS, "", Urgency.LOW)
        case = intake.open_case(None, person, LegalBasis.SOCIAL_CARE, [worker.id], [challenge], worker)
        case_id = case.id
        case.closed_on = today()  # a change announced, then rolled back
        units.refresh_cases([case_id])
        db.session.rollback()
        assert db.session.get(TrendCase, case_id).closed is None
        assert units.differences() == []


def test_rebuild_and_check_commands(app, runner):
    worker_id = create_user(app, Role.SOCIAL_WORKER, "socialna")
    with app.app_context():
        load_taxonomies()
        worker = db.session.get(User, worker_id)
        for year in (1950, 1990):
            person = PersonData("Ana", f"Kos{year}", None, year, Gender.FEMALE, "Novo mesto", "")
            challenge = intake.ChallengeData(DEBTS, "", Urgency.LOW)
            intake.open_case(None, person, LegalBasis.SOCIAL_CARE, [worker.id], [challenge], worker)
        # A write that bypasses the services (as a hand-run SQL fix would) goes unannounced.
        db.session.execute(sa.update(Case).values(opened_on=today() - timedelta(days=400)))
        db.session.commit()
    stale = runner.invoke(args=["trends", "check"])
    # Two cases, and each one's domain row as stored and as it should be (its month moved).
    assert stale.exit_code != 0 and "6 counted row(s) differ" in stale.output
    rebuilt = runner.invoke(args=["trends", "rebuild"])
    assert rebuilt.exit_code == 0 and "Derived 2 cases and 0 referrals" in rebuilt.output
    fine = runner.invoke(args=["trends", "check"])
    assert fine.exit_code == 0 and "match" in fine.output


def test_the_first_report_after_the_upgrade_derives_the_rows(app, login_as):
    with app.app_context():
        from tests.trends_factories import add_cases

        add_cases(6, date(2025, 3, 3))
        db.session.execute(sa.delete(TrendCase))  # as migration 0015 leaves the table: empty
        db.session.commit()
    response = login_as(Role.SUPERVISOR).get("/trends/", query_string={"period": "month", "start": "2025-03"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendCase)) == 6
        assert units.differences() == []
