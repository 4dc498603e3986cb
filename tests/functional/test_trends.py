"""Supervisors see anonymized figures only, with small cells suppressed."""

from catalog.search.models import SearchLog
from welfare.extensions import db
from welfare.models import Role


def _searches(app, count: int, query: str) -> None:
    with app.app_context():
        db.session.add_all(SearchLog(query=query, query_key=query, result_count=0) for _ in range(count))
        db.session.commit()


def test_unmet_search_needs_are_counted_without_text(app, login_as):
    _searches(app, 7, "Janez Novak rubež")
    html = login_as(Role.SUPERVISOR).get("/trends/").get_data(as_text=True)
    assert "Unmet needs: catalog searches with no result" in html
    assert "<td>7</td>" in html
    assert "Janez" not in html and "rubež" not in html  # free text never reaches a report


def test_small_counts_are_suppressed(app, login_as):
    _searches(app, 3, "redko iskanje")
    html = login_as(Role.SUPERVISOR).get("/trends/").get_data(as_text=True)
    assert "fewer than 5" in html and "<td>3</td>" not in html
