"""Public catalog pages: no login, phone first."""

import re

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from catalog import bp, hours, search, services
from catalog.forms import ChangeReportForm
from catalog.guidance import not_understood, safety_for
from catalog.labels import facet_labels
from catalog.learning import services as learning
from catalog.models import LINK_DOMAIN, LINK_TARGET_GROUP
from catalog.staff.services import submit_change_report
from welfare import params
from welfare.extensions import limiter
from welfare.i18n import select_locale


@bp.route("/")
def home():
    return render_template("catalog/home.html", domains=services.domains_with_counts())


SEARCH_TOKEN = re.compile(r"[0-9a-f]{32}")
FACET_ARGS = ("domain", "group", "area", "provider", "lang")
SORTS = ("relevance", "name", "verified")


def _filters() -> dict:
    filters = {name: params.text_list(name) for name in FACET_ARGS}
    filters["free"] = params.choice("free", ("1",), None) == "1"
    filters["open_now"] = params.choice("open_now", ("1",), None) == "1"
    return filters


@bp.route("/search")
@limiter.shared_limit(search.search_limit, scope=search.SEARCH_SCOPE)
def search_page():
    query = params.text("q")
    filters = _filters()
    sort = params.choice("sort", SORTS, "relevance")
    page = params.page_number()
    active = query or any(filters.values())
    result = search.run(query, filters, sort, page) if active else None
    log_token = None
    if result is not None and query and page == 1 and not result.fallback:
        log_token = learning.log_search(query, filters, result.total, request.remote_addr)
    return render_template(
        "catalog/search.html",
        query=query,
        result=result,
        filters=filters,
        sort=sort,
        cards=search.cards_for(result.ids) if result else [],
        log_token=log_token,
        labels=facet_labels(),
        safety=safety_for([*filters["domain"], *(result.recognised if result else ())]),
        not_understood=_not_understood(query, result),
    )


def _not_understood(query: str, result) -> list:
    """Messages in the language a search that found only general help, or nothing, was typed in."""
    if not query or result is None or not (result.general or result.total == 0):
        return []
    return not_understood(query, select_locale())


@bp.route("/domains/<code>")
def domain(code: str):
    term = services.get_domain_or_404(code)
    return render_template(
        "catalog/domain.html", term=term, results=services.services_in_domain(term), safety=safety_for([term.code])
    )


def _service_context(service_id: str) -> dict:
    service = services.get_public_service_or_404(service_id)
    domains = service.terms(LINK_DOMAIN)
    return {
        "service": service,
        "locations": services.public_locations_of(service),
        "open_now": hours.is_open(service.schedules),
        "week": hours.weekly_table(service.schedules),
        "exceptions": hours.upcoming_exceptions(service.schedules),
        "domains": domains,
        "groups": service.terms(LINK_TARGET_GROUP),
        "safety": safety_for([d.code for d in domains]),
    }


@bp.route("/services/<service_id>")
def service(service_id: str):
    context = _service_context(service_id)
    # A stale or hand-made link with a bad search token still shows the page; only the log is skipped.
    if SEARCH_TOKEN.fullmatch(token := request.args.get("from", "")):
        learning.record_open(token, service_id)
    return render_template("catalog/service.html", **context)


@bp.route("/services/<service_id>/print")
def service_print(service_id: str):
    return render_template("catalog/service_print.html", **_service_context(service_id))


@bp.route("/services/<service_id>/report", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def report_change(service_id: str):
    service = services.get_public_service_or_404(service_id)
    form = ChangeReportForm()
    if form.validate_on_submit():
        submit_change_report(service, form.message.data, form.reporter_contact.data)
        flash(_("Thank you. The office staff will check your report."), "success")
        return redirect(url_for("catalog.service", service_id=service.id))
    return render_template("catalog/report_change.html", service=service, form=form)


@bp.route("/organizations/<org_id>")
def organization(org_id: str):
    org = services.get_public_organization_or_404(org_id)
    return render_template(
        "catalog/organization.html",
        org=org,
        services=services.public_services_of(org),
        addresses=services.public_addresses(org),
    )
