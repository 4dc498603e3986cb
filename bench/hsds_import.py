"""Benchmark: import a large HSDS 3.0 package (default 4,000 services, 26,000 taxonomy links).

    python bench/hsds_import.py [--services 4000] [--links 26000] [--database-url URL] [--defects]

Generates a realistic Slovenian package into a temp dir, imports it into a fresh database
(SQLite in a temp data dir unless --database-url is given) through the same code path as
`flask catalog import-hsds`, then re-imports it (the upsert path), and prints the timings.

--defects generates an HSDS 1.1 package instead, as real directories publish it, with a few
percent of each defect they have (services of missing organizations, duplicate and orphaned
taxonomy ids, terms before their parents, a few cycles, phones without numbers, schedule text
instead of times, addresses without postal codes, duplicate service-at-location links, files in
cp1250 and UTF-8 with BOM and CRLF), and imports it with --skip-invalid, search index included.
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


def generate_11_with_defects(folder: Path, services: int, links: int, seed: int = 11) -> None:
    """An HSDS 1.1 package with a few percent of each defect real directories have."""
    rnd = random.Random(seed)
    uid = lambda: str(uuid.UUID(int=rnd.getrandbits(128)))  # noqa: E731  (repeatable ids)
    orgs = [uid() for _ in range(max(1, services // 4))]
    listed_orgs = [o for o in orgs if rnd.random() > 0.03]  # ~3 % of organizations missing
    service_ids = [uid() for _ in range(services)]
    service_org = {s: rnd.choice(orgs) for s in service_ids}
    locations = {o: uid() for o in orgs}
    terms = [f"T{i:04d}" for i in range(600)]
    parents = {t: (rnd.choice(terms[: max(i, 1)]) if i >= 40 else "") for i, t in enumerate(terms)}
    for t in rnd.sample(terms[40:], 6):  # parent ids nobody lists
        parents[t] = "T9" + t[1:]
    for a, b in zip(terms[500:506:2], terms[501:507:2], strict=True):  # three little cycles
        parents[a], parents[b] = b, a
    term_rows = [(t, f"Področje {i}", parents[t], "", "Pisarna") for i, t in enumerate(terms)]
    term_rows += [(t, f"Drugo ime {t}", "", "", "Pisarna") for t in rnd.sample(terms, 12)]  # duplicate ids
    rnd.shuffle(term_rows)  # children before parents
    encoded = {"organizations.csv": ("cp1250", "\r\n"), "taxonomy.csv": ("utf-8-sig", "\r\n")}

    def put(name, header, rows):
        encoding, newline = encoded.get(name, ("utf-8", "\n"))
        with (folder / name).open("w", newline="", encoding=encoding) as fh:
            writer = csv.writer(fh, lineterminator=newline)
            writer.writerow(header)
            writer.writerows(rows)

    put(
        "organizations.csv",
        ["id", "name", "description", "email", "url"],
        [(o, f"Društvo {rnd.choice(WORDS)} {i}", "Nevladna organizacija.", "", "") for i, o in enumerate(listed_orgs)],
    )
    put(
        "services.csv",
        ["id", "organization_id", "name", "description", "status", "fees"],
        [
            (s, service_org[s], f"Program {' '.join(rnd.sample(WORDS, 3))} {i}", " ".join(rnd.choices(WORDS, k=40)))
            + ("active", "")
            for i, s in enumerate(service_ids)
        ],
    )
    put(
        "locations.csv", ["id", "organization_id", "name"], [(loc, o, f"Sedež {o[:4]}") for o, loc in locations.items()]
    )
    put(
        "physical_addresses.csv",
        ["id", "location_id", "address_1", "city", "postal_code", "country"],
        [
            (uid(), loc, f"Glavni trg {i}", rnd.choice(TOWNS), "" if rnd.random() < 0.03 else "8000", "SI")
            for i, loc in enumerate(locations.values())
        ],
    )
    at_location = [(uid(), s, locations[service_org[s]], "") for s in service_ids]
    at_location += [(uid(), s, locations[service_org[s]], "") for s in rnd.sample(service_ids, services // 50)]
    put("services_at_location.csv", ["id", "service_id", "location_id", "description"], at_location)
    put(
        "phones.csv",
        ["id", "service_id", "number", "type"],
        [
            (uid(), s, "" if rnd.random() < 0.03 else f"07 {rnd.randint(100, 999)} {rnd.randint(10, 99)}", "voice")
            for s in service_ids
        ],
    )
    put(
        "regular_schedules.csv",
        ["id", "service_id", "weekday", "opens_at", "closes_at"],
        [
            (uid(), s, "ob torkih" if rnd.random() < 0.01 else rnd.randint(1, 5))
            + (("po dogovoru", "") if rnd.random() < 0.03 else ("08:00:00", "15:00:00"))
            for s in service_ids
        ],
    )
    put("taxonomy.csv", ["id", "name", "parent_id", "parent_name", "vocabulary"], term_rows)
    put(
        "services_taxonomy.csv",
        ["id", "service_id", "taxonomy_id", "taxonomy_detail"],
        [
            (uid(), service_ids[i % services] if rnd.random() > 0.01 else uid(), rnd.choice(terms), "")  # 1 % dangling
            for i in range(links)
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=4000)
    parser.add_argument("--links", type=int, default=26000)
    parser.add_argument("--database-url")
    parser.add_argument("--defects", action="store_true", help="an HSDS 1.1 package with defects, --skip-invalid")
    args = parser.parse_args()

    from catalog.hsds.importer import import_package
    from welfare import create_app
    from welfare.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "package"
        package.mkdir()
        started = time.perf_counter()
        (generate_11_with_defects if args.defects else generate)(package, args.services, args.links)
        generated = time.perf_counter() - started
        config = {"DATA_DIR": str(Path(tmp) / "data"), "SECRET_KEY": "bench"}
        if args.database_url:
            config["SQLALCHEMY_DATABASE_URI"] = args.database_url
        app = create_app(config)
        with app.app_context():
            db.drop_all()
            db.create_all()
            timings = []
            for label in ("first import (inserts)", "second import (same package: compared, nothing rewritten)"):
                started = time.perf_counter()
                report = import_package(package, skip_invalid=args.defects)
                timings.append((label, time.perf_counter() - started, report.written))
            db.drop_all() if args.database_url else None
    kind = "HSDS 1.1 with defects, --skip-invalid" if args.defects else "HSDS 3.0"
    print(f"package ({kind}): {args.services} services, {args.links} taxonomy links (generated in {generated:.1f} s)")
    if args.defects:
        from catalog.hsds.problems import summary

        print(f"problems skipped or corrected: {len(report.skipped)}, warnings: {len(report.warnings)}")
        print("\n".join(line for line in summary(report.skipped + report.warnings, 0) if "..." not in line))
    print(f"database: {args.database_url or 'SQLite (temp data dir)'}")
    for label, seconds, written in timings:
        print(f"{label}: {seconds:.1f} s incl. search index  ({sum(written.values())} rows written)")


if __name__ == "__main__":
    main()
