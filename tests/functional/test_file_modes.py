"""The database with its -wal/-shm files and the search index are the service user's only."""

import stat
from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE_URL


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_search_index_files_and_folders_are_private(app):
    from catalog.search import index as search_index
    from tests.factories import make_service
    from welfare.extensions import db

    with app.app_context():
        make_service()
        db.session.commit()
        search_index.rebuild()
        make_service(name="Druga storitev")
        db.session.commit()  # an incremental write after the rebuild
        root = search_index.root()
    folders = [root, *(p for p in root.rglob("*") if p.is_dir())]
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".lock")]
    assert files and all(_mode(p) == 0o700 for p in folders)
    assert {p.name: _mode(p) for p in files if _mode(p) != 0o600} == {}


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="SQLite files only")
def test_sqlite_database_and_its_wal_files_are_private(tmp_path):
    from tests.conftest import make_app
    from welfare.extensions import db

    app = make_app(tmp_path)
    with app.app_context():
        db.create_all()
        with db.engine.connect() as conn:
            database = Path(db.engine.url.database)
            assert Path(str(database) + "-wal").exists()
            for path in (database, Path(str(database) + "-wal"), Path(str(database) + "-shm")):
                assert _mode(path) == 0o600, path
        db.engine.dispose()
        conn.close()
