"""Demand from zero-result searches counts visitor-days, not requests: one visitor, or a script
from one address, moves a figure by at most one a day; the address itself is never stored."""

from datetime import date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from catalog.learning import services as learning
from catalog.search import SearchLog, SearchQueryCount
from catalog.search import index as search_index
from tests.factories import make_service
from welfare.database import utcnow
from welfare.extensions import db

ADDRESSES = ("203.0.113.7", "198.51.100.23", "192.0.2.141")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def indexed(app):
    """An app with one service in the index, so searches run on the index and are logged."""
    with app.app_context():
        make_service(name="Pomoč pri rubežu", description="Rubež in dolgovi.")
        db.session.commit()
        search_index.rebuild()
    return app


def _nothing_found(client, address: str, n: int, domain: str = "stanovanje") -> None:
    """A zero-result search for a new nonsense word, filtered by a life domain."""
    word = "xyzzy" + LETTERS[n % 26] + LETTERS[n // 26 % 26]
    response = client.get("/search", query_string={"q": word, "domain": domain}, environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200


def _figure(app, on: date) -> tuple[int, int]:
    """(units filtered by the 'stanovanje' domain, all units) in the month of `on`."""
    with app.app_context():
        by_domain, totals = learning.zero_result_searches_by_domain(on.replace(day=1), on + timedelta(days=31))
    month = on.year * 12 + on.month - 1
    return by_domain.get("stanovanje", {}).get(month, 0), totals.get(month, 0)


def test_a_hundred_and_twenty_searches_from_three_addresses_count_three(indexed):
    today = utcnow().date()
    assert _figure(indexed, today) == (0, 0)
    client = indexed.test_client()
    for n in range(120):
        _nothing_found(client, ADDRESSES[n % 3], n)
    with indexed.app_context():
        rows = db.session.scalars(sa.select(SearchLog)).all()
    assert len(rows) == 120 and {r.result_count for r in rows} == {0}  # every request was logged
    assert len({r.visitor for r in rows}) == 3
    assert _figure(indexed, today) == (3, 3)


def test_the_domains_of_a_visitor_day_are_the_union_of_its_searches(indexed):
    client = indexed.test_client()
    _nothing_found(client, ADDRESSES[0], 1, domain="stanovanje")
    _nothing_found(client, ADDRESSES[0], 2, domain="dolgovi")
    client.get("/search", query_string={"q": "xyzzyqq"}, environ_base={"REMOTE_ADDR": ADDRESSES[1]})
    today = utcnow().date()
    with indexed.app_context():
        units = learning.zero_result_demand(today, today + timedelta(days=1))
    assert sorted(sorted(u.domains) for u in units) == [[], ["dolgovi", "stanovanje"]]


def test_the_same_visitor_on_two_days_counts_twice(indexed, monkeypatch):
    client = indexed.test_client()
    for day in (datetime(2025, 3, 10, 23, 50), datetime(2025, 3, 11, 0, 10)):
        monkeypatch.setattr(learning, "utcnow", lambda day=day: day)
        for n in range(5):
            _nothing_found(client, ADDRESSES[0], n)
    with indexed.app_context():
        tags = {r.at.date(): r.visitor for r in db.session.scalars(sa.select(SearchLog))}
        units = learning.zero_result_demand(date(2025, 3, 1), date(2025, 4, 1))
    assert len(set(tags.values())) == 2  # a new tag each day: a visitor cannot be followed across days
    assert [u.day for u in units] == [date(2025, 3, 10), date(2025, 3, 11)]
    assert _figure(indexed, date(2025, 3, 10)) == (2, 2)


def test_unit_keys_are_stable_and_differ_between_units(indexed, monkeypatch):
    client = indexed.test_client()
    for day in (datetime(2025, 3, 10, 9), datetime(2025, 3, 11, 9)):
        monkeypatch.setattr(learning, "utcnow", lambda day=day: day)
        for n, address in enumerate(ADDRESSES):
            _nothing_found(client, address, n)
    with indexed.app_context():
        first = learning.zero_result_demand(date(2025, 3, 1), date(2025, 4, 1))
        again = learning.zero_result_demand(date(2025, 3, 1), date(2025, 4, 1))
        alone = learning.zero_result_demand(date(2025, 3, 11), date(2025, 3, 12))
    assert first == again and len(first) == 6
    assert len({u.key for u in first}) == 6
    assert all(0 <= u.key < 2**32 for u in first)
    assert set(alone) <= set(first)  # a unit's key does not depend on the period asked for


def test_the_client_address_is_nowhere_in_the_search_log(indexed):
    client = indexed.test_client()
    for n, address in enumerate(ADDRESSES):
        _nothing_found(client, address, n)
        client.get("/search", query_string={"q": "rubež"}, environ_base={"REMOTE_ADDR": address})
    with indexed.app_context():
        rows = db.session.execute(sa.select(*SearchLog.__table__.c)).all()
        everything = [db.session.execute(sa.select(table)).all() for table in db.metadata.sorted_tables]
    assert len(rows) == 6 and all(row.visitor for row in rows)
    stored = " ".join(str(value) for table in everything for row in table for value in row)
    for address in ADDRESSES:
        assert address not in stored


def test_rows_from_before_visitor_tags_count_once_per_day_and_query(app):
    at = datetime(2025, 3, 10, 9)
    with app.app_context():
        for query, count in (("deložacija", 5), ("socialka", 2)):
            db.session.add_all(
                SearchLog(at=at, query=query, query_key=query, result_count=0, filters='{"domain": ["stanovanje"]}')
                for _ in range(count)
            )
        db.session.add(
            SearchQueryCount(query_key="deložacija", day=at.date(), example="deložacija", searches=9, zero_results=9)
        )
        db.session.add(SearchQueryCount(query_key="socialka", day=date(2025, 3, 9), example="socialka", searches=6))
        db.session.commit()
    assert _figure(app, at.date()) == (2, 2)  # socialka on the 9th found something: no unit


def test_pruning_keeps_one_unit_per_day_and_query_and_drops_the_visitor_tags(indexed, runner, monkeypatch):
    old = utcnow() - timedelta(days=200)
    monkeypatch.setattr(learning, "utcnow", lambda: old)
    client = indexed.test_client()
    for n in range(6):  # six visitors, the same query: frequent enough to be kept as a count
        client.get(
            "/search",
            query_string={"q": "xyzzyab", "domain": "stanovanje"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        )
    assert _figure(indexed, old.date()) == (6, 6)

    result = runner.invoke(args=["catalog", "prune-log", "--apply"])
    assert result.exit_code == 0, result.output
    with indexed.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchLog)) == 0
        assert db.session.scalar(sa.select(SearchQueryCount.zero_results)) == 6
    assert not {"visitor", "filters"} & set(SearchQueryCount.__table__.c.keys())
    assert _figure(indexed, old.date()) == (0, 1)  # a kept count has no filters: one unit in the total


def test_pruning_takes_whole_days_so_no_day_is_counted_both_ways(app, runner):
    oldest_kept = (utcnow() - timedelta(days=app.config["SEARCH_LOG_RETENTION_DAYS"])).date()
    with app.app_context():
        for at in (datetime.combine(oldest_kept, time(0, 0, 1)), datetime.combine(oldest_kept, time.max)):
            db.session.add_all(
                SearchLog(at=at, query="iskanje", query_key="iskanje", result_count=0, visitor=f"{n:016x}")
                for n in range(5)
            )
        db.session.commit()
    assert runner.invoke(args=["catalog", "prune-log", "--apply"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchLog)) == 10
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchQueryCount)) == 0
    assert _figure(app, oldest_kept)[1] == 5
