"""Domain exceptions raised by services, and the HTTP error pages.

Services raise DomainError subclasses with a translated message; views turn them into
form errors or flashes. The error pages never show a stack trace.
"""

import errno
import logging
import sqlite3
import uuid

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

from welfare.extensions import db
from welfare.params import BadParameter

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A business rule said no; the message is translated and safe to show."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(DomainError):
    pass


class Conflict(DomainError):
    """Someone else changed the record in the meantime."""


class InvalidCredentials(DomainError):
    pass


# SQLITE_FULL's message, and PostgreSQL's SQLSTATE for disk_full.
_SQLITE_FULL = "database or disk is full"
_PG_DISK_FULL = "53100"


def is_disk_full(exc: BaseException | None) -> bool:
    """A write failed for want of space: a file in DATA_DIR, SQLite's file, or PostgreSQL's disk."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(exc, sqlite3.Error) and _SQLITE_FULL in str(exc):  # e.g. an online backup's copy
            return True
        orig = getattr(exc, "orig", None)
        if orig is not None and (_SQLITE_FULL in str(orig) or getattr(orig, "sqlstate", None) == _PG_DISK_FULL):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, title: str, message: str, reference: str | None = None):
    if _wants_json():
        body = {"error": title, "message": message, "status": status}
        if reference:
            body["reference"] = reference
        return jsonify(body), status
    return render_template(
        "errors/error.html", status=status, title=title, message=message, reference=reference
    ), status


def render_error_page(status: int, title: str, message: str, reference: str | None = None):
    """The error page (JSON under /api/) for handlers registered outside this module."""
    return _render(status, title, message, reference)


def register_errorhandlers(app: Flask) -> None:
    messages = {
        400: (
            lambda: _("Bad request"),
            lambda: _("The request could not be understood. Please go back and try again."),
        ),
        403: (lambda: _("Access denied"), lambda: _("You do not have permission to open this page.")),
        404: (lambda: _("Page not found"), lambda: _("The page you are looking for does not exist or has been moved.")),
        405: (lambda: _("Method not allowed"), lambda: _("This address does not accept that kind of request.")),
        413: (
            lambda: _("Request too large"),
            lambda: _(
                "What you sent is larger than this page accepts (at most %(mb)d MB). Nothing was saved; go back and send less.",
                # The request's own limit: an upload form allows more than the app-wide one.
                mb=max(1, (request.max_content_length or 0) // 1_000_000),
            ),
        ),
        429: (
            lambda: _("Too many attempts"),
            lambda: _("Too many attempts in a short time. Please wait a few minutes and try again."),
        ),
    }

    def handle_http(exc: HTTPException):
        if exc.code == 413:
            # The page's own forms (language switch, CSRF) would read the oversized body again
            # and raise anew: treat the request as having sent no form at all.
            request.__dict__.update(form=ImmutableMultiDict(), files=ImmutableMultiDict())
        title, message = messages.get(exc.code, (lambda: exc.name, lambda: exc.description or ""))
        response, status = _render(exc.code or 500, title(), message())
        if exc.code == 429:
            # Say when to come back; the limiter's own header wins when it adds one after this.
            retry_after = getattr(getattr(exc, "limit", None), "limit", None)
            seconds = retry_after.get_expiry() if retry_after is not None else 60
            response = app.make_response((response, status))
            response.headers.setdefault("Retry-After", str(seconds))
        if exc.code == 405 and getattr(exc, "valid_methods", None):
            # RFC 9110: a 405 names the methods the resource does allow.
            response = app.make_response((response, status))
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response, status

    def handle_bad_parameter(exc: BadParameter):
        if _wants_json():
            body = {"error": "bad_request", "parameter": exc.parameter, "message": exc.message, "status": 400}
            return jsonify(body), 400
        return _render(400, _("Bad request"), exc.message)

    def handle_csrf(exc: CSRFError):
        return _render(
            400,
            _("Form expired"),
            _("The form has expired or was sent from elsewhere. Go back, reload the page and send it again."),
        )

    def handle_500(exc: Exception):
        db.session.rollback()
        if is_disk_full(exc):
            # The one fault an administrator must act on at once: say so instead of "unexpected".
            log.error("Disk full, nothing saved: %s %s: %s", request.method, request.path, exc)
            return _render(
                503,
                _("The server's disk is full"),
                _(
                    "Nothing was saved. Case files cannot be opened either, because every opening must be "
                    "recorded. The public catalog and search keep working. Tell the administrator to free "
                    "space on the server, then try again."
                ),
            )
        reference = uuid.uuid4().hex[:12]
        log.exception("Unhandled error, reference %s, %s %s", reference, request.method, request.path)
        return _render(
            500,
            _("Something went wrong"),
            _(
                "An unexpected error occurred and nothing was saved. Please try again; if it keeps happening, tell the administrator this reference."
            ),
            reference,
        )

    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(BadParameter, handle_bad_parameter)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(Exception, handle_500)
