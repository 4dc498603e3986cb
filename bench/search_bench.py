"""Benchmark: catalog search at 10,000 services.

    python bench/search_bench.py [--services 10000] [--repeat 5] [--http-seconds 20]

Builds a temp data dir with a generated catalog (demo-catalog texts recombined), then
measures: full index rebuild time; query latency p50/p95/p99 in process; the same queries on
an SQLite FTS5 baseline; and, over HTTP against gunicorn with 2 workers on 127.0.0.1,
latency and throughput of the search page next to the trivial /healthz endpoint.
All traffic stays on this machine; every loop is bounded in count and time.
"""

import argparse
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from hsds_import import TOWNS, write  # noqa: E402


def generate_realistic(folder: Path, services: int, seed: int = 11) -> None:
    """A catalog shaped like the real one: names and texts recombined from the demo catalog
    (real Slovenian vocabulary), spread over the towns of the region, with life-domain links."""
    import json
    import random
    import uuid

    rnd = random.Random(seed)
    uid = lambda: str(uuid.UUID(int=rnd.getrandbits(128)))  # noqa: E731
    demo = json.loads((ROOT / "catalog" / "data" / "demo_catalog.json").read_text(encoding="utf-8"))
    taxonomies = json.loads((ROOT / "catalog" / "data" / "taxonomies.json").read_text(encoding="utf-8"))
    domains = [code for code, _, _ in taxonomies["taxonomies"][0]["terms"]]
    specs = [s for org in demo["organizations"] for s in org["services"]]
    orgs = [(uid(), f"{org['name']} ({town})") for org in demo["organizations"] for town in TOWNS][
        : max(1, services // 8)
    ]
    ids = [uid() for _ in range(services)]
    chosen = [rnd.choice(specs) for _ in ids]
    write(folder / "organizations.csv", ["id", "name", "description"], [(o, n, "Organizacija.") for o, n in orgs])
    write(folder / "taxonomies.csv", ["id", "name", "description"], [("bench-domains", "Področja", "bench")])
    write(
        folder / "taxonomy_terms.csv",
        ["id", "code", "name", "description", "taxonomy_id"],
        [(f"bench-domains:{c}", c, c.replace("-", " "), "", "bench-domains") for c in domains],
    )
    write(
        folder / "services.csv",
        ["id", "organization_id", "name", "description", "status", "eligibility_description"],
        [
            (
                i,
                rnd.choice(orgs)[0],
                f"{spec['name']} – {rnd.choice(TOWNS)} {n}",
                spec["desc"] + " " + rnd.choice(specs)["desc"],
                "active",
                spec.get("elig", ""),
            )
            for n, (i, spec) in enumerate(zip(ids, chosen, strict=True))
        ],
    )
    write(folder / "service_areas.csv", ["id", "service_id", "name"], [(uid(), i, rnd.choice(TOWNS)) for i in ids])
    write(
        folder / "attributes.csv",
        ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity"],
        [
            (uid(), i, f"bench-domains:{d}", "life_domain", "service")
            for i, spec in zip(ids, chosen, strict=True)
            for d in spec["dom"]
            if d in domains
        ],
    )


QUERIES = [
    "nasilje v druzini",
    "dolgovi",
    "pomoč družina",
    "starejšim",
    "svetilnk",
    "droge",
    "stanovanje",
    "zaposlovanje mladi",
    "otroci",
    "romska skupnost",
    "brezdomstvo",
    "zdravje",
    "izobraževanje",
    "prevoz",
    "invalidnost",
    "hrana oblačila",
    "CSD",
    "svetovanje",
    "program pomoč 17",
    "xyzzy",
]


def percentiles(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {qs[49] * 1000:.1f} ms, p95 {qs[94] * 1000:.1f} ms, p99 {qs[98] * 1000:.1f} ms"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_load(url: str, seconds: float, concurrency: int = 4, max_requests: int = 20000, queries=None):
    deadline = time.monotonic() + seconds
    latencies: list[float] = []

    def worker(n: int):
        local = []
        i = 0
        while time.monotonic() < deadline and len(latencies) + len(local) < max_requests:
            mix = queries or QUERIES
            target = url.format(q=urllib.parse.quote(mix[(n * 997 + i) % len(mix)]))
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(target, timeout=10) as response:
                    response.read()
            except urllib.error.HTTPError as exc:  # the 404 page is a page too
                exc.read()
            local.append(time.perf_counter() - started)
            i += 1
        return local

    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for result in pool.map(worker, range(concurrency)):
            latencies.extend(result)
    elapsed = time.monotonic() - started
    return latencies, len(latencies) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--http-seconds", type=float, default=20)
    args = parser.parse_args()

    from catalog.hsds.importer import import_package
    from catalog.search import engine as search
    from catalog.search import index as search_index
    from welfare import create_app
    from welfare.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        package, data = Path(tmp) / "package", Path(tmp) / "data"
        package.mkdir()
        generate_realistic(package, args.services)
        config = {"DATA_DIR": str(data), "SECRET_KEY": "bench", "SEARCH_INDEX_ENABLED": False}
        app = create_app(config)
        with app.app_context():
            db.create_all()
            import_package(package)
            started = time.perf_counter()
            count = search_index.rebuild()
            build = time.perf_counter() - started
            search.run("ogrevanje")  # warm caches (lemmatizer, index files)
            samples = []
            for _ in range(args.repeat):
                for q in QUERIES:
                    t = time.perf_counter()
                    search.run(q)
                    samples.append(time.perf_counter() - t)
            import sqlalchemy as sa

            from catalog.models import Organization, Service

            rows = db.session.execute(
                sa.select(Service.name, Organization.name, Service.description).join(Service.organization)
            ).all()
        fts = sqlite3.connect(":memory:")
        fts.execute("CREATE VIRTUAL TABLE docs USING fts5(name, org, body, tokenize='unicode61 remove_diacritics 2')")
        fts.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
        fts_samples = []
        for _ in range(args.repeat):
            for q in QUERIES:
                match = " ".join(f'"{w}"' for w in q.split())
                t = time.perf_counter()
                fts.execute(
                    "SELECT name FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 20", (match,)
                ).fetchall()
                fts_samples.append(time.perf_counter() - t)

        print(f"services: {count} indexed; full rebuild {build:.1f} s")
        print(f"in process, search.run ({len(samples)} queries): {percentiles(samples)}")
        print(f"in process, FTS5 baseline ({len(fts_samples)} queries): {percentiles(fts_samples)}")

        if args.http_seconds > 0:
            port = free_port()
            env = dict(
                os.environ,
                WELFARE_DATA_DIR=str(data),
                WELFARE_SECRET_KEY="bench",
                WELFARE_SEARCH_RATE_LIMIT="1000000 per minute",
            )  # all load comes from one address
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                    "welfare:create_app()",
                ],
                env=env,
                cwd=ROOT,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                for _ in range(100):
                    try:
                        urllib.request.urlopen(base + "/healthz", timeout=1).read()
                        break
                    except OSError:
                        time.sleep(0.1)
                third = args.http_seconds / 3
                search_lat, search_rps = http_load(base + "/search?q={q}", third)
                trivial_lat, trivial_rps = http_load(base + "/healthz?{q}", third)
                page_lat, page_rps = http_load(base + "/organizations/none-{q}", third)
                print(f"HTTP /search (gunicorn -w 2, 4 clients): {search_rps:.0f} req/s, {percentiles(search_lat)}")
                print(f"HTTP /healthz (same server):             {trivial_rps:.0f} req/s, {percentiles(trivial_lat)}")
                print(f"HTTP 404 page (template, no search):     {page_rps:.0f} req/s, {percentiles(page_lat)}")
                print(
                    f"search throughput / trivial throughput: {search_rps / trivial_rps:.2f}; "
                    f"/ rendered page: {search_rps / page_rps:.2f}"
                )
            finally:
                server.terminate()
                server.wait(10)


if __name__ == "__main__":
    main()
