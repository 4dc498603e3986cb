"""Property: random corruption of a valid HSDS package (dropped columns, duplicated ids, dangling
references, shuffled rows, broken encodings, emptied cells) never crashes the importer and never
leaves a half-written catalog: with --skip-invalid the valid subset is written whole; without it
the package is either written whole or refused with the database unchanged."""

import csv
import io
import random
import shutil
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.hsds.importer import ImportFailed, import_package
from catalog.hsds.tables import TABLES
from welfare.extensions import db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "hsds"
BASES = {
    "1.1": FIXTURES / "defects" / "valid",
    "3.0": FIXTURES / "hsds-3.0-examples" / "csv",
}


def load(folder: Path) -> dict[str, list[list[str]]]:
    return {
        p.name: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig"), newline="")))
        for p in sorted(folder.glob("*.csv"))
    }


# One corruption: (kind, which file, a random number that picks rows, columns and bytes).
corruption = st.tuples(
    st.sampled_from(["drop_column", "duplicate_row", "dangle", "shuffle", "encoding", "garble", "empty_cell"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=2**32),
)


def corrupt(tables: dict[str, list[list[str]]], plan) -> dict[str, bytes]:
    """The package's files as bytes after applying every corruption in plan."""
    tables = {name: [list(r) for r in rows] for name, rows in tables.items()}
    names = sorted(tables)
    encodings = {name: "utf-8" for name in names}
    garbled: dict[str, list[int]] = {name: [] for name in names}
    for kind, which, seed in plan:
        rnd = random.Random(seed)
        name = names[which % len(names)]
        rows = tables[name]
        header, body = rows[0], rows[1:]
        if kind == "drop_column" and header:
            column = rnd.randrange(len(header))
            tables[name] = [[c for i, c in enumerate(r) if i != column] for r in rows]
        elif kind == "duplicate_row" and body:
            copy = list(rnd.choice(body))
            if len(copy) > 1:  # the same id with another name, as real exports have
                copy[1] = copy[1] + " (dvojnik)"
            body.insert(rnd.randrange(len(body) + 1), copy)
            tables[name] = [header, *body]
        elif kind == "dangle" and body:
            row = rnd.choice(body)
            refs = [i for i, h in enumerate(header) if h.endswith("_id") and i < len(row)]
            if refs:
                row[rnd.choice(refs)] = f"missing-{seed % 97}"
        elif kind == "shuffle":  # every file: children before parents, links before what they link
            for other, other_rows in tables.items():
                other_body = other_rows[1:]
                rnd.shuffle(other_body)
                tables[other] = other_rows[:1] + other_body
        elif kind == "encoding":
            encodings[name] = rnd.choice(["cp1250", "latin-1", "utf-8-sig", "utf-16"])
        elif kind == "garble":
            garbled[name].append(seed)
        elif kind == "empty_cell" and body:
            row = rnd.choice(body)
            if row:
                row[rnd.randrange(len(row))] = ""
    files = {}
    for name in names:
        out = io.StringIO()
        csv.writer(out, lineterminator=random.Random(len(name)).choice(["\n", "\r\n"])).writerows(tables[name])
        data = bytearray(out.getvalue().encode(encodings[name], errors="replace"))
        for seed in garbled[name]:
            if data:
                data[seed % len(data)] = 0x80 + seed % 0x80
        files[name] = bytes(data)
    return files


def wipe_catalog() -> None:
    for table in reversed(TABLES):
        db.session.execute(sa.delete(table.model))
    db.session.commit()


def counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t.model)) for t in TABLES}


@pytest.mark.parametrize("base", sorted(BASES))
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(corruption, min_size=1, max_size=6), skip_invalid=st.booleans())
def test_corrupted_packages_never_crash_nor_half_write(app, base, plan, skip_invalid):
    app.config["SEARCH_INDEX_ENABLED"] = False  # the index is not what this property is about
    files = corrupt(load(BASES[base]), plan)
    folder = Path(tempfile.mkdtemp(prefix="hsds-prop-"))
    try:
        for name, data in files.items():
            (folder / name).write_bytes(data)
        with app.app_context():
            wipe_catalog()
            try:
                report = import_package(folder, skip_invalid=skip_invalid)
            except ImportFailed as failed:
                assert not skip_invalid, "with --skip-invalid a package is never refused as a whole"
                assert failed.report.errors
                db.session.rollback()
                assert not any(counts().values()), "a refused package must leave nothing behind"
                return
            written = {name: n for name, n in report.written.items() if n}
            # A fresh catalog: everything written is there, nothing else (no half-written table).
            assert {name: n for name, n in counts().items() if n} == written
            if not skip_invalid:
                assert not report.errors and not report.skipped
    finally:
        shutil.rmtree(folder, ignore_errors=True)
