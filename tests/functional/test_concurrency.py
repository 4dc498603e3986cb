"""Concurrent edits of one case, its timeline, one plan step and one referral by several
processes, each logged in as its own user, through a real server: no 5xx, no lost update, every
refused edit told why (tests/proof_concurrency.py holds the proof; bench/concurrency.py runs
the full 8 x 50)."""

from tests import proof_concurrency
from tests.conftest import TEST_DATABASE_URL, test_config
from tests.proof_helpers import live_server

PROCESSES, ROUNDS = 4, 4


def test_concurrent_edits_lose_nothing_and_never_fail(app):
    ids = proof_concurrency.seed(app, PROCESSES)
    config = test_config(
        app.config["DATA_DIR"],
        TESTING=False,
        SECRET_KEY=app.config["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL or app.config["SQLALCHEMY_DATABASE_URI"],
        DEVELOPMENT=True,  # plain HTTP, so the session cookie may travel without TLS
    )
    with live_server(config) as base_url:
        results = proof_concurrency.run(base_url, PROCESSES, ROUNDS, ids)
    summary = proof_concurrency.check(app, ids, results)
    assert len(results) == PROCESSES * ROUNDS * len(proof_concurrency.KINDS)
    # Edits of one record at once must have collided at least once, or the test proved nothing.
    assert summary["case"]["refused"] + summary["step"]["refused"] > 0, summary
    assert summary["referral_status"] == "completed"


def test_a_referral_changed_between_check_and_save_is_a_conflict_not_a_500(app):
    """The race the server test found on PostgreSQL, made certain: the version check passes on
    the row as loaded, another request commits before the first flush, and that flush (an
    autoflush inside the service) matches no row."""
    import pytest
    import sqlalchemy as sa
    from sqlalchemy.orm.attributes import set_committed_value

    from cases.referrals import services
    from cases.referrals.models import Referral
    from welfare.errors import Conflict
    from welfare.extensions import db
    from welfare.models import User

    ids = proof_concurrency.seed(app, 1)
    with app.test_request_context(), app.app_context():
        loaded_version = db.session.get(Referral, ids["referral_id"]).version_id
        db.session.rollback()
        with db.engine.begin() as other:  # the other request's committed save
            other.execute(
                sa.text("UPDATE referral SET version_id = version_id + 1 WHERE id = :i"), {"i": ids["referral_id"]}
            )
        referral = db.session.get(Referral, ids["referral_id"])
        # The row as this request loaded it, before the other commit.
        set_committed_value(referral, "version_id", loaded_version)
        user = db.session.scalar(sa.select(User).where(User.username == "hammer-0"))
        with pytest.raises(Conflict):
            services.change_status(referral, "accepted", user, loaded_version, note="late")
        assert db.session.get(Referral, ids["referral_id"]).status.value == "sent"


def test_touching_the_session_on_a_get_survives_a_commit_by_another_request(app, monkeypatch):
    """Found by bench/concurrency.py: a GET that touched its session inside its read transaction
    answered 500 ("database is locked") on SQLite whenever another request had committed since
    that transaction began."""
    from datetime import timedelta

    import sqlalchemy as sa

    from tests.conftest import create_user, login
    from welfare.auth import services
    from welfare.database import utcnow
    from welfare.extensions import db
    from welfare.models import Role, User, UserSession

    create_user(app, Role.LAWYER, "pravnik")
    client = app.test_client()
    assert login(client, "pravnik").status_code == 302
    with app.app_context():
        db.session.execute(sa.update(UserSession).values(last_seen_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    other = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    expiry_reason = services.session_expiry_reason

    def another_request_commits(user_session):
        with other.begin() as conn:
            conn.execute(sa.update(User).values(full_name="Ana Pravnik"))
        return expiry_reason(user_session)

    monkeypatch.setattr(services, "session_expiry_reason", another_request_commits)
    try:
        assert client.get("/cases/").status_code == 200
    finally:
        other.dispose()
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.last_seen_at)) > utcnow() - timedelta(minutes=1)


def test_two_logins_of_one_user_at_once_both_succeed(app):
    """Found by bench/load (PostgreSQL): the second of two simultaneous logins of one user
    updated the versioned user row from a stale version and answered 500."""
    import sqlalchemy as sa
    from sqlalchemy.orm.attributes import set_committed_value

    from tests.conftest import create_user
    from welfare.auth import services
    from welfare.extensions import db
    from welfare.models import Role, User

    user_id = create_user(app, Role.LAWYER, "pravnik")
    with app.test_request_context(), app.app_context():
        loaded_version = db.session.get(User, user_id).version_id
        db.session.rollback()
        with db.engine.begin() as other:  # the other login's committed update
            other.execute(sa.text('UPDATE "user" SET version_id = version_id + 1 WHERE id = :i'), {"i": user_id})
        user = db.session.get(User, user_id)
        set_committed_value(user, "version_id", loaded_version)  # as loaded before that commit
        services.start_session(user, "correct horse battery")
        assert db.session.get(User, user_id).last_login_at is not None
