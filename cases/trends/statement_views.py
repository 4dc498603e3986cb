"""The office's view of the organizations' monthly statements (/trends/statements): which
organizations have one for a month and whether it was mailed, and each statement exactly as its
partner sees and downloads it. For everyone who reads the trend reports (`views.VIEWERS`):
the statements are trend figures narrowed to one organization, under the same protection."""

from flask import Response, abort, render_template

from cases.trends import bp
from cases.trends import statements as statement
from cases.trends.views import VIEWERS
from catalog.models import Organization
from welfare.auth.decorators import roles_required
from welfare.clock import today
from welfare.extensions import db


def get_organization_or_404(org_id: str) -> Organization:
    """:raise 404: no such organization."""
    organization = db.session.get(Organization, org_id[:64])
    if organization is None:
        abort(404)
    return organization


@bp.route("/statements")
@roles_required(*VIEWERS)
def statements():
    period = statement.requested_month(today())
    return render_template(
        "cases/trends/statements.html",
        rows=statement.organizations_with_statement(period, today()),
        sent=statement.sent_on(period),
        **statement.page_context(period, today()),
    )


@bp.route("/statements/<org_id>")
@roles_required(*VIEWERS)
def organization_statement(org_id: str):
    organization = get_organization_or_404(org_id)
    period = statement.requested_month(today())
    return render_template(
        "cases/trends/statement.html",
        organization=organization,
        tables=statement.statement_tables(organization.id, period, today()),
        **statement.page_context(period, today()),
    )


@bp.route("/statements/<org_id>/export.csv")
@roles_required(*VIEWERS)
def statement_csv(org_id: str):
    organization = get_organization_or_404(org_id)
    period = statement.requested_month(today())
    return Response(
        statement.csv_text(statement.statement_tables(organization.id, period, today()), organization.id),
        mimetype="text/csv",
        headers={"Content-Disposition": statement.attachment(organization.id, period, "csv")},
    )


@bp.route("/statements/<org_id>/export.xlsx")
@roles_required(*VIEWERS)
def statement_xlsx(org_id: str):
    organization = get_organization_or_404(org_id)
    period = statement.requested_month(today())
    tables = statement.statement_tables(organization.id, period, today())
    return Response(
        statement.xlsx_bytes(tables, organization.name, period),
        mimetype=statement.XLSX_MIMETYPE,
        headers={"Content-Disposition": statement.attachment(organization.id, period, "xlsx")},
    )
