"""Documents on a case (/cases/<number>/documents/...): decisions, bailiff letters, medical
papers the person brings, often as a phone photo. Stored encrypted in the database (so every
backup holds them), read only by the office team, every download logged."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from cases.access import require_case_team
from cases.drafts import session_ended

bp = Blueprint("documents", __name__)
bp.before_request(require_case_team)
bp.register_error_handler(CSRFError, session_ended)  # the session ended: the draft is kept


@bp.url_value_preprocessor
def _allow_upload_size(endpoint, _values):
    """Let the upload form's body be larger than other forms' (MAX_CONTENT_LENGTH).

    URL value preprocessors run before every before_request function, so the limit is raised
    before the CSRF check reads the body. Up to twice the document limit the form answers with
    its own message (the typed title kept); beyond that the translated 413 page.
    """
    from flask import current_app, request

    if endpoint == "documents.upload":
        request.max_content_length = 2 * current_app.config["DOCUMENT_MAX_BYTES"] + 100_000


def documents_of(case_id: int):
    """The case's documents for the case page, newest first (metadata only, no file content)."""
    from cases.documents.services import list_documents

    return list_documents(case_id)


from cases.documents import history, views  # noqa: E402,F401
