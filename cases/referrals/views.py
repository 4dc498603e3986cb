"""Referral pages of a case: the list (with unmet needs), finding a service with the public
search, the referral form, the referral page and its actions. Views validate, call a service,
flash and redirect; rules live in `services`."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from cases.access_log import AccessAction, record_access
from cases.drafts import forget_draft, restore_draft
from cases.needs import queries as needs_queries
from cases.referrals import bp, queries, saved_search, services
from cases.referrals.forms import ReferralForm, ReferralSearchForm, SendForm, StatusForm, VersionForm
from cases.referrals.models import ReferralStatus
from cases.services import get_case_or_404
from catalog.services import get_public_service_or_404, term_names
from welfare import params
from welfare.clock import local_time, today
from welfare.database import begin_write
from welfare.errors import Conflict, DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error


def _detail(case, referral):
    return redirect(url_for("referrals.detail", number=case.number, referral_id=referral.id))


@bp.route("/<number>/referrals")
def index(number: str):
    case = get_case_or_404(number)
    begin_write()
    record_access(AccessAction.VIEW, case_id=case.id, person_id=case.person_id, what="referral")
    db.session.commit()
    needs = needs_queries.needs_of(case)
    return render_template(
        "cases/referrals/index.html",
        case=case,
        referrals=queries.referrals_of(case),
        needs=needs,
        terms=term_names([n.domain_id for n in needs]),
    )


def _challenge_choices(case):
    names = term_names([c.domain_id for c in case.challenges])
    return [
        (c.id, names.get(c.domain_id, "—") + (f": {c.description[:80]}" if c.description else ""))
        for c in case.challenges
    ]


@bp.route("/<number>/referrals/new", methods=["GET", "POST"])
def new(number: str):
    """Step 1 (no `service`): search the catalog as the public does. Step 2: the referral form."""
    case = get_case_or_404(number)
    service_id = params.text("service", max_length=36)
    if not service_id:
        token = params.text("search", max_length=32)
        query = saved_search.recall(current_user.id, case.number, token) if token else ""
        if query is None:
            flash(_("That search is no longer kept. Search again."), "info")
        return _search_page(case, ReferralSearchForm(q=query or ""), token if query else "")
    service = get_public_service_or_404(service_id)
    existing = services.find_existing(case, service.id)
    consent = services.covering_consent(case, service.organization)
    form = ReferralForm(challenges=_challenge_choices(case))
    if request.method == "GET":
        form.to_email.data = services.default_email(service)
        form.follow_up_on.data = services.default_follow_up()
        form.challenge_ids.data = [c.id for c in case.challenges[:1]]
        restore_draft(form)  # typed before the session expired
    elif form.validate_on_submit():
        forget_draft()
        data = services.ReferralData(
            challenge_ids=form.challenge_ids.data,
            note=form.note.data or "",
            follow_up_on=form.follow_up_on.data,
            to_email=form.to_email.data,
            name_shown=form.name_shown.data,
        )
        try:
            referral = services.create_referral(case, service, data, current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Referral saved as a draft. Check it and send it to the organization."), "success")
            return _detail(case, referral)
    return render_template(
        "cases/referrals/form.html", case=case, service=service, form=form, consent=consent, existing=existing
    )


def _search_page(case, form, token: str, status: int = 200):
    query = (form.q.data or "").strip() if token else ""
    result = queries.search_services(case, query, params.page_number()) if query else None
    existing = {r.to_service_id: r for r in queries.referrals_of(case)}
    page = render_template(
        "cases/referrals/search.html", case=case, form=form, token=token, result=result, existing=existing
    )
    return page, status


@bp.route("/<number>/referrals/search", methods=["GET", "POST"])
def search(number: str):
    """Post the search words; they are kept server side and the result page's URL carries only a
    random id (post-redirect-get: reload and the back button show the results again)."""
    case = get_case_or_404(number)
    form = ReferralSearchForm()
    if request.method == "GET":  # back from a login that kept a search posted at an expired session
        query = saved_search.unfinished(current_user.id, case.number)
    elif form.validate_on_submit():
        query = (form.q.data or "").strip()
    else:
        return _search_page(case, form, "", status=400)
    if not query:
        return redirect(url_for("referrals.new", number=case.number))
    token = saved_search.remember(current_user.id, case.number, query)
    return redirect(url_for("referrals.new", number=case.number, search=token))


@bp.route("/<number>/referrals/<int:referral_id>")
def detail(number: str, referral_id: int):
    case = get_case_or_404(number)
    referral = queries.get_referral_or_404(case, referral_id)
    begin_write()
    record_access(AccessAction.VIEW, case_id=case.id, person_id=case.person_id, what="referral")
    db.session.commit()
    return _detail_page(case, referral)


def _detail_page(case, referral, link_url: str | None = None, status_form=None):
    return render_template(
        "cases/referrals/detail.html",
        case=case,
        referral=referral,
        terms=term_names([c.domain_id for c in referral.challenges]),
        delivery=queries.delivery_state(referral),
        names=queries.actor_names(referral.events),
        send_form=SendForm(version_id=referral.version_id, to_email=referral.to_email),
        status_form=status_form or StatusForm(version_id=referral.version_id),
        outcome_form=VersionForm(version_id=referral.version_id),
        consent_ok=services.covering_consent(case, referral.organization) is not None,
        link_url=link_url,
        statuses=ReferralStatus,
        today=today(),
        local_time=local_time,  # for the machine-readable time; datetimeformat converts the shown one itself
    )


@bp.route("/<number>/referrals/<int:referral_id>/send", methods=["POST"])
def send(number: str, referral_id: int):
    case = get_case_or_404(number)
    referral = queries.get_referral_or_404(case, referral_id)
    form = SendForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors) or _("The form has expired. Try again."), "error")
        return _detail(case, referral)
    try:
        url = services.send_referral(referral, form.to_email.data, current_user, form.version_id.data)
    except DomainError as exc:
        show_domain_error(form, exc)
        return _detail(case, referral)
    if referral.to_email:
        flash(_("Referral sent. The organization gets an e-mail with a link to answer."), "success")
        return _detail(case, referral)
    # No e-mail: show the link this once (only its hash is kept) to print or hand over.
    flash(_("Referral marked as sent. Give the organization the link below; it is shown only now."), "success")
    return _detail_page(case, referral, link_url=url)


@bp.route("/<number>/referrals/<int:referral_id>/status", methods=["POST"])
def change_status(number: str, referral_id: int):
    case = get_case_or_404(number)
    referral = queries.get_referral_or_404(case, referral_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.change_status(
                referral,
                form.status.data,
                current_user,
                form.version_id.data,
                reason=form.decline_reason.data or None,
                outcome=form.outcome.data or None,
                note=form.note.data or "",
            )
        except DomainError as exc:
            show_domain_error(form, exc)
            db.session.refresh(referral)
            return _detail_page(case, referral, status_form=form), 409 if isinstance(exc, Conflict) else 400
        flash(_("The referral is now: %(state)s.", state=referral.status.label), "success")
    else:
        flash(_("Choose the new state."), "error")
    return _detail(case, referral)


@bp.route("/<number>/referrals/<int:referral_id>/request-outcome", methods=["POST"])
def request_outcome(number: str, referral_id: int):
    case = get_case_or_404(number)
    referral = queries.get_referral_or_404(case, referral_id)
    form = VersionForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Try again."), "error")
        return _detail(case, referral)
    try:
        url = services.request_outcome(referral, current_user, form.version_id.data)
    except DomainError as exc:
        show_domain_error(form, exc)
        return _detail(case, referral)
    if referral.to_email:
        flash(_("A new link to report the outcome was sent to the organization."), "success")
        return _detail(case, referral)
    flash(_("Give the organization the link below to report the outcome; it is shown only now."), "success")
    return _detail_page(case, referral, link_url=url)
