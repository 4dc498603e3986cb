"""Read trend reports back the way a council member would: from the CSV download."""

import csv
import io


def csv_tables(text: str) -> dict[str, dict[str, list[str]]]:
    """{table title: {row label: [cells]}} from a page's CSV download (header row under "")."""
    tables: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in csv.reader(io.StringIO(text.lstrip("\ufeff"))):
        if not line:
            current = None
        elif current is None:
            current = tables.setdefault(line[0], {})
            current["__header__"] = None
        elif current.get("__header__") is None:
            current["__header__"] = line[1:]
        else:
            current[line[0]] = line[1:]
    return tables


def download(client, section: str, **period) -> dict[str, dict[str, list[str]]]:
    response = client.get("/trends/export.csv", query_string={"section": section, **period})
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return csv_tables(response.get_data(as_text=True))
