"""Anonymized trend reports for supervisors and municipal policy (/trends/); never a person.

Read straight through: `units` turns each case and referral into a de-identified row
(`models`) whenever a case service announces a change (`cases.events`); `figures` counts
those rows (and challenges, anonymous contacts, unmet needs) per category and month, each
count with its cell key; `privacy` perturbs every published cell (cell-key method);
`periods` says which months are reported and how a range is made of blocks;
`tables`/`reports`/`referral_report`/`demand` are the report sections; `charts` (SVG),
`export` (CSV/XLSX), `views`, `cli` (`flask reports export`, `flask trends rebuild|check`);
`statements` narrows the referral figures to one organization and month (the partners' monthly
statement; the office's pages in `statement_views`).
"""

from flask import Blueprint

bp = Blueprint("trends", __name__)

from cases.trends import referral_report, statement_views, views  # noqa: E402,F401
