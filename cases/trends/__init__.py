"""Anonymized trend reports for supervisors and municipal policy (/trends/); never a person.

Parts: `periods` (whole-month periods), `facts` (the de-identified query layer), `store`
(the monthly fact table they fill, `models`), `changes` (the change log every case write adds
to), `stored` (the figures as reports read them), `privacy` (small-cell suppression),
`tables`/`reports`/`demand` (the report sections), `charts` (SVG), `export` (CSV/XLSX),
`views`, `cli` (`flask reports export`, `flask trends refresh`).
"""

from flask import Blueprint

bp = Blueprint("trends", __name__)

from cases.trends import referral_report, views  # noqa: E402,F401
