"""Encryption at rest of case free text: ciphertext in the database, tampering detected,
`flask keys rotate` re-encrypts everything and resumes after an interruption."""

import os
import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from cases.drafts import Draft
from cases.models import Challenge, TimelineEntry
from tests.conftest import create_user
from tests.intake_factories import make_case
from welfare import crypto
from welfare.extensions import db
from welfare.keys import reencrypt, values_by_key
from welfare.models import Role

SECRET = "Nasilje v družini, zdravljenje odvisnosti."


def _case(app, description=SECRET) -> str:
    user_id = create_user(app, Role.SOCIAL_WORKER, "mojca")
    with app.app_context():
        case = make_case(number="2026-0077")
        case.challenges[0].description = description
        db.session.add(TimelineEntry(case=case, text="Obisk na domu: čšž."))
        db.session.add(Draft(user_id=user_id, form_key="/cases/2026-0077/edit", data='{"note": ["osnutek"]}'))
        db.session.commit()
        db.session.remove()
    return "2026-0077"


def _stored(app, sql: str) -> str:
    with app.app_context():
        value = db.session.scalar(sa.text(sql))
        db.session.remove()
        return value


def test_free_text_is_ciphertext_in_the_database_and_plain_in_the_app(app):
    _case(app)

    stored = _stored(app, "SELECT description FROM case_challenge")
    assert stored.startswith("enc1:") and "Nasilje" not in stored
    assert _stored(app, "SELECT text FROM case_timeline_entry").startswith("enc1:")
    assert _stored(app, "SELECT data FROM case_draft").startswith("enc1:")
    with app.app_context():
        assert db.session.scalar(sa.select(Challenge.description)) == SECRET
        assert db.session.scalar(sa.select(TimelineEntry.text)) == "Obisk na domu: čšž."
    key_file = Path(app.config["DATA_DIR"]) / "encryption.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def _tamper(app, sql: str) -> None:
    with app.app_context():
        db.session.execute(sa.text(sql))
        db.session.commit()
        db.session.remove()


def test_a_changed_byte_is_detected_and_the_page_says_so(app, login_as):
    number = _case(app)
    stored = _stored(app, "SELECT description FROM case_challenge")
    flipped = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    _tamper(app, f"UPDATE case_challenge SET description = '{flipped}'")

    with app.app_context(), pytest.raises(crypto.TamperedValue):
        db.session.scalar(sa.select(Challenge.description))
    page = login_as(Role.SOCIAL_WORKER).get(f"/cases/{number}")

    html = page.get_data(as_text=True)
    assert page.status_code == 500
    assert "Stored data failed its integrity check" in html
    assert flipped not in html


def test_a_value_moved_from_another_column_is_detected(app):
    _case(app)
    _tamper(app, "UPDATE case_challenge SET description = (SELECT text FROM case_timeline_entry)")

    with app.app_context(), pytest.raises(crypto.TamperedValue):
        db.session.scalar(sa.select(Challenge.description))


def test_rotate_moves_every_value_to_a_new_key_and_encrypts_old_plain_text(app, runner):
    _case(app)
    _tamper(app, "UPDATE case_timeline_entry SET text = 'Zapis iz časa pred šifriranjem.'")  # a legacy row
    with app.app_context():
        first = crypto.keyring().current_id

    result = runner.invoke(args=["keys", "rotate"])

    assert result.exit_code == 0, result.output
    with app.app_context():
        ring = crypto.keyring()
        assert list(ring.keys)[0] == first and ring.current_id != first
        assert set(values_by_key()) == {ring.current_id}
        assert db.session.scalar(sa.select(Challenge.description)) == SECRET
        assert db.session.scalar(sa.select(TimelineEntry.text)) == "Zapis iz časa pred šifriranjem."
        db.session.remove()
    assert _stored(app, "SELECT text FROM case_timeline_entry").startswith(f"enc1:{ring.current_id}:")
    status = runner.invoke(args=["keys", "status"]).output
    assert f"current key {ring.current_id}" in status


def test_an_interrupted_rotation_continues_without_adding_another_key(app, runner):
    _case(app)
    with app.app_context():
        for n in range(4):
            make_case(number=f"2026-010{n}")
        db.session.commit()
        db.session.remove()
        original = crypto.keyring().current_id

    def killed(_rows):
        raise KeyboardInterrupt  # the operator's Ctrl+C (or a kill) after the first batch

    with app.app_context():
        from welfare.keys import add_key_to_file

        add_key_to_file()
        with pytest.raises(KeyboardInterrupt):
            reencrypt(batch=2, progress=killed)
        db.session.rollback()
        counts = values_by_key()
        db.session.remove()
    assert counts[original] > 0 and len(counts) == 2  # half done: some under each key

    result = runner.invoke(args=["keys", "rotate", "--batch", "2"])

    assert result.exit_code == 0, result.output
    assert "Continuing" in result.output
    with app.app_context():
        ring = crypto.keyring()
        assert len(ring.keys) == 2
        assert set(values_by_key()) == {ring.current_id}
        assert len(db.session.scalars(sa.select(Challenge.description)).all()) == 5


def test_a_keyring_from_the_environment_is_used_and_never_written(app, runner, tmp_path):
    from tests.conftest import close_database, make_app

    entry = crypto.new_key_entry()
    fresh = make_app(tmp_path / "env-keyed", ENCRYPTION_KEY=entry)
    assert not (tmp_path / "env-keyed" / "encryption.key").exists()
    close_database(fresh)
    app.config["ENCRYPTION_KEY"] = entry
    _case(app)
    assert _stored(app, "SELECT description FROM case_challenge").startswith(f"enc1:{entry.split(':')[0]}:")

    result = runner.invoke(args=["keys", "rotate"])

    assert result.exit_code == 1
    assert "WELFARE_ENCRYPTION_KEY" in result.output and "Append this entry" in result.output


def test_a_value_under_a_key_the_keyring_lacks_is_reported(app):
    _case(app)
    other = crypto.parse_keyring(crypto.new_key_entry(), "test")
    foreign = crypto.encrypt(SECRET, "case_challenge.description", other)
    _tamper(app, f"UPDATE case_challenge SET description = '{foreign}'")

    with app.app_context(), pytest.raises(crypto.TamperedValue, match="not in the keyring"):
        db.session.scalar(sa.select(Challenge.description))


def test_a_malformed_keyring_is_refused_with_a_clear_message():
    with pytest.raises(crypto.KeyringError, match="<id>:<base64 of 32 bytes>"):
        crypto.parse_keyring("k1:c2hvcnQ=", "WELFARE_ENCRYPTION_KEY")
