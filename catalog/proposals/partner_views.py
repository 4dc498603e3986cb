"""The partner's pages (/partner/catalog/): its organization's entries with their verified
dates and its proposals; a proposal form per entry; "still accurate" per entry.
`require_partner` guards each (see __init__); another organization's service is 404."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from catalog.proposals import fields, partner_bp
from catalog.proposals import services as proposals
from catalog.proposals.forms import OrganizationProposalForm, ServiceProposalForm
from catalog.proposals.models import ProposalStatus
from welfare.errors import DomainError
from welfare.forms import show_domain_error


@partner_bp.route("/")
def entries():
    org = proposals.organization_for_partner_or_404(current_user)
    return render_template(
        "catalog/proposals/partner_entries.html",
        org=org,
        services=proposals.services_of(org),
        proposals=proposals.proposals_of(org.id),
        statuses=ProposalStatus,
        form=FlaskForm(),
    )


def _propose(entry, form_class):
    form = form_class()
    current = fields.current_values(entry)
    if not form.is_submitted():
        form.fill(current)
    elif form.validate_on_submit():
        try:
            proposals.propose(entry, form.proposed_values(), form.note.data or "", current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Your proposal was sent to the office. You will see here when it is decided."), "success")
            return redirect(url_for("catalog_partner.entries"))
    return render_template(
        "catalog/proposals/partner_propose.html",
        entry=entry,
        is_service=fields.entry_type(entry) == fields.SERVICE,
        form=form,
        waiting=proposals.pending_for(entry),
    )


@partner_bp.route("/organization", methods=["GET", "POST"])
def propose_organization():
    return _propose(proposals.organization_for_partner_or_404(current_user), OrganizationProposalForm)


@partner_bp.route("/services/<service_id>", methods=["GET", "POST"])
def propose_service(service_id: str):
    return _propose(proposals.service_for_partner_or_404(service_id, current_user), ServiceProposalForm)


def _confirm(entry):
    if FlaskForm().validate_on_submit():
        try:
            proposals.confirm_still_accurate(entry, current_user)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Thank you: %(entry)s is marked as still accurate today.", entry=entry.name), "success")
    return redirect(url_for("catalog_partner.entries"))


@partner_bp.route("/organization/confirm", methods=["POST"])
def confirm_organization():
    return _confirm(proposals.organization_for_partner_or_404(current_user))


@partner_bp.route("/services/<service_id>/confirm", methods=["POST"])
def confirm_service(service_id: str):
    return _confirm(proposals.service_for_partner_or_404(service_id, current_user))
