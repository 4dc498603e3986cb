"""The organization's page behind a referral link (/referral/<token>): no account, outside
/cases/. It shows only what the consent allows (the service, the person's first name or
initials, the note for the organization, the challenges' life domains) and lets the
organization accept, decline with a reason, or later report that work started and the outcome.

The token is a secret: responses carry `Referrer-Policy: no-referrer` and `no-store`, and the
log filter below redacts /referral/<...> paths from every log line the app and its servers write.
"""

import logging
import re

from flask import Blueprint, current_app, g, render_template, request
from flask_babel import gettext as _

from cases.access_log import AccessAction, record_access
from cases.referrals import appointments, links, services
from cases.referrals.forms import OrganizationAnswerForm
from cases.referrals.models import TRANSITIONS, LinkPurpose, NameShown, Referral
from catalog.services import term_names
from welfare.database import begin_write
from welfare.errors import DomainError
from welfare.extensions import db, limiter
from welfare.forms import show_domain_error

link_bp = Blueprint("referral_link", __name__)

DEFAULT_RATE_LIMIT = "20 per hour"
TOKEN_PATH = re.compile(r"(/referral/)[^\s\"'?#]+")
CALENDAR_PATH = re.compile(r"(/calendar/)[^\s\"'?#/]+?(\.ics)")
# Loggers that may write a request path: werkzeug's and gunicorn's access logs, the app's own
# and the 500 handler's.
REDACTED_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "welfare.errors", "flask.app")


class RedactReferralTokens(logging.Filter):
    """Replace the token in any /referral/<token> or /calendar/<token>.ics path of a log line
    with [redacted]."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/referral/" in message or "/calendar/" in message:
            message = TOKEN_PATH.sub(r"\1[redacted]", message)
            record.msg, record.args = CALENDAR_PATH.sub(r"\1[redacted]\2", message), ()
        return True


def install_log_filter(app) -> None:
    redact = RedactReferralTokens()
    for name in (*REDACTED_LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactReferralTokens) for f in logger.filters):
            logger.addFilter(redact)


def _rate_limit() -> str:
    return current_app.config.get("REFERRAL_LINK_RATE_LIMIT", DEFAULT_RATE_LIMIT)


@link_bp.after_request
def _private(response):
    # The URL is the secret: no Referer to any page the organization opens next, no caching.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


REFUSALS = {
    "tampered": (
        lambda: _("This link is not valid"),
        lambda: _(
            "The link was changed or copied incompletely. Open it again from the e-mail, exactly as it was sent."
        ),
    ),
    "unknown": (
        lambda: _("Link not found"),
        lambda: _("This link does not exist (any more). Ask the Local Welfare Office for a new one."),
    ),
    "used": (
        lambda: _("This link was already used"),
        lambda: _(
            "Each link works once, and this one has been used. If you need to send another answer, ask the Local Welfare Office for a new link."
        ),
    ),
    "expired": (
        lambda: _("This link has expired"),
        lambda: _("The link is no longer valid. Ask the Local Welfare Office for a new one."),
    ),
    "answered": (
        lambda: _("Already answered"),
        lambda: _("This referral is no longer waiting for this answer. Nothing was changed."),
    ),
}


def refused(exc: links.LinkRefused):
    title, message = REFUSALS.get(exc.reason, REFUSALS["unknown"])
    return render_template("errors/error.html", status=exc.status, title=title(), message=message()), exc.status


def person_label(referral: Referral) -> str:
    """First name, or initials, as the referral says the consent allows."""
    person = referral.case.person
    if referral.name_shown == NameShown.FIRST_NAME:
        return person.first_name
    return " ".join(f"{part[0]}." for part in (person.first_name, person.last_name) if part)


def answer_choices(referral: Referral, purpose: LinkPurpose) -> list[tuple[str, str]]:
    """The answers the organization may give now (the link page's and the partner inbox's)."""
    allowed = TRANSITIONS[referral.status]
    labels = {
        "accepted": _("We accept the referral"),
        "declined": _("We decline the referral"),
        "in_progress": _("Work with the person has started"),
        "completed": _("The work is finished"),
    }
    return [(s.value, labels[s.value]) for s in services.LINK_ACTIONS[purpose] if s in allowed]


@link_bp.route("/referral/<token>", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
def answer(token: str):
    g.no_store = True
    try:
        link = links.resolve(token[:512])
    except links.LinkRefused as exc:
        return refused(exc)
    referral = link.referral
    actions = answer_choices(referral, link.purpose)
    if not actions:
        return refused(links.LinkRefused(410, "answered"))
    form = OrganizationAnswerForm(actions=actions)
    if request.method == "GET":
        form.referral_id.data = str(referral.id)
        begin_write()
        _log_view(referral)
        db.session.commit()
    elif form.validate_on_submit():
        if form.referral_id.data != str(referral.id):
            return refused(links.LinkRefused(404, "unknown"))
        try:
            services.answer_via_link(
                link,
                form.action.data,
                reason=form.decline_reason.data or None,
                outcome=form.outcome.data or None,
                note=form.note.data or "",
                appointment=appointments.Appointment(form.appointment_at.data, form.appointment_note.data or ""),
            )
        except links.LinkRefused as exc:
            db.session.rollback()
            return refused(exc)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            return render_template("cases/referrals/org_done.html", referral=referral)
    return render_template(
        "cases/referrals/org_link.html",
        referral=referral,
        person=person_label(referral),
        domains=sorted(set(term_names([c.domain_id for c in referral.challenges]).values())),
        form=form,
        purpose=link.purpose,
        purposes=LinkPurpose,
    )


def _log_view(referral: Referral) -> None:
    # The organization read case data through its link: the person may ask who saw what.
    record_access(AccessAction.VIEW, case_id=referral.case_id, person_id=referral.case.person_id, what="referral_link")
