"""Benchmark and proof: 8 processes x 50 rounds of concurrent edits through a real server.

    python bench/concurrency.py [--processes 8] [--rounds 50] [--postgres URL]

Each process logs in as its own social worker and, 50 times, edits the follow-up date of the
same case, adds a timeline note to it, edits the same plan step and tries to move the same
referral on (sent -> accepted -> in progress -> completed; later tries must be refused). The
server is tests/live_server.py (werkzeug, threaded) on 127.0.0.1 with a free port, on SQLite in
a temp data dir or, with --postgres, on that database (its schema is DROPPED: give it a scratch
database). Then tests/proof_concurrency.check proves zero 5xx, zero lost updates and a clear
message for every refusal, and this prints the counts and the wall time.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--postgres", help="a scratch PostgreSQL database URL (its schema is dropped)")
    args = parser.parse_args()
    if args.postgres:
        os.environ["WELFARE_TEST_DATABASE_URL"] = args.postgres  # read by tests.conftest on import
    from tests import proof_concurrency
    from tests.conftest import TEST_DATABASE_URL, app_with_empty_database, close_database
    from tests.proof_helpers import live_server

    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as data_dir:
        app = app_with_empty_database(Path(data_dir))
        ids = proof_concurrency.seed(app, args.processes)
        config = {
            "DATA_DIR": data_dir,
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": TEST_DATABASE_URL or app.config["SQLALCHEMY_DATABASE_URI"],
            "PASSWORD_HASH_PROFILE": "CHEAPEST",
            "DEVELOPMENT": True,
            "BABEL_DEFAULT_LOCALE": "en",
        }
        with live_server(config) as base_url:
            started = time.monotonic()
            results = proof_concurrency.run(base_url, args.processes, args.rounds, ids)
            elapsed = time.monotonic() - started
        summary = proof_concurrency.check(app, ids, results)
        close_database(app)
    database = "PostgreSQL" if args.postgres else "SQLite"
    posts = len(results)
    print(
        f"{database}: {args.processes} processes x {args.rounds} rounds, {posts} POSTs (+ as many GETs) in {elapsed:.1f} s"
    )
    print(f"  {2 * posts / elapsed:.0f} requests/s; 5xx: 0; lost updates: 0 (checked)")
    for kind in proof_concurrency.KINDS:
        print(f"  {kind:9} {summary[kind]}")
    print(f"  referral ends {summary['referral_status']}")


if __name__ == "__main__":
    main()
