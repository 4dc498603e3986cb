"""Benchmark: `/search` throughput next to a rendered 404 page on the same gunicorn.

    python bench/search_throughput.py [--services 10000] [--workers 2] [--seconds 20] [--clients 4]
    python bench/search_throughput.py --mix             # the 600-query Zipf draw of bench/search_mix.py
    python bench/search_throughput.py --profile 200     # cProfile of 200 /search requests, in process

Builds a temp data dir with the generated catalog of bench/search_bench.py (demo-catalog
texts recombined, SQLite) and the seed thesaurus and everyday phrases (search_mix.build, as
`seed-demo` loads them), starts gunicorn on a free port of 127.0.0.1, and measures requests
per second of `/search?q=...` (the 20-query mix of search_bench, each query also with a
number so the result pages differ) against the 404 page (a rendered template, no search),
alternating the two in short rounds so a neighbour's load hits both alike. Reports the ratio
(target: at least 0.3). All traffic stays on this machine; every loop is bounded.
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_bench import QUERIES, free_port, http_load, percentiles  # noqa: E402
from search_mix import build  # noqa: E402  (the catalog with the seed thesaurus and phrases, as served)


def profile(data: Path, requests: int) -> None:
    from welfare import create_app

    app = create_app(
        {"DATA_DIR": str(data), "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False, "SEARCH_LOG_FLUSH": "manual"}
    )
    client = app.test_client()
    for q in QUERIES:  # warm the caches (lemmatizer, index files, thesaurus)
        client.get("/search", query_string={"q": q})
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for i in range(requests):
        client.get("/search", query_string={"q": f"{QUERIES[i % len(QUERIES)]}"})
    profiler.disable()
    elapsed = time.perf_counter() - started
    print(f"{requests} /search requests in process: {elapsed / requests * 1000:.1f} ms each")
    stats = pstats.Stats(profiler).sort_stats("cumulative")
    stats.print_stats(25)
    stats.print_stats(r"catalog/|welfare/|templating|sqlalchemy/orm/session.py:.*\((execute|scalars?)\)", 40)


def serve(data: Path, workers: int):
    port = free_port()
    env = dict(
        os.environ,
        WELFARE_DATA_DIR=str(data),
        WELFARE_SECRET_KEY="bench",
        WELFARE_SEARCH_RATE_LIMIT="1000000 per minute",  # all load comes from one address
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"]
        + ["welfare:create_app()"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def measure(base: str, seconds: float, clients: int, rounds: int = 4, queries=None) -> None:
    # Warm every worker (index files, lemmatizer; with the 20-query mix also the result cache).
    http_load(base + "/search?q={q}", 2, clients, queries=QUERIES)
    http_load(base + "/organizations/none-{q}", 1, clients)
    search_lat, page_lat, search_time, page_time = [], [], 0.0, 0.0
    share = seconds / rounds / 2
    for _ in range(rounds):
        lat, rps = http_load(base + "/search?q={q}", share, clients, queries=queries)
        search_lat += lat
        search_time += len(lat) / rps
        lat, rps = http_load(base + "/organizations/none-{q}", share, clients)
        page_lat += lat
        page_time += len(lat) / rps
    search_rps, page_rps = len(search_lat) / search_time, len(page_lat) / page_time
    print(f"HTTP /search ({clients} clients): {search_rps:.0f} req/s, {percentiles(search_lat)}")
    print(f"HTTP 404 page (rendered):    {page_rps:.0f} req/s, {percentiles(page_lat)}")
    print(f"/search throughput / rendered 404 page: {search_rps / page_rps:.2f} (target at least 0.3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--profile", type=int, default=0, help="profile this many requests in process instead")
    parser.add_argument(
        "--mix", action="store_true", help="search the Zipf draw of bench/search_mix.py instead of the 20 queries"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        started = time.perf_counter()
        build(data, args.services)
        print(f"catalog of {args.services} services built in {time.perf_counter() - started:.0f} s")
        print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if args.profile:
            profile(data, args.profile)
            return
        server, base = serve(data, args.workers)
        try:
            queries = None
            if args.mix:
                from search_mix import query_mix, zipf_draw

                queries = zipf_draw(query_mix(), 20_000, 1.0)
                print("queries: the Zipf draw of bench/search_mix.py (600 distinct), each client from its own place")
            measure(base, args.seconds, args.clients, queries=queries)
        finally:
            server.terminate()
            server.wait(30)
        server_cpu = os.times().children_user + os.times().children_system  # gunicorn and its workers
        print(f"CPU time: server {server_cpu:.1f} s (both kinds of request), this client {time.process_time():.1f} s")
        print(f"load average after the run:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
