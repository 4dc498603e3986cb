"""Upload, download and delete a document on a case. Only the office team reaches these
(`require_case_team`); every page and download writes its access-log row (get_case_or_404)."""

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.documents import bp, services
from cases.documents.forms import DeleteForm, UploadForm
from cases.documents.models import CaseDocument
from cases.services import get_case_or_404, get_child_or_404
from welfare.errors import DomainError
from welfare.forms import show_domain_error


def _back(case):
    return redirect(url_for("intake.case", number=case.number) + "#documents-heading")


@bp.route("/<number>/documents/new", methods=["GET", "POST"])
def upload(number: str):
    case = get_case_or_404(number)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            services.add_document(case, form.title.data, form.note.data, form.file.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)  # the title and note stay; a browser never refills a file field
        else:
            flash(_("Document saved."), "success")
            return _back(case)
    return render_template(
        "cases/documents/upload.html", case=case, form=form, max_mb=max(1, services.max_bytes() // 1_000_000)
    )


@bp.get("/<number>/documents/<int:document_id>")
def download(number: str, document_id: int):
    """The file as it was uploaded, as an attachment (never shown inline by the browser)."""
    case = get_case_or_404(number)
    document = get_child_or_404(CaseDocument, document_id, CaseDocument.case_id == case.id)
    return Response(
        document.file,
        mimetype=document.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{services.download_name(document, case)}"',
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
            "Content-Security-Policy": "default-src 'none'; sandbox",
        },
    )


@bp.route("/<number>/documents/<int:document_id>/delete", methods=["GET", "POST"])
def delete(number: str, document_id: int):
    case = get_case_or_404(number)
    document = get_child_or_404(CaseDocument, document_id, CaseDocument.case_id == case.id)
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            services.delete_document(document, form.reason.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Document deleted."), "success")
            return _back(case)
    return render_template("cases/documents/delete.html", case=case, document=document, form=form)
