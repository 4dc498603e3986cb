"""Staff pages of the learning portal: search insights, thesaurus, pins, index health."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog import search as search_index
from catalog.labels import facet_labels
from catalog.learning import bp, phrases
from catalog.learning import services as learning
from catalog.learning.forms import PinForm, ProposalForm, SynonymForm, TeachSynonymForm
from catalog.models import Service
from catalog.search import SearchPin, SynonymGroup
from welfare import params
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error


@bp.route("/insights")
def insights():
    days = params.integer_choice("days", (7, 30, 90, 365), 90)
    return render_template(
        "catalog/learning/insights.html",
        data=learning.insights(days),
        proposals=phrases.proposals(days),
        proposal_form=ProposalForm(),
        domain_names=facet_labels().get("domain", {}),
        teach_form=TeachSynonymForm(),
        pin_form=PinForm(),
        pins=db.session.scalars(sa.select(SearchPin).order_by(SearchPin.query_key)).all(),
        # Only the two columns the pin menu and the pin list show, not whole services.
        services=dict(db.session.execute(sa.select(Service.id, Service.name)).all()),
    )


def _teach(form, action, success: str):
    """Run one teach action from the insights page and report back there."""
    if form.validate_on_submit():
        try:
            action(form)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(success, "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("learning.insights"))


@bp.route("/insights/synonym", methods=["POST"])
def teach_synonym():
    return _teach(
        TeachSynonymForm(),
        lambda f: learning.add_to_synonyms(f.words.data, f.group_id.data or None, current_user),
        _("The search now treats these words as synonyms."),
    )


@bp.route("/insights/pin", methods=["POST"])
def pin_service():
    return _teach(
        PinForm(),
        lambda f: learning.pin(f.words.data, f.service_id.data, current_user),
        _("The service will be shown first for this search."),
    )


@bp.route("/insights/pin/<int:pin_id>/delete", methods=["POST"])
def unpin_service(pin_id: int):
    learning.unpin(pin_id)
    flash(_("Pin removed."), "success")
    return redirect(url_for("learning.insights"))


@bp.route("/synonyms")
def synonyms():
    groups = db.session.scalars(sa.select(SynonymGroup).order_by(SynonymGroup.id)).all()
    return render_template("catalog/learning/synonyms.html", groups=groups)


@bp.route("/synonyms/new", methods=["GET", "POST"])
@bp.route("/synonyms/<int:group_id>", methods=["GET", "POST"])
def edit_synonyms(group_id: int | None = None):
    group = db.get_or_404(SynonymGroup, group_id) if group_id else None
    form = SynonymForm(obj=group)
    if form.validate_on_submit():
        try:
            learning.save_group(group, form.terms.data or "", form.note.data or "", current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Synonyms saved."), "success")
            return redirect(url_for("learning.synonyms"))
    return render_template("catalog/learning/synonym_form.html", form=form, group=group)


@bp.route("/reindex", methods=["POST"])
def reindex():
    count = search_index.rebuild()
    flash(_("The search index was rebuilt (%(n)d services).", n=count), "success")
    return redirect(
        request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("catalog_staff.index")
    )


@bp.app_context_processor
def search_health():
    """Staff see a banner when the search index is missing, broken or behind the database.

    Lazy: the template calls `search_index_broken()` only for staff, and it looks only on the
    catalog's staff pages (where the rebuild button belongs), so no other page opens the index."""
    return {"search_index_broken": _search_index_broken}


def _search_index_broken() -> bool:
    from flask import g, has_request_context

    if not (has_request_context() and request.path.startswith("/staff/catalog")):
        return False
    if not (current_user.is_authenticated and current_user.is_staff):
        return False
    if "search_index_broken" not in g:
        try:
            search_index.open_index().doc_count()
            g.search_index_broken = search_index.is_stale()
        except Exception:
            g.search_index_broken = True
    return g.search_index_broken
