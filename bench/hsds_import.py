"""Benchmark: import a large HSDS 3.0 package (default 4,000 services, 26,000 taxonomy links).

    python bench/hsds_import.py [--services 4000] [--links 26000] [--database-url URL]

Generates a realistic Slovenian package into a temp dir, imports it into a fresh database
(SQLite in a temp data dir unless --database-url is given) through the same code path as
`flask catalog import-hsds`, then re-imports it (the upsert path), and prints the timings.
"""

import argparse
import csv
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = (
    "pomoč svetovanje družina otroci mladi starejši dolgovi stanovanje nasilje zasvojenost zdravje "
    "zaposlovanje izobraževanje romska skupnost brezdomstvo invalidnost prevoz hrana oblačila"
).split()
TOWNS = ["Novo mesto", "Krško", "Trebnje", "Črnomelj", "Semič", "Metlika", "Šentjernej", "Kočevje", "Brežice"]


def write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def generate(folder: Path, services: int, links: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    uid = lambda: str(uuid.UUID(int=rnd.getrandbits(128)))  # noqa: E731  (repeatable ids)
    orgs = [uid() for _ in range(max(1, services // 5))]
    taxonomy = "bench-taxonomy"
    terms = [f"bench-term-{i}" for i in range(400)]
    service_ids = [uid() for _ in range(services)]
    locations = [uid() for _ in orgs]
    write(
        folder / "organizations.csv",
        ["id", "name", "description"],
        [(o, f"Društvo {rnd.choice(WORDS)} {i}", "Nevladna organizacija.") for i, o in enumerate(orgs)],
    )
    write(folder / "taxonomies.csv", ["id", "name", "description"], [(taxonomy, "Bench", "Synthetic")])
    write(
        folder / "taxonomy_terms.csv",
        ["id", "code", "name", "description", "taxonomy_id"],
        [(t, t, f"Izraz {i}", "", taxonomy) for i, t in enumerate(terms)],
    )
    write(
        folder / "services.csv",
        ["id", "organization_id", "name", "description", "status", "assured_date"],
        [
            (
                s,
                rnd.choice(orgs),
                f"Program {' '.join(rnd.sample(WORDS, 3))} {i}",
                " ".join(rnd.choices(WORDS, k=40)),
                "active",
                "2026-01-15",
            )
            for i, s in enumerate(service_ids)
        ],
    )
    write(
        folder / "locations.csv",
        ["id", "location_type", "organization_id", "name"],
        [(loc, "physical", o, f"Sedež {i}") for i, (loc, o) in enumerate(zip(locations, orgs, strict=True))],
    )
    write(
        folder / "addresses.csv",
        ["id", "location_id", "address_1", "city", "postal_code", "state_province", "country", "address_type"],
        [
            (uid(), loc, f"Glavni trg {i}", rnd.choice(TOWNS), "8000", "", "SI", "physical")
            for i, loc in enumerate(locations)
        ],
    )
    write(
        folder / "service_areas.csv", ["id", "service_id", "name"], [(uid(), s, rnd.choice(TOWNS)) for s in service_ids]
    )
    write(
        folder / "schedules.csv",
        ["id", "service_id", "freq", "byday", "opens_at", "closes_at"],
        [(uid(), s, "WEEKLY", "MO,TU,WE,TH,FR", "08:00", "15:00") for s in service_ids],
    )
    write(
        folder / "attributes.csv",
        ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity"],
        [(uid(), service_ids[i % services], rnd.choice(terms), "life_domain", "service") for i in range(links)],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=4000)
    parser.add_argument("--links", type=int, default=26000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from catalog.hsds.importer import import_package
    from welfare import create_app
    from welfare.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "package"
        package.mkdir()
        started = time.perf_counter()
        generate(package, args.services, args.links)
        generated = time.perf_counter() - started
        config = {"DATA_DIR": str(Path(tmp) / "data"), "SECRET_KEY": "bench"}
        if args.database_url:
            config["SQLALCHEMY_DATABASE_URI"] = args.database_url
        app = create_app(config)
        with app.app_context():
            db.drop_all()
            db.create_all()
            timings = []
            for label in ("first import (inserts)", "second import (updates)"):
                started = time.perf_counter()
                report = import_package(package)
                timings.append((label, time.perf_counter() - started, report.written))
            db.drop_all() if args.database_url else None
    print(f"package: {args.services} services, {args.links} taxonomy links (generated in {generated:.1f} s)")
    print(f"database: {args.database_url or 'SQLite (temp data dir)'}")
    for label, seconds, written in timings:
        print(f"{label}: {seconds:.1f} s  ({sum(written.values())} rows)")


if __name__ == "__main__":
    main()
