"""Benchmark: every trend-report page and the export at 100,000 synthetic cases.

    python bench/trends_bench.py [--cases 100000] [--repeat 5] [--postgres URL]

Builds the register with bench/trends_data.py in a temp SQLite data dir and, with --postgres,
in that PostgreSQL database too (its tables are DROPPED and rebuilt: give it a scratch
database), then, in process through the Flask test client as a logged-in supervisor, times
each report page for a quarter (with its two comparison periods), a year and a 24-month
custom range, the printable report, the CSV and XLSX downloads and the `reports export`
command. Target: each under 1 s.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench password 123"  # noqa: S105  (a throwaway user in a temp database)


def measure(label: str, fn, repeat: int) -> tuple[str, float, float]:
    fn()  # warm up (template compile, caches)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    print(f"  {label:44} median {statistics.median(times):6.0f} ms   max {max(times):6.0f} ms", flush=True)
    return label, statistics.median(times), max(times)


def run(database_url: str | None, cases: int, repeat: int) -> list:
    from bench.trends_data import generate, load
    from catalog.seed import load_demo_catalog, load_taxonomies
    from welfare import create_app
    from welfare.auth import services as auth
    from welfare.extensions import db
    from welfare.models import Role

    data_dir = tempfile.mkdtemp(prefix="trends-bench-")
    config = {"TESTING": True, "DATA_DIR": data_dir, "SECRET_KEY": "bench", "PASSWORD_HASH_PROFILE": "CHEAPEST",
              "SEARCH_INDEX_ENABLED": False, "BABEL_DEFAULT_LOCALE": "sl"}  # fmt: skip
    if database_url:
        config["SQLALCHEMY_DATABASE_URI"] = database_url
    app = create_app(config)
    with app.app_context():
        db.drop_all()
        db.create_all()
        staff = [auth.create_user(f"staff{n}", [Role.SOCIAL_WORKER, Role.LAWYER, Role.ORGANIZER][n % 3], PASSWORD).id
                 for n in range(1, 7)]  # fmt: skip
        auth.create_user("supervisor", Role.SUPERVISOR, PASSWORD)
        load_taxonomies()
        load_demo_catalog()  # published services per domain, for demand and supply
        db.session.commit()
        started = time.perf_counter()
        rows = generate(cases, staff)
        generated = time.perf_counter()
        load(rows)
        print(f"{database_url or 'SQLite (temp data dir)'}: {cases:,} cases, {sum(map(len, rows.values())):,} rows; "
              f"generated in {generated - started:.1f} s, inserted in {time.perf_counter() - generated:.1f} s", flush=True)  # fmt: skip
        db.session.remove()

    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    csrf = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    answer = client.post("/login", data={"csrf_token": csrf, "username": "supervisor", "password": PASSWORD})
    assert answer.status_code == 302

    def get(url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return fetch

    quarter, year, custom = "period=quarter", "period=year", "period=custom&start=2024-01&end=2025-12"
    targets = [
        ("people, quarter (+2 comparisons)", f"/trends/?{quarter}"),
        ("people, year", f"/trends/?{year}"),
        ("people, custom 24 months", f"/trends/?{custom}"),
        ("case flow, quarter", f"/trends/flow?{quarter}"),
        ("case flow, year", f"/trends/flow?{year}"),
        ("demand and supply, quarter", f"/trends/demand?{quarter}"),
        ("demand and supply, year", f"/trends/demand?{year}"),
        ("printable report, quarter", f"/trends/report?{quarter}"),
        ("CSV download (people), quarter", f"/trends/export.csv?section=people&{quarter}"),
        ("XLSX download (all sections), quarter", f"/trends/export.xlsx?{quarter}"),
    ]
    results = [measure(label, get(url), repeat) for label, url in targets]
    runner = app.test_cli_runner()
    out = Path(data_dir) / "report.xlsx"

    def export():
        result = runner.invoke(args=["reports", "export", "--from", "2025-01-01", "--to", "2025-12-31", str(out)])
        assert result.exit_code == 0, result.output

    results.append(measure("flask reports export (a year, XLSX)", export, repeat))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", help="also run against this (scratch) PostgreSQL database")
    args = parser.parse_args()
    run(None, args.cases, args.repeat)
    if args.postgres:
        run(args.postgres, args.cases, args.repeat)


if __name__ == "__main__":
    main()
