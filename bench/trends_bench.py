"""Benchmark: every trend-report page and the export at 100,000 synthetic cases.

    python bench/trends_bench.py [--cases 100000] [--repeat 5] [--postgres URL]

Builds the register with bench/trends_data.py in a temp SQLite data dir and, with --postgres,
in that PostgreSQL database too (its tables are DROPPED and rebuilt: give it a scratch
database), then, in process through the Flask test client as a logged-in supervisor, times
each report page for a quarter (with its two comparison periods), a year and a 24-month
custom range, the printable report, the CSV and XLSX downloads and the `reports export`
command. Target: each under 1 s. The reports count the de-identified case and referral rows
(`cases/trends/units.py`) that the case services keep current as they write: the bench also
times deriving them all (`flask trends rebuild`, what the first report after the upgrade pays)
and the first page after 100 case writes (new cases, closures, plan goals and challenge edits on
recent cases, each its own transaction announcing its change as the services do).
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


def measure(label: str, fn, repeat: int, warm_up: bool = True, before=None) -> tuple[str, float, float]:
    """`before`: untimed work before each run (the writes a page then has to catch up with)."""
    if warm_up:
        fn()  # warm up (template compile, caches)
    times, cpu = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    # CPU time of this process (Python, and SQLite which runs inside it): on a shared machine
    # it moves far less with the load than the wall-clock time does.
    print(f"  {label:44} median {statistics.median(times):6.0f} ms   max {max(times):6.0f} ms"
          f"   cpu {statistics.median(cpu):6.0f} ms", flush=True)  # fmt: skip
    return label, statistics.median(times), max(times), statistics.median(cpu)


def run(
    database_url: str | None, cases: int, repeat: int, keep: str | None = None, only: str = "", verify_tables=False
) -> list:
    """`keep`: a data dir to build the SQLite register in once and reuse on later runs (with
    PostgreSQL: reuse the database if it already holds a register). `only`: time just the
    measures whose label contains it."""
    import flask_migrate
    import sqlalchemy as sa

    from welfare import create_app
    from welfare.extensions import db

    data_dir = keep or tempfile.mkdtemp(prefix="trends-bench-")
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    config = {"TESTING": True, "DATA_DIR": data_dir, "SECRET_KEY": "bench", "PASSWORD_HASH_PROFILE": "CHEAPEST",
              "SEARCH_INDEX_ENABLED": False, "BABEL_DEFAULT_LOCALE": "sl"}  # fmt: skip
    if database_url:
        config["SQLALCHEMY_DATABASE_URI"] = database_url
    app = create_app(config)
    with app.app_context():
        built = keep and sa.inspect(db.engine).has_table("referral")
        built = built and db.session.scalar(sa.text("select count(*) from referral"))
        if built:
            print(f"reusing the register in {database_url or data_dir}", flush=True)
        else:
            build(database_url, cases)
        db.session.remove()
        db.create_all()  # the trend tables, on a register kept from before they existed
        flask_migrate.stamp()
    results = measure_pages(app, data_dir, repeat, only)
    if verify_tables:
        verify(app)
    return results


def build(database_url: str | None, cases: int) -> None:
    """The synthetic register (inside an app context): its tables are dropped and rebuilt."""
    import sqlalchemy as sa
    from flask_migrate import stamp

    from bench.trends_data import generate, load
    from catalog.models import Service
    from catalog.seed import load_demo_catalog, load_taxonomies
    from welfare.auth import services as auth
    from welfare.extensions import db
    from welfare.models import Role

    db.drop_all()
    db.create_all()
    stamp()  # the schema is the models' (the export command refuses an unrecorded schema)
    staff = [auth.create_user(f"staff{n}", [Role.SOCIAL_WORKER, Role.LAWYER, Role.ORGANIZER][n % 3], PASSWORD).id
             for n in range(1, 7)]  # fmt: skip
    auth.create_user("supervisor", Role.SUPERVISOR, PASSWORD)
    load_taxonomies()
    load_demo_catalog()  # published services per domain, for demand and supply
    db.session.commit()
    started = time.perf_counter()
    services = db.session.execute(sa.select(Service.id, Service.organization_id).order_by(Service.id)).all()
    rows = generate(cases, staff, [tuple(s) for s in services])
    generated = time.perf_counter()
    load(rows)
    inserted = time.perf_counter()
    from cases.trends import units

    units.rebuild()  # bulk inserts announce nothing: derive the counted rows once
    db.session.commit()
    print(f"{database_url or 'SQLite'}: {cases:,} cases, {len(rows['referral']):,} referrals, "
          f"{sum(map(len, rows.values())):,} rows; generated in {generated - started:.1f} s, "
          f"inserted in {inserted - generated:.1f} s, counted rows derived in "
          f"{time.perf_counter() - inserted:.1f} s", flush=True)  # fmt: skip


def measure_pages(app, data_dir: str, repeat: int, only: str) -> list:
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
    with app.app_context():
        from cases.trends.tables import domain_categories

        domain = domain_categories()[0][0]
    filtered = f"{year}&domain={domain}&municipality=Novo+mesto&gender=female"
    runner = app.test_cli_runner()
    results = []

    def rebuild():
        result = runner.invoke(args=["trends", "rebuild"])
        assert result.exit_code == 0, result.output

    label = "derive every counted row (trends rebuild)"
    if only in label:
        results.append(measure(label, rebuild, repeat, warm_up=False))
    targets = [
        ("people, quarter (+2 comparisons)", f"/trends/?{quarter}"),
        ("people, year", f"/trends/?{year}"),
        ("people, custom 24 months", f"/trends/?{custom}"),
        ("people, year, by domain, municipality, gender", f"/trends/?{filtered}"),
        ("case flow, quarter", f"/trends/flow?{quarter}"),
        ("case flow, year", f"/trends/flow?{year}"),
        ("referrals, quarter", f"/trends/referrals?{quarter}"),
        ("referrals, year", f"/trends/referrals?{year}"),
        ("referrals, year, filtered", f"/trends/referrals?{filtered}"),
        ("demand and supply, quarter", f"/trends/demand?{quarter}"),
        ("demand and supply, year", f"/trends/demand?{year}"),
        ("printable report, quarter", f"/trends/report?{quarter}"),
        ("CSV download (people), quarter", f"/trends/export.csv?section=people&{quarter}"),
        ("XLSX download (all sections), quarter", f"/trends/export.xlsx?{quarter}"),
    ]
    results += [measure(label, get(url), repeat) for label, url in targets if only in label]
    label = "people, quarter: first page after 100 case writes"
    if only in label:
        results.append(measure(label, get(targets[0][1]), repeat, warm_up=False, before=lambda: case_writes(app, 100)))
    out = Path(data_dir) / "report.xlsx"

    def export():
        result = runner.invoke(args=["reports", "export", "--from", "2025-01-01", "--to", "2025-12-31", str(out)])
        assert result.exit_code == 0, result.output

    if only in "flask reports export (a year, XLSX)":
        results.append(measure("flask reports export (a year, XLSX)", export, repeat))
    return results


def verify(app) -> None:
    """After the timed writes: the counted rows equal a fresh derivation from the case tables."""
    from cases.trends import units

    with app.app_context():
        found = units.differences()
    assert not found, found[:5]
    print("  the counted rows equal a fresh derivation", flush=True)


def case_writes(app, n: int, seed: int = 7) -> None:
    """`n` writes as the office makes them, each its own transaction: a quarter new cases opened
    today with a challenge, a quarter closures of open cases, a quarter first plan goals and a
    quarter urgency changes on cases opened in the last three months."""
    import random
    from datetime import timedelta

    import sqlalchemy as sa

    from cases import events
    from cases.models import Case, CaseOutcome, CaseStatus, Challenge, Gender, LegalBasis, Person, Urgency
    from cases.plans.models import PlanGoal
    from cases.services import next_case_number
    from welfare.extensions import db

    rng = random.Random(seed + n + int(time.time()))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":  # the generator wrote ids itself: move the sequences on
            for table in ("person", "case_file", "case_challenge", "plan_goal"):
                db.session.execute(
                    sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608  (fixed names)
                )
            db.session.commit()
        from welfare import clock

        today = clock.today()
        recent = list(db.session.scalars(sa.select(Case.id).where(Case.opened_on >= today - timedelta(days=90))))
        open_ids = list(db.session.scalars(sa.select(Case.id).where(Case.status == CaseStatus.ACTIVE).limit(5000)))
        domain = db.session.scalar(sa.select(Challenge.domain_id).limit(1))
        for i in range(n):
            kind = i % 4
            if kind == 0:
                person = Person(first_name="Nova", last_name=f"Oseba{i}", name_key=f"oseba{i} nova",
                                birth_year=1970 + i % 40, gender=Gender.FEMALE, municipality="Novo mesto",
                                settlement="Otočec")  # fmt: skip
                case = Case(number=next_case_number(today.year), person=person, legal_basis=LegalBasis.SOCIAL_CARE,
                            opened_on=today)  # fmt: skip
                case.challenges.append(Challenge(domain_id=domain, description="", urgency=Urgency.MEDIUM))
                db.session.add(case)
                events.case_changed(case)
            elif kind == 1:
                case = db.session.get(Case, rng.choice(open_ids))
                case.status, case.closed_on, case.outcome = CaseStatus.CLOSED, today, CaseOutcome.RESOLVED
                events.case_changed(case)
            elif kind == 2:
                goal = PlanGoal(case_id=rng.choice(recent), title="Cilj")
                db.session.add(goal)
                db.session.flush()
                events.case_changed(goal.case_id)
            else:
                challenge = db.session.scalars(
                    sa.select(Challenge).where(Challenge.case_id == rng.choice(recent))
                ).first()
                if challenge is not None:
                    challenge.urgency = rng.choice(list(Urgency))
            db.session.commit()
        db.session.remove()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", help="also run against this (scratch) PostgreSQL database")
    parser.add_argument("--keep", help="build the SQLite register in this folder once and reuse it")
    parser.add_argument("--only", default="", help="time only the measures whose label contains this")
    parser.add_argument(
        "--verify", action="store_true", help="after the writes, check the counted rows against the case tables"
    )
    parser.add_argument("--skip-sqlite", action="store_true", help="with --postgres: run on PostgreSQL only")
    args = parser.parse_args()
    if not args.skip_sqlite:
        run(None, args.cases, args.repeat, args.keep, args.only, args.verify)
    if args.postgres:
        run(args.postgres, args.cases, args.repeat, args.keep, args.only, args.verify)


if __name__ == "__main__":
    main()
