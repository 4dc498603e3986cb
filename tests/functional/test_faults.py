"""Faults in catalog commands: a reindex or an HSDS import killed with SIGKILL halfway leaves
the old index or the old catalog serving, and running the command again completes it.
Case data (key rotation, retention): test_faults_case_data.py; the serving app (a deleted
index, a full disk): test_faults_serving.py."""

from pathlib import Path

import pytest

from bench.hsds_import import generate
from catalog.search import engine as search
from catalog.search import index as search_index
from tests.fault_helpers import kill_at, run_cli
from tests.gdpr_helpers import row_counts
from welfare.extensions import db


def test_a_reindex_killed_halfway_leaves_the_old_index_serving(app, demo):
    with app.app_context():
        old = search_index.current_dir()

    kill_at(app, "index.rebuild", 20, "catalog", "reindex")  # 20 documents into the new folder

    with app.app_context():
        assert search_index.current_dir() == old
        result = search.run("Pisarna")
        assert not result.fallback and result.total > 0  # the old index, complete, still answers
    done = run_cli(app, "catalog", "reindex")
    assert done.returncode == 0, done.stderr[-2000:]
    check = run_cli(app, "catalog", "check-index")
    assert check.returncode == 0, check.stdout[-2000:] + check.stderr[-2000:]


CATALOG = ("organization", "service", "location", "address", "service_at_location", "schedule", "attribute")


def _counts(app) -> dict[str, int]:
    with app.app_context():
        counts = row_counts()
        db.session.remove()
        return counts


@pytest.fixture
def package(tmp_path_factory) -> Path:
    """A generated HSDS 3.0 package: 60 organizations, 300 services, 1,200 category links."""
    folder = tmp_path_factory.mktemp("package")
    generate(folder, services=300, links=1200)
    return folder


def _import(package: Path) -> tuple[str, ...]:
    return ("catalog", "import-hsds", str(package), "--source", "bench")


def _catalog(counts: dict[str, int]) -> dict[str, int]:
    return {table: counts[table] for table in CATALOG}


def test_an_import_killed_halfway_leaves_the_old_catalog_and_a_rerun_completes(app, demo, package):
    before = _counts(app)

    # Killed after the third table's rows were written, inside the import's one transaction.
    kill_at(app, "hsds.write", 3, *_import(package))

    assert _counts(app) == before  # the old catalog, every table, not a row more
    with app.app_context():
        assert not search.run("Pisarna").fallback
    done = run_cli(app, *_import(package))
    assert done.returncode == 0, done.stderr[-2000:]
    after = _counts(app)
    assert after["service"] == before["service"] + 300
    assert after["organization"] == before["organization"] + 60
    assert after["attribute"] == before["attribute"] + 1200
    check = run_cli(app, "catalog", "check-index")
    assert check.returncode == 0, check.stdout + check.stderr[-2000:]


def test_an_import_killed_while_the_index_follows_it_keeps_the_old_index_until_catch_up(app, demo, package):
    before = _counts(app)
    # Killed after the import's commit, while the index was being rebuilt for it (20 documents in).
    kill_at(app, "index.rebuild", 20, *_import(package))

    with app.app_context():
        assert not search.run("Pisarna").fallback  # the old index, whole, keeps answering
    after = _counts(app)
    assert after["service"] == before["service"] + 300  # the new catalog, committed whole
    behind = run_cli(app, "catalog", "check-index")
    assert behind.returncode == 1 and "300 missing" in behind.stderr, behind.stdout + behind.stderr[-2000:]
    caught_up = run_cli(app, "catalog", "catch-up")  # what a node's start (and any search) runs
    assert caught_up.returncode == 0 and "rebuilt" in caught_up.stdout, caught_up.stderr[-2000:]
    check = run_cli(app, "catalog", "check-index")
    assert check.returncode == 0, check.stdout + check.stderr[-2000:]
    assert _catalog(_counts(app)) == _catalog(after)  # the catalog was complete all along
