"""Faults: the search index survives a reindex killed with SIGKILL halfway (the old index keeps
serving; running the command again restores a complete one). A deleted index is covered by
test_search.py::test_missing_index_falls_back."""

import os
import signal
import subprocess
import sys
import time

import pytest

from catalog.search import engine as search
from catalog.search import index as search_index


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
