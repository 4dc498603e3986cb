from flask import Response, render_template, request

from cases.access_log_admin import bp, services
from cases.access_log_admin.forms import AccessLogFilterForm
from welfare import audit, params
from welfare.auth.decorators import admin_required
from welfare.database import begin_write, utcnow
from welfare.extensions import db

PER_PAGE = 50
FILTER_FIELDS = ("user", "case", "date_from", "date_to", "action")


def _read_filter() -> tuple[AccessLogFilterForm, services.AccessFilter]:
    """The form as typed, and the filter to apply (only the fields that validated)."""
    form = AccessLogFilterForm(request.args)
    form.validate()
    values = {name: getattr(form, name).data for name in FILTER_FIELDS if not getattr(form, name).errors}
    values = {name: value for name, value in values.items() if value}
    return form, services.AccessFilter(**values)


@bp.get("")
@admin_required
def index():
    """Who accessed which case, when, what they did and why; filters, pages, CSV."""
    form, access_filter = _read_filter()
    page = params.paginate(services.filtered(access_filter), per_page=PER_PAGE)
    filter_args = {name: request.args[name] for name in FILTER_FIELDS if request.args.get(name)}
    return render_template(
        "cases/access_log_admin/index.html",
        form=form,
        page=page,
        numbers=services.case_numbers(page.items),
        **services.labels(),
        filter_args=filter_args,
    )


@bp.get("/export.csv")
@admin_required
def export_csv():
    """The filtered log as a CSV file; the export itself goes to the audit log."""
    _form, access_filter = _read_filter()
    text, count = services.csv_text(access_filter)
    begin_write()
    audit.record("access_log.export", detail=f"{count} rows")
    db.session.commit()
    filename = f"access-log-{utcnow():%Y%m%d-%H%M}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
