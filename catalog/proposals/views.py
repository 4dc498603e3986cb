"""The curators' pages: proposals waiting, one proposal as a diff with its approve and reject forms."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.proposals import bp
from catalog.proposals import services as proposals
from catalog.proposals.forms import ApproveForm, RejectForm
from catalog.proposals.models import ProposalStatus
from welfare.errors import DomainError
from welfare.forms import show_domain_error


@bp.route("/")
def index():
    return render_template("catalog/proposals/index.html", proposals=proposals.pending())


def _page(proposal, approve_form=None, reject_form=None):
    approve_form = approve_form or ApproveForm(prefix="approve")
    reject_form = reject_form or RejectForm(prefix="reject")
    rows = proposals.diff(proposal)
    return render_template(
        "catalog/proposals/proposal.html",
        proposal=proposal,
        rows=rows,
        conflict=any(r.conflict for r in rows),
        pending=proposal.status == ProposalStatus.PENDING,
        approve_form=approve_form,
        reject_form=reject_form,
    )


@bp.route("/<int:proposal_id>")
def proposal(proposal_id: int):
    return _page(proposals.get_proposal_or_404(proposal_id))


@bp.route("/<int:proposal_id>/approve", methods=["POST"])
def approve(proposal_id: int):
    proposal = proposals.get_proposal_or_404(proposal_id)
    form = ApproveForm(prefix="approve")
    if form.validate_on_submit():
        try:
            proposals.approve(proposal, current_user, form.version_id.data, overwrite=form.overwrite.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("The change was applied to %(entry)s.", entry=proposal.entry_name), "success")
            return redirect(url_for("catalog_proposals.index"))
    elif form.version_id.errors:
        flash(_("This proposal was decided in the meantime. Its current state is shown."), "error")
    return _page(proposal, approve_form=form)


@bp.route("/<int:proposal_id>/reject", methods=["POST"])
def reject(proposal_id: int):
    proposal = proposals.get_proposal_or_404(proposal_id)
    form = RejectForm(prefix="reject")
    if form.validate_on_submit():
        try:
            proposals.reject(proposal, current_user, form.version_id.data, form.reason.data)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("The proposal was rejected; the partner sees your reason."), "success")
            return redirect(url_for("catalog_proposals.index"))
    return _page(proposal, reject_form=form)
