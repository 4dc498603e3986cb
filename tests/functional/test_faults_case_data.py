"""Faults in the commands that rewrite case data: `flask keys rotate` and `flask cases retention
--apply` killed with SIGKILL at fixed points (welfare/faults.py) lose nothing and leave nothing
half-done, and running the command again finishes the work."""

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from cases.models import Case, TimelineEntry
from cases.privacy.models import CaseAnonymization
from tests.conftest import create_user
from tests.fault_helpers import kill_at, run_cli
from tests.gdpr_helpers import outbox_files, rich_case
from tests.intake_factories import make_case
from welfare import crypto
from welfare.extensions import db
from welfare.models import Role

# ---- key rotation -------------------------------------------------------------------------------


def _encrypted_values(app) -> dict[tuple[str, str, int], str]:
    """Every stored encrypted value by (table, column, id), as raw text."""
    with app.app_context():
        found = {}
        for table, column in crypto.encrypted_columns(db.metadata):
            [pk] = table.primary_key.columns
            rows = db.session.execute(sa.select(pk, sa.type_coerce(column, sa.Text)).where(column.is_not(None))).all()
            found |= {(table.name, column.name, row_id): stored for row_id, stored in rows}
        db.session.remove()
        return found


def _readable(app, stored: dict) -> tuple[dict, dict]:
    """(plain text of each value, how many values each key protects), reading the key file as it
    is on disk now: a value under a key the file lacks fails here."""
    ring = crypto.parse_keyring(crypto.key_file(app).read_text(), "test")
    plain, per_key = {}, {}
    for (table, column, row_id), value in stored.items():
        purpose = next(
            c.type.purpose for t, c in crypto.encrypted_columns(db.metadata) if (t.name, c.name) == (table, column)
        )
        plain[(table, column, row_id)] = crypto.decrypt(value, purpose, row_id, ring)
        key_id = crypto.key_id_of(value)
        per_key[key_id] = per_key.get(key_id, 0) + 1
    return plain, per_key


@pytest.fixture
def protected(app):
    """Ten cases with a challenge description and a timeline note each: twenty encrypted values."""
    create_user(app, Role.SOCIAL_WORKER, "mojca")
    with app.app_context():
        for n in range(10):
            case = make_case(number=f"2026-02{n:02d}")
            case.challenges[0].description = f"Nasilje v družini {n}: čšž."
            db.session.add(TimelineEntry(case=case, text=f"Obisk na domu {n}."))
        db.session.commit()
        db.session.remove()
    return _readable(app, _encrypted_values(app))[0]


@pytest.mark.parametrize(
    "point, n",
    [
        ("keys.partial", 1),  # the new key file written beside the old one, not switched yet
        ("keys.saved", 1),  # the new key saved, nothing re-encrypted yet
        ("keys.batch", 3),  # three batches of two values re-encrypted and committed
    ],
)
def test_a_rotation_killed_midway_keeps_every_value_readable_and_a_rerun_finishes(app, protected, point, n):
    key_file = crypto.key_file(app)
    old_keys = key_file.read_text()

    kill_at(app, point, n, "keys", "rotate", "--batch", "2")

    # Everything still reads with the key file as it is on disk: no value is under an unsaved key.
    plain, per_key = _readable(app, _encrypted_values(app))
    assert plain == protected
    if point == "keys.partial":
        assert key_file.read_text() == old_keys  # the old file, whole
    else:
        assert key_file.read_text().startswith(old_keys) and len(key_file.read_text().split()) == 2
    if point == "keys.batch":
        assert len(per_key) == 2 and min(per_key.values()) >= 6  # half done: values under each key

    done = run_cli(app, "keys", "rotate", "--batch", "2")

    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert ("Continuing" in done.stdout) == (point != "keys.partial")
    keys = key_file.read_text().split()
    assert len(keys) == 2 and keys[0] == old_keys.strip()  # one new key, however often it was run
    plain, per_key = _readable(app, _encrypted_values(app))
    assert plain == protected and list(per_key) == [keys[1].split(":")[0]]
    assert not Path(f"{key_file}.partial").exists()


# ---- retention ----------------------------------------------------------------------------------

CLOSED = date(2015, 1, 20)
TREND_PERIOD = {"section": "all", "period": "custom", "start": "2014-01", "end": "2015-12"}


def _case_texts(app) -> dict[str, tuple]:
    """Per case number: its challenge descriptions, timeline texts and outcome note, and the
    person's name; anonymized or not."""
    with app.app_context():
        found = {}
        for case in db.session.scalars(sa.select(Case).order_by(Case.number)):
            texts = [case.outcome_note, *(c.description for c in case.challenges), *(t.text for t in case.timeline)]
            found[case.number] = (tuple(texts), case.person.first_name, case.person.last_name)
        done = set(
            db.session.scalars(sa.select(Case.number).join(CaseAnonymization, CaseAnonymization.case_id == Case.id))
        )
        db.session.remove()
        return found, done


@pytest.fixture
def register(app):
    """Five cases closed in 2015 (due for anonymization) and one closed in 2024 (kept), each with
    a row in every table under it and an e-mail copy in the outbox."""
    with app.app_context():
        due = [
            rich_case(
                f"OLD{i}", first_name="Stara", last_name=f"Oseba{i}", opened_on=date(2014, 3, 10), closed_on=CLOSED
            )[1].number
            for i in range(5)
        ]
        _, recent, _ = rich_case(
            "ROK", first_name="Rok", last_name="Kos", opened_on=date(2023, 1, 1), closed_on=date(2024, 6, 1)
        )
        db.session.commit()
        register = {"due": due, "recent": recent.number}
        db.session.remove()
    return register


def test_a_retention_run_killed_midway_leaves_each_case_whole_and_a_rerun_finishes(app, register, login_as):
    supervisor = login_as(Role.SUPERVISOR)
    trends = supervisor.get("/trends/export.csv", query_string=TREND_PERIOD).get_data()
    before, _ = _case_texts(app)

    # Killed inside the third case's transaction: two cases done, the third untouched.
    kill_at(app, "retention.case", 3, "cases", "retention", "--apply")

    texts, done = _case_texts(app)
    assert len(done) == 2
    for number in register["due"]:
        if number in done:
            blank = texts[number]
            assert set(blank[0]) <= {""} and blank[1:] == ("—", ""), number
        else:
            assert texts[number] == before[number], number  # untouched, not half-blanked
    finished = run_cli(app, "cases", "retention", "--apply")
    assert finished.returncode == 0, finished.stdout + finished.stderr[-2000:]
    assert "Anonymized 3 case(s)." in finished.stdout
    texts, done = _case_texts(app)
    assert done == set(register["due"])
    assert texts[register["recent"]] == before[register["recent"]]
    assert supervisor.get("/trends/export.csv", query_string=TREND_PERIOD).get_data() == trends


def test_the_next_retention_run_removes_the_mail_copies_a_killed_run_left(app, register):
    # Killed after the first case's commit, before its outbox copies were removed.
    kill_at(app, "retention.committed", 1, "cases", "retention", "--apply")
    with app.app_context():
        assert len(outbox_files()) == 6  # the anonymized case's copy is still there

    finished = run_cli(app, "cases", "retention", "--apply")

    assert finished.returncode == 0, finished.stdout + finished.stderr[-2000:]
    assert "Removed 1 e-mail file(s) left by an interrupted run." in finished.stdout
    assert "Anonymized 4 case(s)." in finished.stdout
    with app.app_context():
        assert len(outbox_files()) == 1  # only the recent case's e-mail copy is left
