"""Recording an unmet need (one user action, one commit, one access-log row)."""

from flask_babel import gettext as _

from cases.access_log import AccessAction, record_access
from cases.models import Case
from cases.needs.models import NeedKind, UnmetNeed
from catalog.models import TAXONOMY_DOMAINS, TaxonomyTerm
from welfare.errors import ValidationFailed
from welfare.extensions import db


def record_need(case: Case, domain_id: str, kind: str, note: str, user) -> UnmetNeed:
    """:raise ValidationFailed: closed case, unknown life domain or kind."""
    if case.is_closed:
        raise ValidationFailed(_("This case is closed. Reopen it to record an unmet need."))
    term = db.session.get(TaxonomyTerm, domain_id) if domain_id else None
    if term is None or term.taxonomy_id != TAXONOMY_DOMAINS:
        raise ValidationFailed(_("Choose a life domain from the list."), field="domain_id")
    try:
        need_kind = NeedKind(kind)
    except ValueError:
        raise ValidationFailed(_("Choose what was missing."), field="kind") from None
    need = UnmetNeed(
        case_id=case.id, domain_id=term.id, kind=need_kind, note=note.strip()[:500], recorded_by_id=user.id
    )
    db.session.add(need)
    record_access(AccessAction.CREATE, case_id=case.id, person_id=case.person_id, what="unmet_need", user=user)
    db.session.commit()
    return need
