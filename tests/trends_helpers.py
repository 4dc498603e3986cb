"""Read trend reports back the way a council member would: the CSV download, in pandas; and
the figure a set of records must be published as (the method's rule applied to the records
the test made, so a test checks the counting, the keys and the perturbation together)."""

import io

import pandas as pd

from cases.trends.privacy import Count, perturb

K = 5


def frame(client, section: str, **params) -> pd.DataFrame:
    """The section's CSV download, read by pandas without options."""
    response = client.get("/trends/export.csv", query_string={"section": section, **params})
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return pd.read_csv(io.StringIO(response.get_data(as_text=True)))


def cells(df: pd.DataFrame, table: str, row: str) -> list:
    """A row's published values, column by column (None where a median is not shown)."""
    rows = df[(df["table"] == table) & (df["row"].astype(str) == row)]
    assert len(rows), f"no row {row!r} in {table!r}"
    return [None if pd.isna(v) else (int(v) if float(v).is_integer() else float(v)) for v in rows["value"]]


def columns(df: pd.DataFrame, table: str) -> list[str]:
    return list(dict.fromkeys(df[df["table"] == table]["column"]))


def published(*blocks) -> int:
    """The published figure of a period made of aligned blocks, each a list of records (with
    a `record_key`): the sum of each block's perturbed count."""
    total = 0
    for records in blocks:
        count = sum((Count(1, record.record_key) for record in records), Count())
        total += perturb(count, K)
    return total
