"""Hostile form posts for the fuzz tests (tests/functional/test_fuzz*.py): one form, read from its
page as a browser would submit it, is posted with hypothesis-chosen hostile values in one field
or every field. Never a 5xx, never the marker script unescaped, and a refused post leaves the
named tables exactly as they were."""

import urllib.parse

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.proof_helpers import read_form
from welfare.extensions import db

MARKER = "<script>x</script>"
PAYLOADS = [
    MARKER,
    f'"><{MARKER[1:]}',
    "' OR '1'='1'; DROP TABLE case_file; --",
    "x" * 6000,
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "\u202e\u200b\ufeff",
    "99999999999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "31.02.2026",
    "2026-13-45T25:61",
    "",
    "   ",
    "²",
    "١٢",
    "šđčćž ŠĐČĆŽ 🙂",
]
# Every field also gets each of these once, whatever hypothesis draws: a digit int() reads but
# is no ASCII number, and long markup.
SWEEP = ("²", MARKER * 500)
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=200), st.integers().map(str))
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def table_counts(app, tables: tuple[str, ...], at_least: int) -> dict[str, int]:
    with app.app_context():
        inspector = sa.inspect(db.engine)
        present = [t for t in tables if inspector.has_table(t)]
        assert len(present) >= at_least, present  # the names given are the real ones
        return {t: db.session.scalar(sa.text(f'SELECT COUNT(*) FROM "{t}"')) for t in present}


def encode(fields: dict[str, list[str]], raw_field: str | None) -> bytes:
    """The form body; `raw_field` gets bytes that are not UTF-8 at all."""
    body = urllib.parse.urlencode(fields, doseq=True)
    if raw_field:
        body += f"&{urllib.parse.quote(raw_field)}=%FF%FE%C0%AF%ED%A0%80"
    return body.encode()


def fuzz_form(app, client, label: str, page_path: str, target: str, counts) -> None:
    """Post the form on `page_path` (posting to `target`) with hostile values; `counts()` gives
    the row counts a refused post must leave unchanged."""
    page = client.get(page_path)
    assert page.status_code == 200, (page_path, page.status_code)
    fields = read_form(page.get_data(as_text=True), target, page_path.split("?")[0])
    names = sorted(n for n in fields if n != "csrf_token")
    assert names, f"{label}: no fields found"
    query = "?" + page_path.split("?")[1] if "?" in page_path else ""

    def post(which, value, raw_bytes):
        data = {k: list(v) for k, v in fields.items()}
        for name in names if which == "*every field*" else [which]:
            data[name] = [value]
        before = counts()
        response = client.post(
            target + query,
            data=encode(data, which if raw_bytes else None),
            content_type="application/x-www-form-urlencoded",
        )
        html = response.get_data(as_text=True)
        assert response.status_code < 500, (label, which, value[:80], response.status_code)
        assert MARKER not in html, (label, which)
        # Accepted is a redirect, or a page with a success message; anything else is a refusal.
        accepted = response.status_code == 302 or 'class="flash flash-success"' in html
        if not accepted:
            assert counts() == before, f"{label}: refused ({response.status_code}) but rows changed"
        elif response.status_code == 302:
            follow = client.get(response.headers["Location"])
            assert follow.status_code < 500 and MARKER not in follow.get_data(as_text=True)

    for name in names:
        for value in SWEEP:
            post(name, value, False)
    FUZZ(given(which=st.sampled_from([*names, "*every field*"]), value=hostile, raw_bytes=st.booleans())(post))()
