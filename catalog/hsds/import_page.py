"""Staff page for an HSDS import from the browser: the same check, report and re-import rules as
`flask catalog import-hsds`, with the same summary (counts per kind, first examples) on the page.

Large directories are better imported with the command (no request time limit, no upload
limit); this page is for the small packages a partner organization sends."""

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, flash, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from werkzeug.utils import secure_filename
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional

from catalog.hsds.importer import ImportFailed, import_package
from catalog.hsds.problems import write_report
from welfare.auth.decorators import staff_required
from welfare.forms import SingleLine

bp = Blueprint("hsds_import", __name__, url_prefix="/staff/catalog")

EXAMPLES = 3
# The importer names kinds of problems in English (they also go to the report file); staff read them here.
KIND_LABELS = {
    "invalid value": _l("Invalid values"),
    "missing id": _l("Rows without an id"),
    "duplicate id": _l("Duplicate ids (the first row is kept)"),
    "required value missing": _l("Required values missing"),
    "missing reference": _l("References to rows that do not exist"),
    "service without organization": _l("Services whose organization is missing"),
    "missing parent": _l("Categories whose parent is missing (made top-level)"),
    "parent cycle": _l("Categories whose parents form a cycle"),
    "duplicate link": _l("Duplicate links of a service to a location"),
    "duplicate code": _l("Duplicate category codes"),
    "schedule text instead of times": _l("Opening hours written as text"),
    "address without postal code": _l("Addresses without a postal code"),
    "not UTF-8": _l("Files not saved as UTF-8"),
    "missing column": _l("Required columns missing"),
    "unreadable row": _l("Rows that cannot be read"),
    "unreadable file": _l("Files that cannot be read"),
    "owned elsewhere": _l("Records of another source or made by staff (left unchanged)"),
}


class ImportForm(FlaskForm):
    package = FileField(
        _l("HSDS data package (.zip, .json or one .csv file)"),
        validators=[
            FileRequired(_l("Choose a file.")),
            FileAllowed(["zip", "json", "csv"], _l("Choose a .zip, .json or .csv file.")),
        ],
    )
    source = StringField(
        _l("Source (the directory it comes from; the same name for every newer export)"),
        validators=[Optional(), Length(max=200), SingleLine()],
    )
    skip_invalid = BooleanField(_l("Import the valid rows and skip the rest"))
    draft = BooleanField(_l("New organizations and services stay unpublished"), default=True)
    dry_run = BooleanField(_l("Dry run: only show what would change"), default=True)


def _sections(report) -> list[dict]:
    """The report as the page shows it: per list, kinds with counts and their first examples."""
    sections = []
    for title, issues in (
        (_("Problems found; nothing was imported"), report.errors),
        (_("Skipped or corrected"), report.skipped),
        (_("Warnings (imported as they are)"), report.warnings),
    ):
        kinds: dict[str, list] = {}
        for issue in issues:
            kinds.setdefault(issue.kind, []).append(issue)
        rows = [
            {"label": KIND_LABELS.get(kind, kind), "count": len(found), "examples": [str(i) for i in found[:EXAMPLES]]}
            for kind, found in sorted(kinds.items(), key=lambda item: -len(item[1]))
        ]
        if rows:
            sections.append({"title": title, "count": len(issues), "kinds": rows})
    return sections


@bp.route("/import", methods=["GET", "POST"])
@staff_required
def import_hsds():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.package.data
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / (secure_filename(upload.filename or "") or "package.zip")
            upload.save(path)
            refused = False
            try:
                report = import_package(
                    path,
                    skip_invalid=form.skip_invalid.data,
                    publish=not form.draft.data,
                    actor_name=current_user.username,
                    source=(form.source.data or "").strip() or None,
                    dry_run=form.dry_run.data,
                )
            except ImportFailed as exc:
                report, refused = exc.report, True
        outcome = "refused" if refused else "dry run" if form.dry_run.data else "imported"
        if report.issues:
            write_report(report, Path(current_app.config["DATA_DIR"]) / "imports", outcome)
        result = {"refused": refused, "dry_run": form.dry_run.data, "report": report, "sections": _sections(report)}
        if not refused and not form.dry_run.data:
            flash(_("The package was imported."), "success")
    return render_template("catalog/hsds/import.html", form=form, result=result)
