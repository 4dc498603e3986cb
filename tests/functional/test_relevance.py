"""Search quality on the demo catalog: recall@5 and MRR, against two baselines on the same data."""

import re
import sqlite3

import pytest
import sqlalchemy as sa

from catalog.models import Organization, Service
from catalog.search import engine as search
from tests.search_helpers import load
from welfare.extensions import db

QUERIES = [(q["text"], q["services"]) for q in load("relevance_queries.json")["queries"]]

MIN_RECALL_AT_5 = 0.9


def evaluate(rank) -> tuple[float, float, list[str]]:
    """rank(query) -> service names best first; returns recall@5, MRR and the misses."""
    hits, reciprocal, misses = 0, 0.0, []
    for query, expected in QUERIES:
        ranked = rank(query)
        positions = [ranked.index(name) + 1 for name in expected if name in ranked]
        best = min(positions) if positions else None
        if best and best <= 5:
            hits += 1
        else:
            misses.append(f"{query!r} -> {ranked[:5]}")
        reciprocal += 1 / best if best else 0.0
    return hits / len(QUERIES), reciprocal / len(QUERIES), misses


def like_baseline(query: str) -> list[str]:
    """SQL LIKE over name/description, every word required, ordered by name."""
    statement = sa.select(Service.name).join(Service.organization)
    for word in query.lower().split():
        pattern = f"%{word}%"
        statement = statement.where(
            sa.or_(sa.func.lower(Service.name).like(pattern), sa.func.lower(Service.description).like(pattern))
        )
    return list(db.session.scalars(statement.order_by(Service.name).limit(20)))


def fts5_baseline():
    """SQLite FTS5 with unicode61 remove_diacritics 2, ranked by bm25."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(name, org, body, tokenize='unicode61 remove_diacritics 2')")
    rows = db.session.execute(
        sa.select(Service.name, Organization.name, Service.description).join(Service.organization)
    )
    conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", list(rows))

    def rank(query: str) -> list[str]:
        words = re.findall(r"\w+", query)
        if not words:
            return []
        match = " ".join(f'"{w}"' for w in words)
        return [
            r[0]
            for r in conn.execute(
                "SELECT name FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 5, 3, 1) LIMIT 20", (match,)
            )
        ]

    return rank


# A measurement over a whole set of queries: the slow tier, with the other sets (tests/conftest.py).
@pytest.mark.measurement
def test_relevance_beats_baselines_and_meets_the_bar(app, demo, capsys):
    assert len(QUERIES) >= 40
    with app.app_context():
        ours = evaluate(lambda q: [s.name for s in search.services_for(search.run(q, per_page=20).ids)])
        like = evaluate(like_baseline)
        fts = evaluate(fts5_baseline())
    with capsys.disabled():
        print(f"\nrelevance over {len(QUERIES)} queries (recall@5 / MRR):")
        for label, (recall, mrr, _) in (
            ("whoosh + Slovenian analyzer", ours),
            ("SQL LIKE", like),
            ("SQLite FTS5 unicode61", fts),
        ):
            print(f"  {label:30} {recall:.3f} / {mrr:.3f}")
    recall, mrr, misses = ours
    assert recall >= MIN_RECALL_AT_5, "missed:\n" + "\n".join(misses)
    assert recall > like[0] and recall > fts[0]
