"""Partners' proposals and confirmations, and the curators' decisions on them.

Each public function is one user action and commits once. Approval applies the change through
the staff's own save functions (`save_service`, `save_organization`), so the search index and the
entry's change history follow exactly as for a curator's edit; the history also names who
proposed it. A field changed since the proposal was made is a conflict: it is applied only when
the curator says so after seeing both values.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from catalog.models import Organization, Service, ServiceStatus
from catalog.proposals import fields
from catalog.proposals.models import CatalogProposal, ProposalStatus
from catalog.staff.history import commit_changes, record_history
from catalog.staff.organizations import save_organization
from catalog.staff.services import save_service
from welfare import audit, mail
from welfare.clock import local_time, today
from welfare.database import utcnow
from welfare.errors import Conflict, DomainError, ValidationFailed
from welfare.extensions import db
from welfare.models import User
from welfare.urls import public_url

RECENT_LIMIT = 30


def _name(user: User) -> str:
    return (user.full_name or user.username)[:120]


# ---- what the partner may touch ---------------------------------------------------------------


def organization_for_partner_or_404(partner: User) -> Organization:
    """:raise 404: the partner's organization is gone or archived."""
    org = db.session.get(Organization, partner.partner_organization_id or "")
    if org is None or org.archived_at is not None:
        abort(404)
    return org


def service_for_partner_or_404(service_id: str, partner: User) -> Service:
    """:raise 404: no such service, archived, or another organization's (the same answer for
    all three, so other organizations' ids cannot be probed)."""
    service = db.session.get(Service, service_id[:64])
    if service is None or service.archived_at is not None or service.organization_id != partner.partner_organization_id:
        abort(404)
    return service


def services_of(org: Organization) -> list[Service]:
    """The organization's entries a partner keeps: its services not archived nor defunct."""
    return list(
        db.session.scalars(
            sa.select(Service)
            .where(
                Service.organization_id == org.id,
                Service.archived_at.is_(None),
                Service.status != ServiceStatus.DEFUNCT,
            )
            .order_by(Service.name)
        )
    )


# ---- the partner's actions --------------------------------------------------------------------


def propose(entry: Service | Organization, proposed: dict, note: str, partner: User) -> CatalogProposal:
    """Keep the fields the partner changed, with the values it saw, for a curator; commit.

    :raise ValidationFailed: nothing differs from the entry as it is now.
    """
    kind = fields.entry_type(entry)
    current = fields.current_values(entry)
    names = [p.name for p in fields.proposable(kind)]
    changes = {
        name: {"before": current[name], "after": fields.to_json(name, proposed[name])}
        for name in names
        if name in proposed and fields.to_json(name, proposed[name]) != fields.as_posted(name, current[name])
    }
    if not changes:
        raise ValidationFailed(
            _("Nothing differs from the entry as it is. If it is all still accurate, confirm that instead.")
        )
    proposal = CatalogProposal(
        organization_id=entry.id if kind == fields.ORGANIZATION else entry.organization_id,
        of_service_id=entry.id if kind == fields.SERVICE else None,
        changes=changes,
        note=(note or "").strip(),
        proposed_by_id=partner.id,
        proposed_by_name=_name(partner),
    )
    db.session.add(proposal)
    db.session.flush()
    audit.record(
        "catalog_change_proposed", object_type=kind, object_id=entry.id, actor=partner, detail=str(proposal.id)
    )
    db.session.commit()
    return proposal


def confirm_still_accurate(entry: Service | Organization, partner: User) -> None:
    """The partner says the entry is still accurate: it counts as verified today, by them; commit."""
    kind = fields.entry_type(entry)
    day = today()
    org = entry if kind == fields.ORGANIZATION else entry.organization
    record_history(kind, entry.id, "verify", partner, "assured_date", entry.assured_date, day)
    entry.assured_date = day
    entry.assurer = f"{_name(partner)} ({org.name})"[:120]
    audit.record("catalog_confirmed_by_partner", object_type=kind, object_id=entry.id, actor=partner)
    commit_changes()


def proposals_of(org_id: str, limit: int = RECENT_LIMIT) -> list[CatalogProposal]:
    """The organization's proposals, newest first (the partner's page)."""
    return list(
        db.session.scalars(
            sa.select(CatalogProposal)
            .where(CatalogProposal.organization_id == org_id)
            .order_by(CatalogProposal.proposed_at.desc(), CatalogProposal.id.desc())
            .limit(limit)
        )
    )


def pending_for(entry: Service | Organization) -> list[CatalogProposal]:
    """The entry's proposals still waiting for a curator, oldest first."""
    if isinstance(entry, Service):
        which = CatalogProposal.of_service_id == entry.id
    else:
        which = sa.and_(CatalogProposal.organization_id == entry.id, CatalogProposal.of_service_id.is_(None))
    return list(
        db.session.scalars(
            sa.select(CatalogProposal)
            .where(which, CatalogProposal.status == ProposalStatus.PENDING)
            .order_by(CatalogProposal.proposed_at, CatalogProposal.id)
        )
    )


# ---- the curators' side -----------------------------------------------------------------------


@dataclass
class DiffRow:
    name: str
    label: str
    before: str  # when proposed
    now: str  # in the catalog now
    after: str  # proposed
    conflict: bool  # changed since the proposal was made (and not to the proposed value)


def pending() -> list[CatalogProposal]:
    return list(
        db.session.scalars(
            sa.select(CatalogProposal)
            .where(CatalogProposal.status == ProposalStatus.PENDING)
            .order_by(CatalogProposal.proposed_at, CatalogProposal.id)
        )
    )


def pending_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(CatalogProposal).where(CatalogProposal.status == ProposalStatus.PENDING)
    )


def diff(proposal: CatalogProposal) -> list[DiffRow]:
    """Field, value when proposed, value now, proposed value: a field whose value now is neither
    what the partner saw nor what it proposes was changed by someone else meanwhile."""
    kind = fields.SERVICE if proposal.of_service_id else fields.ORGANIZATION
    current = fields.current_values(proposal.entry)
    rows = []
    for name, change in proposal.changes.items():
        now = current.get(name)
        rows.append(
            DiffRow(
                name=name,
                label=fields.label_of(kind, name),
                before=fields.show(name, change["before"]),
                now=fields.show(name, now),
                after=fields.show(name, change["after"]),
                conflict=now != change["before"] and now != change["after"],
            )
        )
    return rows


def _check_pending(proposal: CatalogProposal, version) -> None:
    if proposal.status != ProposalStatus.PENDING or str(version) != str(proposal.version_id):
        raise Conflict(_("This proposal was decided in the meantime. Its current state is shown."))


def approve(proposal: CatalogProposal, curator: User, version, overwrite: bool = False) -> None:
    """Apply the proposed values through the staff's save function, record who proposed and who
    approved; one commit.

    :raise Conflict: decided meanwhile; or fields changed since the proposal and `overwrite` not
        given. :raise ValidationFailed: the service now belongs to another organization.
    """
    _check_pending(proposal, version)
    entry = proposal.entry
    if proposal.of_service_id and entry.organization_id != proposal.organization_id:
        raise ValidationFailed(_("This service now belongs to another organization; the proposal cannot be applied."))
    if any(row.conflict for row in diff(proposal)) and not overwrite:
        raise Conflict(
            _(
                "The entry was changed since the partner proposed this. Compare the values below, then "
                "apply the proposal anyway or reject it."
            ),
            field="overwrite",
        )
    changes = {name: change["after"] for name, change in proposal.changes.items()}
    proposal.status, proposal.decided_at = ProposalStatus.APPROVED, utcnow()
    proposal.decided_by_id, proposal.decided_by_name = curator.id, _name(curator)
    kind = fields.entry_type(entry)
    # The history names the partner beside the curator's own rows for each field.
    record_history(
        kind, entry.id, "proposal", curator, "proposed_by", "", f"{proposal.proposed_by_name} (#{proposal.id})"
    )
    audit.record(
        "catalog_proposal_approved", object_type=kind, object_id=entry.id, actor=curator, detail=str(proposal.id)
    )
    try:
        if kind == fields.SERVICE:
            data, details = fields.service_save_arguments(entry, changes)
            save_service(entry, data, details, curator)  # commits all of the above with it
        else:
            save_organization(entry, fields.organization_save_arguments(entry, changes), curator)
    except DomainError:
        db.session.rollback()
        raise


def reject(proposal: CatalogProposal, curator: User, version, reason: str) -> None:
    """Close the proposal unapplied, with the reason the partner sees (and is e-mailed); commit.

    :raise Conflict: decided meanwhile. :raise ValidationFailed: no reason.
    """
    _check_pending(proposal, version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Tell the partner why the change is not applied."), field="reason")
    proposal.status, proposal.reason, proposal.decided_at = ProposalStatus.REJECTED, reason, utcnow()
    proposal.decided_by_id, proposal.decided_by_name = curator.id, _name(curator)
    kind = fields.SERVICE if proposal.of_service_id else fields.ORGANIZATION
    audit.record(
        "catalog_proposal_rejected",
        object_type=kind,
        object_id=proposal.entry.id,
        actor=curator,
        detail=str(proposal.id),
    )
    _mail_rejection(proposal)
    commit_changes(_("This proposal was decided in the meantime. Its current state is shown."))


def _mail_rejection(proposal: CatalogProposal) -> None:
    partner = db.session.get(User, proposal.proposed_by_id) if proposal.proposed_by_id else None
    if partner is None or not partner.email or not partner.is_enabled:
        return
    office = current_app.config["OFFICE_NAME"]
    with force_locale(partner.locale or current_app.config.get("BABEL_MAIL_LOCALE", "sl")):
        subject = _("Your proposed change to %(entry)s", entry=proposal.entry_name)
        body = "\n".join(
            [
                _("Hello,"),
                "",
                _(
                    "%(office)s did not apply the change you proposed on %(day)s to the catalog entry %(entry)s.",
                    office=office,
                    day=local_time(proposal.proposed_at).date().isoformat(),
                    entry=proposal.entry_name,
                ),
                _("The reason:"),
                proposal.reason,
                "",
                _("Your organization's entries and proposals:"),
                public_url("catalog_partner.entries"),
            ]
        )
    mail.queue(partner.email, subject, body, about=f"catalog_proposal:{proposal.id}")


def get_proposal_or_404(proposal_id: int) -> CatalogProposal:
    """:raise 404: no such proposal."""
    return db.get_or_404(CatalogProposal, proposal_id)
