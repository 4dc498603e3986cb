from flask import render_template

from cases import bp, reports
from welfare.auth.decorators import roles_required, staff_required
from welfare.models import Role


@bp.route("/")
@staff_required
def dashboard():
    return render_template("cases/dashboard.html")


@bp.route("/trends")
@roles_required(Role.SUPERVISOR, Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER)
def trends():
    return render_template("cases/trends.html", unmet_search=reports.unmet_search_needs())
