from functools import lru_cache

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from cases.access_log import log_reads
from cases.models import Case
from cases.work import bp, calendar, services
from cases.work.forms import RenewFeedForm
from welfare.extensions import db
from welfare.urls import public_url


def case_href(number: str) -> str:
    return url_for("intake.case", number=number)


def plan_href(number: str) -> str:
    return url_for("plans.plan", number=number)


@bp.context_processor
def _helpers():
    return {
        "case_href": case_href,
        "plan_href": plan_href,
        "day": _day_formatter(),
        "label": lru_cache(maxsize=None)(lambda member: member.label),
    }


def _day_formatter():
    """format_date, remembered per date for one page: a caseload repeats the same few dates, and
    each Babel call (locale and timezone lookups) costs more than the row around it."""
    return lru_cache(maxsize=None)(lambda day: format_date(day, "medium"))


def _logged(view: dict) -> dict:
    """The work lists show case numbers with step and deadline titles and note excerpts: each
    case shown is a read, written to the access log before the page is."""
    numbers = {row.number for rows in view.values() if isinstance(rows, list) for row in rows if hasattr(row, "number")}
    if numbers:
        shown = db.session.execute(sa.select(Case.id, Case.person_id).where(Case.number.in_(numbers))).all()
        log_reads(shown, what="work_list")
    return view


@bp.route("/")
def dashboard():
    return render_template("cases/work/dashboard.html", office=False, **_logged(services.work_view(current_user.id)))


@bp.route("/office")
def office():
    return render_template("cases/work/dashboard.html", office=True, **_logged(services.work_view(None)))


@bp.route("/calendar")
def calendar_settings():
    return _calendar_page(feed_url=None)


@bp.route("/calendar/renew", methods=["POST"])
def renew_calendar():
    """Make or renew the feed, and show its URL this once (only the token's hash is kept, so
    the page answers the POST directly instead of carrying the secret through a redirect)."""
    form = RenewFeedForm()
    if not form.validate_on_submit():
        return redirect(url_for("work.calendar_settings"))
    existed = calendar.feed_of(current_user.id) is not None
    token = calendar.renew_feed(current_user.id)
    if existed:
        flash(_("A new calendar address was made; the old one no longer works."), "success")
    else:
        flash(_("Your calendar address was made."), "success")
    return _calendar_page(feed_url=public_url("calendar_feed.feed", token=token))


def _calendar_page(feed_url: str | None):
    return render_template(
        "cases/work/calendar.html", form=RenewFeedForm(), feed=calendar.feed_of(current_user.id), feed_url=feed_url
    )
