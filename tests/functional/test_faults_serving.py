"""Faults while the app serves (a real server, tests/live_server.py): the search index folder
deleted under running searches, and a full disk under the data dir. The app keeps answering,
fails a write with a clear page and writes nothing half, and the documented commands
(`flask catalog reindex`) restore everything."""

import errno
import shutil
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from cases.models import TimelineEntry
from catalog.search import index as search_index
from tests.conftest import PASSWORD, TEST_DATABASE_URL, close_database, create_user, make_app, test_config
from tests.fault_helpers import run_cli
from tests.intake_factories import make_case
from tests.proof_helpers import Browser, live_server, read_form
from welfare.extensions import db
from welfare.models import Role, UserSession

SIMPLIFIED = "Search is working in a simplified mode right now"
QUERIES = ["Pisarna", "pomoc pri dolgovih", "nasilje v druzini", "brezdomstvo", "svetovanje"]


def _server_config(app, data_dir: Path | None = None) -> dict:
    data_dir = data_dir or Path(app.config["DATA_DIR"])
    return test_config(
        data_dir,
        TESTING=False,
        SECRET_KEY=app.config["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL or f"sqlite:///{data_dir / 'welfare.sqlite3'}",
        DEVELOPMENT=True,  # plain HTTP, so the session cookie may travel without TLS
        SEARCH_RATE_LIMIT="100000 per minute",
    )


def _wait_until(condition, ceiling: float = 300) -> None:
    """Wait for an event, not for a time: poll until `condition()` holds (the ceiling only
    catches a hung server)."""
    deadline = time.monotonic() + ceiling
    while not condition():
        assert time.monotonic() < deadline, "the searches did not come back"
        time.sleep(0.05)


def _hammer(base_url: str, stop: threading.Event, answers: list) -> None:
    browser = Browser(base_url)
    n = 0
    while not stop.is_set():
        started = time.monotonic()
        status, body, _ = browser.request(f"/search?q={QUERIES[n % len(QUERIES)].replace(' ', '+')}")
        answers.append((started, status, SIMPLIFIED in body, "Pisarna lokalne blaginje" in body))
        n += 1


BANNER = "The search index is missing, damaged or behind the database"


def test_deleting_the_index_under_running_searches_never_fails_and_reindex_restores_it(app, demo):
    create_user(app, Role.SOCIAL_WORKER, "mojca")
    stop, answers = threading.Event(), []
    with live_server(_server_config(app)) as base_url:
        staff = Browser(base_url)
        staff.login("mojca", PASSWORD)
        assert BANNER not in staff.request("/staff/catalog/")[1]
        threads = [threading.Thread(target=_hammer, args=(base_url, stop, answers)) for _ in range(4)]
        for thread in threads:
            thread.start()
        _wait_until(lambda: len(answers) >= 4)  # searches are running
        with app.app_context():
            root = search_index.root()
        # Gone at once (a search may recreate the folder meanwhile, so rename it away first).
        root.rename(root.with_name("search-index.deleted"))
        deleted_at = time.monotonic()
        shutil.rmtree(root.with_name("search-index.deleted"))
        # Enough searches asked after the folder was gone, however long the machine takes for them.
        _wait_until(lambda: sum(1 for a in list(answers) if a[0] > deleted_at) >= 8)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)

        assert answers and {status for _, status, _, _ in answers} == {200}  # not one 5xx
        after = [a for a in answers if a[0] > deleted_at]  # asked after the folder was gone
        assert after and all(simplified for _, _, simplified, _ in after)  # degraded, and says so
        found = Browser(base_url).request("/search?q=Pisarna")[1]
        assert "Pisarna lokalne blaginje" in found  # the database fallback still finds services
        assert BANNER in staff.request("/staff/catalog/")[1]  # staff are told, with a rebuild button

        done = run_cli(app, "catalog", "reindex")  # the documented recovery

        assert done.returncode == 0, done.stderr[-2000:]
        status, body, _ = Browser(base_url).request("/search?q=Pisarna")
        assert status == 200 and SIMPLIFIED not in body and "Pisarna lokalne blaginje" in body
        assert BANNER not in staff.request("/staff/catalog/")[1]
    check = run_cli(app, "catalog", "check-index")
    assert check.returncode == 0, check.stdout + check.stderr[-2000:]


# ---- a full disk --------------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path_factory):
    """An 8 MB tmpfs to hold a data dir (the demo catalog takes about 2.5 MB) (needs root; skipped with the reason otherwise)."""
    mount = tmp_path_factory.mktemp("small-disk")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=700", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs for the data dir: {result.stderr.strip() or result.returncode}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(directory: Path) -> Path:
    """Fill the file system of `directory` to the last byte; return the filler file."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as fh:
        for size in (1 << 20, 1 << 12, 1):
            try:
                while True:
                    fh.write(b"\0" * size)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def _entries(app) -> list[str]:
    with app.app_context():
        texts = list(db.session.scalars(sa.select(TimelineEntry.text).order_by(TimelineEntry.id)))
        db.session.remove()
        return texts


def _idle_for_two_minutes(app) -> None:
    with app.app_context():
        for user_session in db.session.scalars(sa.select(UserSession)):
            user_session.last_seen_at -= timedelta(minutes=2)
        db.session.commit()
        db.session.remove()


def _note_form(browser: Browser, number: str) -> dict:
    page = browser.request(f"/cases/{number}/timeline/new")[1]
    return read_form(page, f"/cases/{number}/timeline/new", f"/cases/{number}/timeline/new")


def _add_note(browser: Browser, number: str, fields: dict, text: str) -> tuple[int, str]:
    status, body, _ = browser.request(f"/cases/{number}/timeline/new", {**fields, "text": text})
    return status, body


def test_a_full_data_disk_refuses_writes_clearly_keeps_serving_reads_and_recovers(app, demo, small_disk):
    create_user(app, Role.SOCIAL_WORKER, "mojca")
    with app.app_context():
        number = make_case(number="2026-0301").number
        db.session.commit()
    close_database(app)  # SQLite folds its write-ahead log into the file: copy a whole database
    for path in Path(app.config["DATA_DIR"]).iterdir():
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, small_disk / path.name)
    disk_app = make_app(small_disk)
    before = _entries(disk_app)
    with live_server(_server_config(app, small_disk)) as base_url:
        staff = Browser(base_url)
        staff.login("mojca", PASSWORD)
        assert staff.request(f"/cases/{number}")[0] == 200
        # The note form is opened before the disk fills: opening it logs the read of the case,
        # which a full disk refuses like the case page below.
        form = _note_form(staff, number)
        _idle_for_two_minutes(disk_app)  # so the next request notes the session's use: a write
        filler = _fill(small_disk)

        # A read by staff notes the session's use (a write) and must not fail for that.
        assert staff.request("/staff/catalog/")[0] == 200

        status, body = _add_note(staff, number, form, "Zapis, ko je disk poln.")

        if TEST_DATABASE_URL:  # the database lives elsewhere: the note is saved whole
            assert status == 302 and _entries(disk_app) == [*before, "Zapis, ko je disk poln."]
        else:
            assert status == 503 and "disk is full" in body, body[-3000:]
            assert _entries(disk_app) == before  # nothing half-written
        # Reads go on: the public catalog, the search, and the staff's case page.
        assert Browser(base_url).request("/")[0] == 200
        status, body, _ = Browser(base_url).request("/search?q=Pisarna")
        assert status == 200 and "Pisarna lokalne blaginje" in body
        assert staff.request("/staff/catalog/")[0] == 200
        # A case file is refused clearly while its opening cannot be written to the access log.
        status, body, _ = staff.request(f"/cases/{number}")
        assert (status, "disk is full" in body) == ((200, False) if TEST_DATABASE_URL else (503, True))
        live_before = (small_disk / "search-index" / "CURRENT").read_text()

        reindex = run_cli(disk_app, "catalog", "reindex")

        assert reindex.returncode == 1
        assert "disk" in reindex.stderr.lower() and "Traceback" not in reindex.stderr, reindex.stderr[-3000:]
        assert (small_disk / "search-index" / "CURRENT").read_text() == live_before
        folders = {p.name for p in (small_disk / "search-index").iterdir() if p.is_dir()}
        assert folders == {live_before}  # the half-built folder is gone, the old one serves
        assert "Pisarna lokalne blaginje" in Browser(base_url).request("/search?q=Pisarna")[1]

        # Every other command stops with the same one line (welfare/cli_guard.py), leaving no
        # half-written file: a backup into the full disk, and (SQLite) an import into its database.
        backup = run_cli(
            disk_app, "backup", "--unencrypted", str(small_disk / "backups")
        )  # the disk, not the key, is tested
        said = ("disk is full", "No space left on device")  # ours, or pg_dump's own line on PostgreSQL
        assert backup.returncode == 1 and any(s in backup.stderr for s in said), backup.stderr[-3000:]
        assert "Traceback" not in backup.stderr
        assert not list((small_disk / "backups").iterdir())
        if not TEST_DATABASE_URL:
            package = Path(__file__).parent.parent / "fixtures" / "hsds" / "hsds-1.1-sample"
            imported = run_cli(disk_app, "catalog", "import-hsds", str(package), "--skip-invalid")
            assert imported.returncode == 1 and "disk is full" in imported.stderr, imported.stderr[-3000:]
            assert "Traceback" not in imported.stderr

        filler.unlink()  # space freed: everything works again, with no other step

        status, _body = _add_note(staff, number, _note_form(staff, number), "Zapis po sprostitvi diska.")
        assert status == 302 and _entries(disk_app)[-1] == "Zapis po sprostitvi diska."
    assert run_cli(disk_app, "catalog", "reindex").returncode == 0
    check = run_cli(disk_app, "catalog", "check-index")
    assert check.returncode == 0, check.stdout + check.stderr[-2000:]
    close_database(disk_app)
