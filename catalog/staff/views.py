"""Staff pages for curating the catalog (office staff only; supervisors cannot edit)."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from catalog.models import LINK_PROVIDER_TYPE, ChangeReport, Organization, Service, Taxonomy, TaxonomyTerm
from catalog.staff import bp, organizations, taxonomy
from catalog.staff import services as curation
from catalog.staff.forms import OrganizationForm, ReportDecisionForm, ServiceForm, TermForm
from catalog.staff.history import history_of
from welfare import params
from welfare.errors import DomainError
from welfare.extensions import db
from welfare.forms import show_domain_error, submitted_version


@bp.route("/")
def index():
    query = request.args.get("q", "").strip()
    statement = sa.select(Service).join(Service.organization).order_by(Service.name)
    if query:
        # autoescape: a typed % or _ is a character to find, not a LIKE wildcard.
        statement = statement.where(
            sa.or_(Service.name.icontains(query, autoescape=True), Organization.name.icontains(query, autoescape=True))
        )
    page = params.paginate(statement, per_page=50)
    return render_template(
        "catalog/staff/index.html",
        page=page,
        query=query,
        open_reports=len(curation.open_reports()),
    )


@bp.route("/services/new", methods=["GET", "POST"])
def new_service():
    form = ServiceForm(organization_id=request.args.get("organization_id", ""))
    if form.validate_on_submit():
        try:
            service = curation.save_service(None, form.scalar_data(), form.details(), current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Service saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("catalog_staff.edit_service", service_id=service.id))
    return render_template("catalog/staff/service_form.html", form=form, service=None)


@bp.route("/services/<service_id>/edit", methods=["GET", "POST"])
def edit_service(service_id: str):
    service = db.get_or_404(Service, service_id)
    form = ServiceForm(obj=service) if request.method == "GET" else ServiceForm()
    if request.method == "GET":
        form.fill_details(curation.details_of(service))
        form.status.data = service.status.value
    if form.validate_on_submit():
        try:
            curation.save_service(
                service, form.scalar_data(), form.details(), current_user, submitted_version(form.version_id.data)
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("catalog_staff.edit_service", service_id=service.id))
    return render_template(
        "catalog/staff/service_form.html",
        form=form,
        service=service,
        history=history_of("service", service.id),
    )


def _record(kind: str, record_id: str):
    return db.get_or_404(Service if kind == "services" else Organization, record_id)


def _back(kind: str, record) -> str:
    endpoint = "catalog_staff.edit_service" if kind == "services" else "catalog_staff.edit_organization"
    return url_for(endpoint, **({"service_id": record.id} if kind == "services" else {"org_id": record.id}))


@bp.route(
    "/<any(services, organizations):kind>/<record_id>/<any(publish, unpublish, archive, restore):action>",
    methods=["POST"],
)
def change_state(kind: str, record_id: str, action: str):
    record = _record(kind, record_id)
    try:
        if action in ("publish", "unpublish"):
            curation.set_published(record, action == "publish", current_user)
        else:
            curation.set_archived(record, action == "archive", current_user)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        flash(
            {
                "publish": _("Published."),
                "unpublish": _("Unpublished."),
                "archive": _("Archived."),
                "restore": _("Restored."),
            }[action],
            "success",
        )
    return redirect(_back(kind, record))


@bp.route("/services/<service_id>/verify", methods=["POST"])
def verify_service(service_id: str):
    service = db.get_or_404(Service, service_id)
    curation.verify_today(service, current_user)
    flash(_("Marked as verified today."), "success")
    return redirect(
        request.form.get("back") == "stale" and url_for("catalog_staff.stale") or _back("services", service)
    )


@bp.route("/stale")
def stale():
    services = curation.stale_services()
    return render_template("catalog/staff/stale.html", services=services)


@bp.route("/organizations/new", methods=["GET", "POST"])
def new_organization():
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            org = organizations.save_organization(None, form.data_for_save(), current_user)
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Organization saved as a draft."), "success")
            return redirect(url_for("catalog_staff.edit_organization", org_id=org.id))
    return render_template("catalog/staff/organization_form.html", form=form, org=None)


@bp.route("/organizations/<org_id>/edit", methods=["GET", "POST"])
def edit_organization(org_id: str):
    org = db.get_or_404(Organization, org_id)
    form = OrganizationForm(obj=org) if request.method == "GET" else OrganizationForm()
    if request.method == "GET":
        form.provider_type.data = next(
            (a.taxonomy_term_id for a in org.attributes if a.link_type == LINK_PROVIDER_TYPE), ""
        )
        form.fill_contact(*organizations.org_contact(org))
    if form.validate_on_submit():
        try:
            organizations.save_organization(
                org, form.data_for_save(), current_user, submitted_version(form.version_id.data)
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("catalog_staff.edit_organization", org_id=org.id))
    return render_template(
        "catalog/staff/organization_form.html", form=form, org=org, history=history_of("organization", org.id)
    )


@bp.route("/reports")
def reports():
    return render_template("catalog/staff/reports.html", reports=curation.open_reports(), form=ReportDecisionForm())


@bp.route("/reports/<int:report_id>", methods=["POST"])
def decide_report(report_id: int):
    report = db.get_or_404(ChangeReport, report_id)
    form = ReportDecisionForm()
    if form.validate_on_submit() and form.decision.data in ("accept", "dismiss"):
        try:
            curation.handle_report(report, form.decision.data == "accept", current_user)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            if form.decision.data == "accept":
                flash(_("Report accepted. Update the entry now."), "success")
                return redirect(url_for("catalog_staff.edit_service", service_id=report.service_id))
            flash(_("Report dismissed."), "success")
    return redirect(url_for("catalog_staff.reports"))


@bp.route("/taxonomies")
def taxonomies():
    return render_template(
        "catalog/staff/taxonomies.html", taxonomies=[(t, taxonomy.tree(t)) for t in taxonomy.all_taxonomies()]
    )


@bp.route("/taxonomies/<taxonomy_id>/new", methods=["GET", "POST"])
@bp.route("/taxonomies/<taxonomy_id>/<path:term_id>", methods=["GET", "POST"])
def edit_term(taxonomy_id: str, term_id: str | None = None):
    tax = db.get_or_404(Taxonomy, taxonomy_id)
    term = db.get_or_404(TaxonomyTerm, term_id) if term_id else None
    if term is not None and term.taxonomy_id != tax.id:
        abort(404)
    form = TermForm(obj=term) if request.method == "GET" else TermForm()
    form.set_parents(tax, exclude_id=term.id if term else None)
    if form.validate_on_submit():
        try:
            taxonomy.save_term(
                term,
                tax.id,
                code=form.code.data,
                name=form.name.data,
                description=form.description.data or "",
                parent_id=form.parent_id.data or None,
                actor=current_user,
            )
        except DomainError as exc:
            show_domain_error(form, exc)
        else:
            flash(_("Term saved."), "success")
            return redirect(url_for("catalog_staff.taxonomies"))
    return render_template(
        "catalog/staff/term_form.html",
        form=form,
        taxonomy=tax,
        term=term,
        history=history_of("taxonomy_term", term.id) if term else [],
    )
