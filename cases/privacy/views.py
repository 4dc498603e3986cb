"""The data-subject export (GDPR Art. 15) for the office team: a purpose form, then the printable
page or the JSON download. Both record an EXPORT in the case access log."""

import json
import tempfile
import zipfile
from datetime import date, datetime

from flask import Response, render_template, request, send_file
from flask_babel import format_date, format_datetime
from flask_login import current_user

from cases.privacy import bp
from cases.privacy.export import build_export, document_files, record_export
from cases.privacy.forms import ExportForm
from cases.services import get_person_or_404
from welfare.database import begin_write, utcnow
from welfare.extensions import db


def _validated_form(person) -> ExportForm | None:
    """The purpose form from the query string; None when it is valid and the export is logged."""
    form = ExportForm(request.args)
    if not request.args or not form.validate():
        return form
    begin_write()
    record_export(person, form.purpose.data, current_user)
    db.session.commit()
    return None


def when(value: str | None) -> str:
    """An export's ISO day or local time with offset, as the reader's language writes it."""
    if not value:
        return "—"
    if "T" in value:
        return format_datetime(datetime.fromisoformat(value), "short")  # the offset says the zone
    return format_date(date.fromisoformat(value), "medium")


@bp.get("/persons/<int:person_id>/export")
def export_form(person_id: int):
    """Ask why the person's data is exported (the answer goes to the access log)."""
    person = get_person_or_404(person_id)
    return render_template("cases/privacy/export_form.html", person=person, form=ExportForm())


@bp.get("/persons/<int:person_id>/export/view")
def export_page(person_id: int):
    """Everything held about the person, readable and printable."""
    person = get_person_or_404(person_id)
    form = _validated_form(person)
    if form is not None:
        return render_template("cases/privacy/export_form.html", person=person, form=form)
    return render_template("cases/privacy/export.html", person=person, data=build_export(person), when=when)


@bp.get("/persons/<int:person_id>/export.json")
def export_json(person_id: int):
    """The same export as a JSON file."""
    person = get_person_or_404(person_id)
    form = _validated_form(person)
    if form is not None:
        return render_template("cases/privacy/export_form.html", person=person, form=form)
    text = json.dumps(build_export(person), ensure_ascii=False, indent=2, default=str)
    # No name in the file name: downloads lists and browser histories are not the place for it.
    filename = f"export-person-{person.id}-{utcnow():%Y%m%d}.json"
    return Response(
        text,
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@bp.get("/persons/<int:person_id>/export.zip")
def export_zip(person_id: int):
    """The JSON export and the files of the person's documents (photos, PDFs) in one archive."""
    person = get_person_or_404(person_id)
    form = _validated_form(person)
    if form is not None:
        return render_template("cases/privacy/export_form.html", person=person, form=form)
    text = json.dumps(build_export(person), ensure_ascii=False, indent=2, default=str)
    # Spooled: small archives stay in memory, large ones go to a temp file (removed when closed).
    archive = tempfile.SpooledTemporaryFile(max_size=20_000_000)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("export.json", text)
        for path, content in document_files(person):
            bundle.writestr(path, content, compress_type=zipfile.ZIP_STORED)  # photos and PDFs are compressed already
    archive.seek(0)
    response = send_file(
        archive,
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"export-person-{person.id}-{utcnow():%Y%m%d}.zip",
    )
    response.headers["Cache-Control"] = "no-store"
    return response
