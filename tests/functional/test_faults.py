"""Faults in catalog commands: a reindex or an HSDS import killed with SIGKILL halfway leaves
the old index or the old catalog serving, and running the command again completes it.
Case data (key rotation, retention): test_faults_case_data.py; the serving app (a deleted
index, a full disk): test_faults_serving.py."""

import os
import signal
import subprocess
import sys
import time

import pytest

from bench.hsds_import import generate
from catalog.search import engine as search
from catalog.search import index as search_index
from tests.fault_helpers import kill_at, run_cli
from tests.gdpr_helpers import row_counts
from welfare.extensions import db


def test_a_reindex_killed_halfway_leaves_the_old_index_serving(app, demo):
    with app.app_context():
        root = search_index.root()
        before = {p.name for p in root.iterdir()}
    env = {
        **os.environ,
        "WELFARE_DATA_DIR": app.config["DATA_DIR"],
        "WELFARE_SECRET_KEY": app.config["SECRET_KEY"],
        "WELFARE_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
    }
    command = [sys.executable, "-m", "flask", "--app", "welfare", "catalog", "reindex"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if {p.name for p in root.iterdir()} - before:  # the new index is being written
            break
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.skip("the reindex finished before it could be killed")
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    with app.app_context():
        result = search.run("Pisarna")
        assert not result.fallback and result.total > 0  # the old index, complete, still answers
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    check = subprocess.run([*command[:-1], "check-index"], env=env, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]


def _counts(app) -> dict[str, int]:
    with app.app_context():
        counts = row_counts()
        db.session.remove()
        return counts


def test_an_import_killed_halfway_leaves_the_old_catalog_and_a_rerun_completes(app, demo, tmp_path_factory):
    package = tmp_path_factory.mktemp("package")
    generate(package, services=300, links=1200)
    before = _counts(app)
    args = ("catalog", "import-hsds", str(package), "--source", "bench")

    # Killed after the third table's rows were written, inside the import's one transaction.
    kill_at(app, "hsds.write", 3, *args)

    assert _counts(app) == before  # the old catalog, every table, not a row more
    with app.app_context():
        assert not search.run("Pisarna").fallback
    done = run_cli(app, *args)
    assert done.returncode == 0, done.stderr[-2000:]
    after = _counts(app)
    assert after["service"] == before["service"] + 300
    assert after["organization"] == before["organization"] + 60
    assert after["attribute"] == before["attribute"] + 1200
    again = run_cli(app, *args)  # the same package once more: nothing left to do
    assert again.returncode == 0 and "0 new, 0 updated" in again.stdout, again.stdout + again.stderr[-2000:]
    check = run_cli(app, "catalog", "check-index")
    assert check.returncode == 0, check.stdout + check.stderr[-2000:]
