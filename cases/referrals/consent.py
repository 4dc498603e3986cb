"""Whether a referral may share the person's data with an organization: an active consent of
the case names the organization, or its kind (a provider-type term the catalog records)."""

from flask_babel import gettext as _

from cases.models import Case, Consent
from catalog.models import LINK_PROVIDER_TYPE, Organization


def provider_types_of(organization: Organization) -> set[str]:
    """The provider-type terms the catalog records for the organization (its attributes)."""
    return {a.taxonomy_term_id for a in organization.attributes if a.link_type == LINK_PROVIDER_TYPE}


def covering_consent(case: Case, organization: Organization, *, excluding: Consent | None = None) -> Consent | None:
    """An active consent of the case that covers the organization: named, or of its kind."""
    kinds = provider_types_of(organization)
    for consent in case.consents:
        if consent is excluding or not consent.is_active:
            continue
        if consent.organization_id == organization.id or (
            consent.provider_type_id and consent.provider_type_id in kinds
        ):
            return consent
    return None


def missing_consent_message(organization: Organization) -> str:
    return _(
        "There is no active consent to share data with %(org)s (or with its kind of organization). "
        "Record the person's consent first.",
        org=organization.name,
    )
