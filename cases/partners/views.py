"""The partner's pages (/partner/): the referral inbox, one referral with its answer form, and
the capacity of the organization's services. `require_partner` guards each (see __init__)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.partners import bp
from cases.partners import services as partners
from cases.partners.forms import CapacityForm, PartnerAnswerForm
from cases.referrals import appointments, partner_answers
from cases.referrals.models import LinkPurpose
from cases.referrals.org_link import answer_choices
from catalog import capacity
from catalog.models import Organization
from welfare.clock import today
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error


@bp.after_request
def _private(response):
    # Pages about people: never kept by a shared browser's cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/")
def inbox():
    rows = partners.inbox(current_user)
    return render_template("cases/partners/inbox.html", rows=rows, organization=_organization())


@bp.route("/referrals/<int:referral_id>", methods=["GET", "POST"])
def referral(referral_id: int):
    referral = partners.get_referral_for_partner_or_404(referral_id, current_user)
    purpose = partner_answers.waiting_for(referral)
    form = PartnerAnswerForm(actions=answer_choices(referral, purpose) if purpose else ())
    # A page loaded before the referral last changed (answered through the link, a double
    # submit, a staff change): nothing is saved; the page shows the state now and keeps the text.
    stale = request.method == "POST" and (purpose is None or form.version_id.data != str(referral.version_id))
    if request.method == "GET" or stale:
        if stale:
            flash(str(partner_answers.ANSWERED), "error")
        form.referral_id.data, form.version_id.data = str(referral.id), str(referral.version_id)
    elif form.validate_on_submit():
        try:
            partner_answers.answer_as_partner(
                referral,
                form.action.data,
                current_user,
                form.version_id.data,
                reason=form.decline_reason.data or None,
                outcome=form.outcome.data or None,
                note=form.note.data or "",
                appointment=appointments.Appointment(form.appointment_at.data, form.appointment_note.data or ""),
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Your answer was recorded: %(state)s.", state=referral.status.label), "success")
            return redirect(url_for("partners.referral", referral_id=referral.id))
    return render_template(
        "cases/partners/referral.html",
        referral=referral,
        person=partners.person_label(referral) if partners.shows_person(referral) else None,
        domains=partners.domains_of(referral) if partners.shows_person(referral) else [],
        form=form,
        purpose=purpose,
        purposes=LinkPurpose,
    )


@bp.route("/services")
def services():
    rows = partners.services_of(current_user)
    return render_template(
        "cases/partners/services.html",
        services=rows,
        capacities=capacity.capacities_of(s.id for s in rows),
        organization=_organization(),
    )


@bp.route("/services/<service_id>/capacity", methods=["GET", "POST"])
def service_capacity(service_id: str):
    service = partners.get_service_for_partner_or_404(service_id, current_user)
    current = capacity.capacity_of(service.id)
    form = CapacityForm(obj=current) if request.method == "GET" else CapacityForm()
    if request.method == "GET" and current is not None:
        form.state.data, form.unit.data = current.state.value, current.unit.value
    if form.validate_on_submit():
        try:
            capacity.save_capacity(
                service.id,
                state=form.state.data,
                unit=form.unit.data,
                total=form.total.data,
                free=form.free.data,
                waiting_weeks=form.waiting_weeks.data,
                show_waiting_publicly=form.show_waiting_publicly.data,
                said_on=today(),
                said_by=current_user.full_name or current_user.username,
                version=form.version_id.data,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("The capacity of %(service)s was saved.", service=service.name), "success")
            return redirect(url_for("partners.services"))
    return render_template("cases/partners/capacity.html", service=service, form=form, current=current)


def _organization() -> Organization | None:
    return db.session.get(Organization, current_user.partner_organization_id)
