from flask import render_template

from cases.work import bp


@bp.route("/")
def dashboard():
    return render_template("cases/work/dashboard.html")
