"""Documents: check an upload, store it, list, serve and delete."""

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from cases.access_log import AccessAction, record_access
from cases.documents.models import CaseDocument, seal
from cases.models import Case
from welfare.errors import ValidationFailed
from welfare.extensions import db
from welfare.models import User

# The first bytes of each accepted kind of file. The file's name and the browser's content type
# are the sender's word; these bytes are what a viewer will actually open.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)

# Why a document is deleted; the access log keeps the key, never a typed reason (no free text
# about a person in the log).
DELETE_REASONS = {
    "wrong_case": _l("Uploaded to the wrong case"),
    "duplicate": _l("A duplicate of another document"),
    "unreadable": _l("Unreadable, a better copy was uploaded"),
    "not_needed": _l("No longer needed for the work on the case"),
    "person_asked": _l("The person asked for it to be removed"),
}


def sniff(head: bytes) -> str | None:
    """The content type these first bytes show, or None for anything not PDF, PNG or JPEG."""
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def max_bytes() -> int:
    return int(current_app.config["DOCUMENT_MAX_BYTES"])


def read_upload(stream) -> tuple[bytes, str]:
    """The uploaded file's bytes and its sniffed content type.

    :raise ValidationFailed: empty, larger than DOCUMENT_MAX_BYTES, or not a PDF/JPEG/PNG.
    """
    limit = max_bytes()
    data = stream.read(limit + 1) if stream else b""
    if not data:
        raise ValidationFailed(_("Choose a file to upload."), "file")
    if len(data) > limit:
        raise ValidationFailed(
            _(
                "The file is larger than %(mb)d MB. Take the photo again at a lower resolution or "
                "scan fewer pages, then choose it again.",
                mb=max(1, limit // 1_000_000),
            ),
            "file",
        )
    content_type = sniff(data[:16])
    if content_type is None:
        raise ValidationFailed(_("Only PDF files and JPEG or PNG pictures can be uploaded."), "file")
    return data, content_type


def add_document(case: Case, title: str, note: str, stream, actor: User) -> CaseDocument:
    """Store the uploaded file on the case and log the change; commits.

    :raise ValidationFailed: the file is refused (see read_upload).
    """
    data, content_type = read_upload(stream)
    document = CaseDocument(
        case_id=case.id,
        title=title.strip(),
        note=(note or "").strip(),
        content_type=content_type,
        size=len(data),
        content=b"",
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()  # the row's id is part of the file's associated data
    document.content = seal(document.id, data)
    record_access(AccessAction.CREATE, case_id=case.id, person_id=case.person_id, what="document", user=actor)
    db.session.commit()
    return document


def list_documents(case_id: int) -> list[CaseDocument]:
    """Metadata of the case's documents, newest first (the content stays deferred)."""
    return list(
        db.session.scalars(
            sa.select(CaseDocument)
            .where(CaseDocument.case_id == case_id)
            .order_by(CaseDocument.uploaded_at.desc(), CaseDocument.id.desc())
        )
    )


def delete_document(document: CaseDocument, reason: str, actor: User) -> None:
    """Delete the document and log who did it and why (a reason key); commits.

    :raise ValidationFailed: no reason from DELETE_REASONS chosen.
    """
    if reason not in DELETE_REASONS:
        raise ValidationFailed(_("Choose why the document is deleted."), "reason")
    case = document.case
    db.session.delete(document)
    record_access(
        AccessAction.EDIT,
        case_id=case.id,
        person_id=case.person_id,
        what="document_deleted",
        purpose=reason,
        user=actor,
    )
    db.session.commit()


def download_name(document: CaseDocument, case: Case) -> str:
    """The file name of a download: the case number and the document's id, never its title (a
    downloads folder on a shared computer is not the place for a person's matters)."""
    return f"{case.number}-document-{document.id}.{document.extension}"
