"""Trend report pages: thin views over `reports` (tables), `charts` (SVG) and `export`.

Nothing here links to a case or a person: every number comes from `figures` (de-identified
rows) through `privacy`, for months that have ended.
"""

from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _

from cases.models import Gender
from cases.trends import bp, charts, export, reports, units
from cases.trends.figures import Filters
from cases.trends.periods import KINDS, MAX_CUSTOM_MONTHS, Period, PeriodError, last_reported_month, make_period
from cases.trends.privacy import display
from cases.trends.reports import age_categories
from cases.trends.tables import domain_categories, min_cell
from catalog.seed import reference_data
from welfare import params
from welfare.auth.decorators import roles_required
from welfare.clock import today
from welfare.models import Role

VIEWERS = (Role.SUPERVISOR, Role.ADMIN, Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER)


def requested_period() -> Period:
    """The period in the query string (default: this quarter).

    :raise params.BadParameter: a start or end that cannot be a period (a translated 400).
    """
    kind = params.choice("period", KINDS, "quarter")
    try:
        return make_period(kind, params.text("start", 10) or None, params.text("end", 10) or None, today())
    except PeriodError as error:
        raise params.BadParameter(error.field, period_error_message(error)) from None


def period_error_message(error: PeriodError) -> str:
    reason = str(error)
    if reason == "order":
        return _("The end of a custom range cannot come before its start.")
    if reason == "length":
        return _("A custom range can span at most %(n)d months.", n=MAX_CUSTOM_MONTHS)
    if reason == "range":
        return _("“%(name)s” must be a month between 2000-01 and 2100-12.", name=error.field)
    return _("“%(name)s” must be a month written as YYYY-MM.", name=error.field)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers (value, label)."""
    return {
        "domain": domain_categories(),
        "municipality": [(m, m) for m in reference_data()["service_areas"]["municipalities"]],
        "age_band": age_categories(),
        "gender": [(g.value, g.label) for g in Gender],
    }


def requested_filters() -> Filters:
    """The filters in the query string; a value not on offer (a stale link) is no filter."""
    choices = filter_choices()
    return Filters(
        **{name: params.choice(name, [v for v, _label in options], None) for name, options in choices.items()}
    )


def period_kind_label(kind: str) -> str:
    return {
        "month": _("Month"),
        "quarter": _("Quarter"),
        "year": _("Year"),
        "custom": _("Custom range (whole months)"),
    }[kind]


def filter_label(name: str, value: str) -> str:
    """The label of a filter's value, for the printed report's heading."""
    return dict(filter_choices()[name]).get(value, value)


@bp.context_processor
def report_helpers():
    return {
        "display": display,
        "period_kind_label": period_kind_label,
        "perturbation_note": export.perturbation_note,
        "filter_label": filter_label,
        "report_args": lambda period, filters: period.query() | filters.query(),
    }


def get_section_or_404(key: str) -> reports.Section:
    """:raise 404: no report section with this key."""
    section = reports.SECTIONS.get(key)
    if section is None:
        abort(404)
    return section


def section_url(key: str, period: Period, filters: Filters | None = None) -> str:
    args = period.query() | (filters.query() if filters else {})
    if key == "people":
        return url_for("trends.index", **args)
    return url_for("trends.section", section_key=key, **args)


def shown_period(period: Period) -> Period | None:
    """The part of the period that is reported: its months that have ended."""
    return period.until(last_reported_month(today()))


def _tables(section: reports.Section, period: Period, filters: Filters) -> list:
    shown = shown_period(period)
    if shown is None:
        return []
    units.ensure_built()
    return section.build(shown, filters)


def _page(section: reports.Section, period: Period):
    k = min_cell()
    filters = requested_filters()
    tables = _tables(section, period, filters)
    return render_template(
        "cases/trends/section.html",
        sections=reports.SECTIONS.values(),
        section=section,
        period=period,
        shown=shown_period(period),
        filters=filters,
        choices=filter_choices(),
        kinds=KINDS,
        figures=[(table, charts.bar_chart(table)) for table in tables],
        k=k,
        section_url=section_url,
    )


@bp.route("/")
@roles_required(*VIEWERS)
def index():
    return _page(reports.SECTIONS["people"], requested_period())


@bp.route("/<section_key>")
@roles_required(*VIEWERS)
def section(section_key: str):
    return _page(get_section_or_404(section_key), requested_period())


@bp.route("/report")
@roles_required(*VIEWERS)
def report():
    """Every section on one printable page."""
    period = requested_period()
    filters = requested_filters()
    parts = [
        (section, [(table, charts.bar_chart(table)) for table in _tables(section, period, filters)])
        for section in reports.SECTIONS.values()
    ]
    return render_template(
        "cases/trends/report.html",
        parts=parts,
        period=period,
        shown=shown_period(period),
        filters=filters,
        k=min_cell(),
    )


def _download_tables(period: Period) -> tuple[str, list]:
    key = params.choice("section", [*reports.SECTIONS, "all"], "all")
    chosen = reports.SECTIONS.values() if key == "all" else [reports.SECTIONS[key]]
    filters = requested_filters()
    return key, [(section, table) for section in chosen for table in _tables(section, period, filters)]


def _filename(key: str, period: Period, extension: str) -> str:
    return f"trends-{key}-{period.start:%Y-%m}-{period.months}m.{extension}"


@bp.route("/export.csv")
@roles_required(*VIEWERS)
def export_csv():
    period = requested_period()
    key, tables = _download_tables(period)
    return Response(
        "\ufeff" + export.csv_text(tables, requested_filters()),  # the BOM lets Excel read č/š/ž
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={_filename(key, period, 'csv')}"},
    )


@bp.route("/export.xlsx")
@roles_required(*VIEWERS)
def export_xlsx():
    period = requested_period()
    key, tables = _download_tables(period)
    return Response(
        export.xlsx_bytes(tables, _("Trend reports")),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename={_filename(key, period, 'xlsx')}"},
    )
