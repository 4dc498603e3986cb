"""Benchmark: `search.run` in process on a mix of at least 500 distinct queries, drawn the way a
search log repeats them, with the result cache on and off.

    python bench/search_mix.py [--services 10000] [--draws 3000] [--zipf 1.0] [--distinct 600] [--earlier 3000]

Builds a temp data dir with the generated catalog of bench/search_bench.py (10,000 services,
SQLite) plus the seed thesaurus and everyday phrases (as `seed-demo` loads them), then makes a
reproducible set of distinct queries from:

- the relevance sets' queries and residents' descriptions (tests/data/relevance_queries.json,
  tests/data/descriptions_tuning.json; the held-out set is not used), the seed's everyday phrases
  and words of the demo catalog's service names (single words and pairs);
- variants of those: without č/š/ž, one-letter typos (a letter dropped, doubled or replaced by
  its keyboard neighbour), simple Slovenian suffix changes (-a/-e/-i/-o/-u/-om/-ih/-ami);
- nonsense words.

The distinct queries are shuffled (seeded) into a popularity order and `--draws` searches are
drawn from them with probability proportional to 1/rank**zipf (a Zipf law, as search logs
follow). The same draw runs twice, each in a new process warmed with the 20 queries of
search_bench.py only: with every result cache off (SEARCH_RESULT_CACHE = 0) and with the result
cache on (starting empty; the hit rate is what it saw). With --earlier N, each process first
serves N searches of another draw (seed 4) untimed, as a worker that has been up for a while
has (steady state; without it, a cold process). Prints p50, p95
and p99 of wall-clock time per search, the process CPU time of each run and the load average.
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from search_bench import QUERIES, generate_realistic  # noqa: E402

NEIGHBOURS = dict(zip("qwertzuiopasdfghjklyxcvbnm", "wetrzuiopoadfghjklkxcvbnmn", strict=True))
SUFFIXES = ("a", "e", "i", "o", "u", "om", "ih", "ami")
FOLD = str.maketrans("čšžČŠŽ", "cszcsz")


def _seeds() -> list[str]:
    import json

    data = ROOT / "tests" / "data"
    relevance = json.loads((data / "relevance_queries.json").read_text(encoding="utf-8"))["queries"]
    tuning = json.loads((data / "descriptions_tuning.json").read_text(encoding="utf-8"))["sets"]

    from catalog.seed import domain_phrase_seed

    seeds = [q["text"] for q in relevance] + [d["text"] for s in ("first", "second") for d in tuning[s]["texts"]]
    seeds += [p for _, p in domain_phrase_seed()] + list(QUERIES)
    demo = json.loads((ROOT / "catalog" / "data" / "demo_catalog.json").read_text(encoding="utf-8"))
    for org in demo["organizations"]:
        for service in org["services"]:
            name_words = [w.strip("–-,.()").lower() for w in service["name"].split()]
            name_words = [w for w in name_words if len(w) >= 4]
            seeds += name_words[:2]
            if len(name_words) >= 2:
                seeds.append(" ".join(name_words[:2]))
    return list(dict.fromkeys(s.strip() for s in seeds if s.strip()))


def _typo(rnd: random.Random, text: str) -> str:
    words = text.split()
    long_ones = [i for i, w in enumerate(words) if len(w) >= 5]
    if not long_ones:
        return text
    i = rnd.choice(long_ones)
    w = words[i]
    k = rnd.randrange(1, len(w) - 1)
    kind = rnd.randrange(3)
    if kind == 0:
        w = w[:k] + w[k + 1 :]
    elif kind == 1:
        w = w[:k] + w[k] + w[k:]
    else:
        w = w[:k] + NEIGHBOURS.get(w[k], w[k]) + w[k + 1 :]
    words[i] = w
    return " ".join(words)


def _inflect(rnd: random.Random, text: str) -> str:
    words = text.split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    if len(w) < 5:
        return text
    stem = next((w[: -len(e)] for e in sorted(SUFFIXES, key=len, reverse=True) if w.endswith(e)), w)
    words[i] = stem + rnd.choice(SUFFIXES)
    return " ".join(words)


def _nonsense(rnd: random.Random) -> str:
    return "".join(rnd.choice("bcdfghjklmnprstvzaeiou") for _ in range(rnd.randrange(5, 10)))


def query_mix(distinct: int = 600, seed: int = 7) -> list[str]:
    """`distinct` different queries in a reproducible popularity order (most popular first)."""
    rnd = random.Random(seed)
    seeds = _seeds()
    out = list(seeds)
    for text in seeds:
        out.append(text.translate(FOLD))
        out.append(_typo(rnd, text))
        out.append(_inflect(rnd, text))
    out += [_nonsense(rnd) for _ in range(max(10, distinct // 50))]
    unique = list(dict.fromkeys(q for q in out if q.strip()))
    rnd.shuffle(unique)
    nonsense = [q for q in unique if q in set(out[-max(10, distinct // 50) :])]
    chosen = [q for q in unique if q not in nonsense][: distinct - len(nonsense)] + nonsense
    rnd.shuffle(chosen)
    return chosen


def zipf_draw(queries: list[str], draws: int, exponent: float, seed: int = 3) -> list[str]:
    rnd = random.Random(seed)
    weights = [1 / (rank**exponent) for rank in range(1, len(queries) + 1)]
    return rnd.choices(queries, weights=weights, k=draws)


def build(data: Path, services: int) -> None:
    from catalog.hsds.importer import import_package
    from catalog.search import index as search_index
    from catalog.seed import load_domain_phrases, load_synonyms, load_taxonomies
    from welfare import create_app
    from welfare.extensions import db

    package = data.parent / "package"
    package.mkdir()
    generate_realistic(package, services)
    app = create_app({"DATA_DIR": str(data), "SECRET_KEY": "bench", "SEARCH_INDEX_ENABLED": False})
    with app.app_context():
        db.create_all()
        import_package(package)
        load_taxonomies()
        load_synonyms()
        load_domain_phrases()
        db.session.commit()
        search_index.rebuild()
        db.session.remove()
        db.engine.dispose()


def ms(samples: list[float]) -> str:
    qs = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {qs[49] * 1000:.1f} ms, p95 {qs[94] * 1000:.1f} ms, p99 {qs[98] * 1000:.1f} ms"


def run(
    data: Path, draw: list[str], cache_size: int, warm: list[str], earlier: list[str] = ()
) -> tuple[list[float], float, dict]:
    from catalog.search import engine as search
    from catalog.search import result_cache
    from welfare import create_app

    app = create_app({"DATA_DIR": str(data), "SECRET_KEY": "bench", "SEARCH_RESULT_CACHE": cache_size})
    with app.app_context():
        for q in warm:  # lemmatizer, index files, thesaurus, phrases: not the result cache
            search.run(q)
        result_cache.clear()
        for q in earlier:  # a worker that has served traffic before: its caches are what it left
            search.run(q)
        result_cache.reset_stats()
        samples = []
        cpu = time.process_time()
        for q in draw:
            started = time.perf_counter()
            search.run(q)
            samples.append(time.perf_counter() - started)
        cpu = time.process_time() - cpu
        return samples, cpu, result_cache.stats()


def in_fresh_process(*args):
    """`run` in a new Python process: nothing the other run read or decoded is still warm."""
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(run, *args).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=600)
    parser.add_argument("--draws", type=int, default=3000)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--cache-size", type=int, default=1000, help="SEARCH_RESULT_CACHE for the cached run")
    parser.add_argument("--keep", type=Path, help="build the catalog in this folder once and reuse it")
    parser.add_argument(
        "--earlier",
        type=int,
        default=0,
        help="steady state: first serve this many searches of an earlier draw (another seed, same law)",
    )
    args = parser.parse_args()
    queries = query_mix(args.distinct)
    draw = zipf_draw(queries, args.draws, args.zipf)
    print(
        f"query mix: {len(queries)} distinct queries, {args.draws} searches drawn by Zipf (exponent {args.zipf}); "
        f"{len(set(draw))} distinct among them; most popular: {queries[0]!r} ({draw.count(queries[0])} times)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = (args.keep or Path(tmp)) / "data"
        if not data.exists():
            data.parent.mkdir(parents=True, exist_ok=True)
            started = time.perf_counter()
            build(data, args.services)
            print(f"catalog of {args.services} services built in {time.perf_counter() - started:.0f} s")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        warm = list(QUERIES)
        earlier = zipf_draw(queries, args.earlier, args.zipf, seed=4) if args.earlier else []
        if earlier:
            print(f"each process first serves {len(earlier)} searches of an earlier draw (seed 4), not timed")
        off, off_cpu, _ = in_fresh_process(data, draw, 0, warm, earlier)
        on, on_cpu, stats = in_fresh_process(data, draw, args.cache_size, warm, earlier)
        hits = stats["hits"] / max(1, stats["hits"] + stats["misses"])
        print(f"search.run, result cache on ({args.cache_size} entries): {ms(on)}; hit rate {hits:.1%}")
        print(f"  process CPU {on_cpu:.1f} s for {len(on)} searches ({on_cpu / len(on) * 1000:.1f} ms each)")
        print(f"search.run, result cache off: {ms(off)}")
        seen: set[str] = set()
        firsts, repeats = [], []
        for q, t in zip(draw, off, strict=True):
            (repeats if q in seen else firsts).append(t)
            seen.add(q)
        print(f"  of which a query's first search in the process: {ms(firsts)} ({len(firsts)} searches)")
        print(f"  and its repeats (other searches' terms read):    {ms(repeats)} ({len(repeats)} searches)")
        print(f"  process CPU {off_cpu:.1f} s for {len(off)} searches ({off_cpu / len(off) * 1000:.1f} ms each)")
        print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
