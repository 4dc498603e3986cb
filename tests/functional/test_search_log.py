"""What residents type into the search box: scrubbed before storage, raw rows kept for a short
period, then only counts of frequent queries; insights show a query once seen k times."""

from datetime import timedelta

import sqlalchemy as sa

from catalog.learning import services as learning
from catalog.search import SearchLog, SearchQueryCount
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import Role


def test_a_query_with_an_email_a_phone_and_an_emso_is_stored_scrubbed(app, client):
    from catalog.search import index as search_index
    from tests.factories import make_service

    with app.app_context():
        make_service(name="Pomoč pri rubežu", description="Rubež in dolgovi.")
        db.session.commit()
        search_index.rebuild()
    client.get("/search?q=janez.novak@gmail.com 041 123 456 0101990500123 rubež")
    with app.app_context():
        entry = db.session.scalar(sa.select(SearchLog))
    assert entry.query == "[e-mail] [phone] [emso] rubež"
    assert "janez" not in entry.query_key and "041" not in entry.query_key


def _searches(app, query: str, count: int, days_ago: int, result_count: int = 3) -> None:
    with app.app_context():
        at = utcnow() - timedelta(days=days_ago)
        db.session.add_all(
            SearchLog(at=at, query=query, query_key=query, result_count=result_count) for _ in range(count)
        )
        db.session.commit()


def test_insights_show_a_rare_query_only_once_seen_k_times(app, login_as):
    staff = login_as(Role.ORGANIZER)
    _searches(app, "redko iskanje", 4, days_ago=1)
    assert "redko iskanje" not in staff.get("/staff/catalog/insights").get_data(as_text=True)
    _searches(app, "redko iskanje", 1, days_ago=1)
    assert "redko iskanje" in staff.get("/staff/catalog/insights").get_data(as_text=True)


def test_pruning_keeps_the_figures_of_frequent_queries(app, runner):
    _searches(app, "deložacija", 6, days_ago=200, result_count=0)
    _searches(app, "deložacija", 2, days_ago=10, result_count=0)
    _searches(app, "socialka", 7, days_ago=120)
    _searches(app, "janez novak", 2, days_ago=150)  # rare: dropped for good
    with app.app_context():
        before = learning.insights(365)
        zero_before = learning.zero_result_count(utcnow() - timedelta(days=365), utcnow())

    dry = runner.invoke(args=["catalog", "prune-log"])
    assert dry.exit_code == 0 and "Dry run" in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchLog)) == 17

    result = runner.invoke(args=["catalog", "prune-log", "--apply"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchLog)) == 2
        assert set(db.session.scalars(sa.select(SearchQueryCount.query_key))) == {"deložacija", "socialka"}
        after = learning.insights(365)
        assert after["top"] == before["top"] and after["zero"] == before["zero"]
        assert [r.query_key for r in after["top"]] == ["deložacija", "socialka"]
        assert learning.zero_result_count(utcnow() - timedelta(days=365), utcnow()) == zero_before
