from flask import render_template

from cases.trends import bp, services
from welfare.auth.decorators import roles_required
from welfare.models import Role


@bp.route("/")
@roles_required(Role.SUPERVISOR, Role.ADMIN, Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER)
def index():
    return render_template("trends/index.html", unmet_search=services.unmet_search_needs())
