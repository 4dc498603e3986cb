"""Concurrent edits of one case, its timeline, one plan step and one referral by several
processes, each logged in as its own user, through a real server: no 5xx, no lost update, every
refused edit told why (tests/proof_concurrency.py holds the proof; bench/concurrency.py runs
the full 8 x 50)."""

from tests import proof_concurrency
from tests.conftest import TEST_DATABASE_URL
from tests.proof_helpers import live_server

PROCESSES, ROUNDS = 4, 4


def test_concurrent_edits_lose_nothing_and_never_fail(app):
    ids = proof_concurrency.seed(app, PROCESSES)
    config = {
        "DATA_DIR": app.config["DATA_DIR"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or app.config["SQLALCHEMY_DATABASE_URI"],
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "DEVELOPMENT": True,  # plain HTTP, so the session cookie may travel without TLS
        "BABEL_DEFAULT_LOCALE": "en",
    }
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
