"""The partner's monthly statement (/partner/statement): its own organization's referrals of one
month, as the trend reports count and protect them (`cases.trends.statements`), on the page and
as CSV or XLSX. The organization is the partner's own, never one named in the URL, so no other
organization's statement can be asked for; every download is written to the audit log."""

from flask import Response, render_template
from flask_login import current_user

from cases.partners import bp
from cases.trends import statements as statement
from catalog.models import Organization
from welfare import audit
from welfare.clock import today
from welfare.extensions import db


def _organization() -> Organization:
    return db.session.get(Organization, current_user.partner_organization_id)


@bp.route("/statement")
def statement_page():
    period = statement.requested_month(today())
    organization = _organization()
    return render_template(
        "cases/partners/statement.html",
        organization=organization,
        tables=statement.statement_tables(organization.id, period, today()),
        **statement.page_context(period, today()),
    )


def _audited_download(extension: str):
    """The organization, the month and its tables; the download is audited and committed here
    (the download is the user action)."""
    period = statement.requested_month(today())
    organization = _organization()
    tables = statement.statement_tables(organization.id, period, today())
    audit.record(
        "partner_statement_download",
        object_type="organization",
        object_id=organization.id,
        detail=f"{period.label} {extension}",
    )
    db.session.commit()
    return organization, period, tables


@bp.route("/statement.csv")
def statement_csv():
    organization, period, tables = _audited_download("csv")
    return Response(
        statement.csv_text(tables, organization.id),
        mimetype="text/csv",
        headers={"Content-Disposition": statement.attachment(organization.id, period, "csv")},
    )


@bp.route("/statement.xlsx")
def statement_xlsx():
    organization, period, tables = _audited_download("xlsx")
    return Response(
        statement.xlsx_bytes(tables, organization.name, period),
        mimetype=statement.XLSX_MIMETYPE,
        headers={"Content-Disposition": statement.attachment(organization.id, period, "xlsx")},
    )
