"""Anonymized trend reports for supervisors and municipal policy (/trends/); never a person.

Parts: `periods` (whole-month periods), `facts` (the de-identified query layer), `privacy`
(small-cell suppression), `tables`/`reports`/`demand` (the report sections), `charts` (SVG),
`export` (CSV/XLSX), `views`, `cli` (`flask reports export`).
"""

from flask import Blueprint

bp = Blueprint("trends", __name__)

from cases.trends import referral_report, views  # noqa: E402,F401
