"""The case page and the forms on a case: edit, close, reopen, challenges, timeline, consents.

A form that fails (validation, or someone else saved first) is shown again with everything the
user typed; after a conflict it carries the current version, so saving again is a decision.
"""

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.drafts import forget_draft, restore_draft
from cases.intake import bp, services
from cases.intake.case_forms import (
    ChallengeForm,
    CloseCaseForm,
    ConsentForm,
    EditCaseForm,
    ReopenCaseForm,
    TimelineEntryForm,
    WithdrawConsentForm,
)
from cases.models import CaseOutcome, CaseStatus, Challenge, Consent, EntryKind, LegalBasis
from cases.services import get_case_or_404, get_child_or_404
from catalog.models import Organization
from catalog.services import term_names
from welfare.database import begin_write
from welfare.errors import Conflict, DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error
from welfare.models import User


def _back(case):
    return redirect(url_for("intake.case", number=case.number))


def _failed(form, exc: DomainError, record) -> None:
    """Show the error, keep the input; after a conflict the form takes the current version."""
    show_domain_error(form, exc)
    if isinstance(exc, Conflict) and hasattr(form, "version_id"):
        form.version_id.data = record.version_id


def _names() -> dict[int, str]:
    return {u.id: u.full_name or u.username for u in db.session.scalars(sa.select(User))}


@bp.route("/<number>")
def case(number: str):
    record = get_case_or_404(number)
    begin_write()
    services.view_case(record)
    organizations = {c.organization_id for c in record.consents if c.organization_id}
    org_names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(Organization.id.in_(organizations))
        ).all()
    )
    terms = term_names([c.domain_id for c in record.challenges] + [c.provider_type_id for c in record.consents])
    return render_template(
        "cases/intake/case.html",
        case=record,
        terms=terms,
        org_names=org_names,
        names=_names(),
        reopen_form=ReopenCaseForm(version_id=record.version_id),
    )


@bp.route("/<number>/edit", methods=["GET", "POST"])
def edit_case(number: str):
    record = get_case_or_404(number)
    form = EditCaseForm(obj=record) if request.method == "GET" else EditCaseForm()
    if request.method == "GET" and not restore_draft(form):
        form.assignees.data = [u.id for u in record.assignees]
    if form.validate_on_submit():
        try:
            forget_draft()
            services.update_case(
                record,
                form.version_id.data,
                legal_basis=LegalBasis(form.legal_basis.data),
                status=CaseStatus(form.status.data),
                assignee_ids=form.assignees.data,
                follow_up_on=form.follow_up_on.data,
            )
        except DomainError as exc:
            _failed(form, exc, record)
        else:
            flash(_("Changes saved."), "success")
            return _back(record)
    return render_template("cases/intake/case_form.html", form=form, case=record, action="edit")


@bp.route("/<number>/close", methods=["GET", "POST"])
def close_case(number: str):
    record = get_case_or_404(number)
    form = CloseCaseForm(version_id=record.version_id) if request.method == "GET" else CloseCaseForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.close_case(
                record,
                form.version_id.data,
                CaseOutcome(form.outcome.data),
                form.outcome_note.data or "",
                form.closed_on.data,
                actor=current_user,
                open_work=form.open_work.data,
                cancel_reason=form.cancel_reason.data or "",
            )
        except DomainError as exc:
            _failed(form, exc, record)
        else:
            flash(_("Case closed."), "success")
            return _back(record)
    return render_template(
        "cases/intake/case_form.html", form=form, case=record, action="close", open_work=services.open_work_of(record)
    )


@bp.route("/<number>/reopen", methods=["POST"])
def reopen_case(number: str):
    record = get_case_or_404(number)
    form = ReopenCaseForm()
    if form.validate_on_submit():
        try:
            services.reopen_case(record, form.version_id.data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Case reopened."), "success")
    return _back(record)


@bp.route("/<number>/challenges/new", methods=["GET", "POST"])
def new_challenge(number: str):
    record = get_case_or_404(number)
    form = ChallengeForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.add_challenge(record, form.to_data(), current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Challenge added."), "success")
            return _back(record)
    return render_template("cases/intake/challenge_form.html", form=form, case=record, challenge=None)


@bp.route("/<number>/challenges/<int:challenge_id>/edit", methods=["GET", "POST"])
def edit_challenge(number: str, challenge_id: int):
    record = get_case_or_404(number)
    challenge = get_child_or_404(Challenge, challenge_id, Challenge.case_id == record.id)
    form = ChallengeForm(obj=challenge) if request.method == "GET" else ChallengeForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.update_challenge(challenge, form.version_id.data, form.to_data())
        except DomainError as exc:
            _failed(form, exc, challenge)
        else:
            flash(_("Changes saved."), "success")
            return _back(record)
    return render_template("cases/intake/challenge_form.html", form=form, case=record, challenge=challenge)


@bp.route("/<number>/timeline/new", methods=["GET", "POST"])
def new_entry(number: str):
    record = get_case_or_404(number)
    form = TimelineEntryForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.add_timeline_entry(
                record, EntryKind(form.kind.data), form.occurred_at.data, form.text.data, current_user
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Entry added to the timeline."), "success")
            return _back(record)
    return render_template("cases/intake/entry_form.html", form=form, case=record)


@bp.route("/<number>/consents/new", methods=["GET", "POST"])
def new_consent(number: str):
    record = get_case_or_404(number)
    form = ConsentForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.record_consent(
                record,
                scope=form.scope.data,
                organization_id=form.organization_id.data or None,
                provider_type_id=form.provider_type_id.data or None,
                text_version=form.text_version.data,
                given_on=form.given_on.data,
                actor=current_user,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Consent recorded."), "success")
            return _back(record)
    return render_template("cases/intake/consent_form.html", form=form, case=record, consent=None)


@bp.route("/<number>/consents/<int:consent_id>/withdraw", methods=["GET", "POST"])
def withdraw_consent(number: str, consent_id: int):
    record = get_case_or_404(number)
    consent = get_child_or_404(Consent, consent_id, Consent.case_id == record.id)
    form = WithdrawConsentForm(version_id=consent.version_id) if request.method == "GET" else WithdrawConsentForm()
    if request.method == "GET":
        restore_draft(form)
    if form.validate_on_submit():
        try:
            forget_draft()
            services.withdraw_consent(consent, form.version_id.data, form.withdrawn_on.data, current_user)
        except DomainError as exc:
            _failed(form, exc, consent)
        else:
            flash(_("Withdrawal of the consent recorded."), "success")
            return _back(record)
    return render_template("cases/intake/consent_form.html", form=form, case=record, consent=consent)
