from flask import render_template, request

from cases.history import bp
from cases.history.forms import HistoryFilterForm
from cases.history.registry import history_of
from cases.services import get_case_or_404
from welfare.clock import local_time


@bp.get("/<number>/history")
def history(number: str):
    """Everything that happened on the case, newest first; `?kind=` narrows it to one kind."""
    case = get_case_or_404(number)  # writes the access-log row of this read
    form = HistoryFilterForm(request.args)
    kind = form.kind.data if request.args and form.validate() else ""
    return render_template(
        "cases/history/history.html",
        case=case,
        form=form,
        kind=kind,
        events=history_of(case, kind or None),
        local_time=local_time,
    )
