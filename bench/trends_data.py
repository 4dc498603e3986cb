"""A synthetic register for the trend-report benchmark: N cases over five years, with every
fact the reports read (persons' birth year, gender, municipality and settlement; challenges on
all life domains with urgency; outcomes; first plan goals; assignees by role), anonymous
contacts and zero-result catalog searches, and their referrals: about one per case to the
demo catalog's services, in every state with the events of its history (sent, answered,
started, completed), decline reasons and outcomes, the challenges each addresses, and unmet
needs (recorded by staff, and one per capacity decline, as the referral flow records them).
Batched Core inserts: SQLite and PostgreSQL.

    from bench.trends_data import generate, load   # inside an app context, schema created
    load(generate(100_000, staff_ids, services))   # services: [(service id, organization id)]
"""

import random
from datetime import datetime, timedelta

from welfare import clock

CHUNK = 10_000
YEARS = 5
PLACES = {
    "Novo mesto": ["Novo mesto", "Brezje", "Ratež", "Prečna", "Češča vas", "Otočec", "Stopiče", "Mali Slatnik"],
    "Mirna Peč": ["Mirna Peč", "Gorenji Globodol", "Hmeljčič"],
    "Straža": ["Straža", "Vavta vas", "Jurka vas"],
    "Žužemberk": ["Žužemberk", "Dvor", "Šmihel pri Žužemberku"],
    "Šentjernej": ["Šentjernej", "Orehovica", "Gorenje Mokro Polje"],
    "Dolenjske Toplice": ["Dolenjske Toplice", "Podhosta"],
}


def generate(
    cases: int, staff_ids: list[int], services: list[tuple[str, str]] = (), seed: int = 11
) -> dict[str, list[dict]]:
    """Rows per table; `staff_ids` are the office users cases are assigned to, `services` the
    (service id, organization id) pairs referrals go to (none: no referrals)."""
    from cases.models import CaseOutcome, CaseStatus, Channel, ContactAction, Gender, LegalBasis, Urgency
    from catalog.models import TAXONOMY_DOMAINS
    from catalog.seed import reference_data, term_id

    rng = random.Random(seed)
    codes = next(t for t in reference_data()["taxonomies"] if t["id"] == TAXONOMY_DOMAINS)["terms"]
    domains = [term_id(TAXONOMY_DOMAINS, code) for code, _name, _desc in codes]
    weights = [1 / (i + 1) for i in range(len(domains))]  # a realistic skew: a few domains dominate
    municipalities = list(PLACES)
    today = clock.today()
    days = YEARS * 365
    stamp = datetime(2020, 1, 1)
    rows: dict[str, list[dict]] = {
        k: [] for k in ("person", "case", "assign", "challenge", "goal", "contact", "cdomain", *REFERRAL_TABLES)
    }
    challenge_id = 0
    counters: dict[int, int] = {}
    for i in range(1, cases + 1):
        municipality = rng.choices(municipalities, [8, 1, 1, 1, 1, 1])[0]
        rows["person"].append(
            dict(id=i, first_name="Ime", last_name=f"Priimek{i}", name_key=f"priimek{i} ime",
                 birth_year=rng.randint(1930, 2012) if rng.random() > 0.03 else None,
                 gender=rng.choice([Gender.FEMALE, Gender.MALE, Gender.FEMALE, Gender.OTHER]),
                 municipality=municipality, settlement=rng.choice(PLACES[municipality]),
                 created_at=stamp, version_id=1)
        )  # fmt: skip
        opened = today - timedelta(days=rng.randint(0, days))
        closed = opened + timedelta(days=rng.randint(5, 240))
        is_open = closed >= today or rng.random() < 0.02
        counters[opened.year] = counters.get(opened.year, 0) + 1
        rows["case"].append(
            dict(id=i, number=f"{opened.year}-{counters[opened.year]:05d}", person_id=i,
                 status=CaseStatus.ACTIVE if is_open else CaseStatus.CLOSED, legal_basis=LegalBasis.SOCIAL_CARE,
                 opened_on=opened, closed_on=None if is_open else closed,
                 outcome=None if is_open else rng.choice(list(CaseOutcome)), outcome_note="",
                 created_at=stamp, updated_at=stamp, version_id=1)
        )  # fmt: skip
        if rng.random() < 0.9:
            rows["assign"].append(dict(case_id=i, user_id=rng.choice(staff_ids)))
        challenges = []
        for domain in set(rng.choices(domains, weights, k=rng.choice([1, 1, 2, 3]))):
            challenge_id += 1
            challenges.append((challenge_id, domain))
            rows["challenge"].append(
                dict(id=challenge_id, case_id=i, domain_id=domain, description="Opis.",
                     urgency=rng.choice(list(Urgency)), created_at=stamp, version_id=1)
            )  # fmt: skip
        if services:
            add_referrals(rng, rows, i, opened, today, challenges, services, domains)
        if rng.random() < 0.6:
            rows["goal"].append(
                dict(case_id=i, title="Cilj", status="open", version_id=1,
                     created_at=datetime.combine(opened + timedelta(days=rng.randint(0, 30)), datetime.min.time()))
            )  # fmt: skip
    for i in range(1, cases // 2 + 1):
        rows["contact"].append(
            dict(id=i, occurred_on=today - timedelta(days=rng.randint(0, days)), channel=rng.choice(list(Channel)),
                 action=rng.choice(list(ContactAction)), created_at=stamp)
        )  # fmt: skip
        for domain in set(rng.choices(domains, weights, k=rng.choice([1, 2]))):
            rows["cdomain"].append(dict(contact_id=i, term_id=domain))
    rows["search"] = [
        dict(at=datetime.combine(today - timedelta(days=rng.randint(0, 89)), datetime.min.time()), query="iskanje",
             query_key="iskanje", result_count=0,
             filters=f'{{"domain": ["{codes[rng.randrange(len(codes))][0]}"]}}' if rng.random() < 0.4 else "{}")
        for _ in range(cases // 10)
    ]  # fmt: skip
    rows["counters"] = [dict(year=y, last=n) for y, n in counters.items()]
    return rows


REFERRAL_TABLES = ("referral", "rchallenge", "revent", "need")
# What became of a sent referral, with weights: the chain of statuses its events record.
HISTORIES = [
    (("sent",), 8),
    (("sent", "accepted"), 6),
    (("sent", "accepted", "in_progress"), 8),
    (("sent", "accepted", "in_progress", "completed"), 40),
    (("sent", "declined"), 22),
    (("sent", "cancelled"), 6),
    (("sent", "accepted", "cancelled"), 3),
]


def add_referrals(rng, rows, case_id, opened, today, challenges, services, domains) -> None:
    """0-2 referrals of one case (about one on average), their events and unmet needs."""
    from cases.needs.models import NeedKind
    from cases.referrals.models import DeclineReason, NameShown, ReferralOutcome, ReferralStatus

    chosen = rng.sample(services, rng.choices([0, 1, 2], [25, 50, 25])[0])
    for service_id, organization_id in chosen:
        referral_id = len(rows["referral"]) + 1
        history = rng.choices([h for h, _w in HISTORIES], [w for _h, w in HISTORIES])[0]
        at = datetime.combine(opened, datetime.min.time()) + timedelta(days=rng.randint(0, 20), hours=10)
        sent_at, last = at, "draft"
        for status in history:
            if status != "sent":
                at += timedelta(days=rng.randint(1, 14 if status in ("accepted", "declined") else 60))
            if at.date() > today:
                break  # the future has not happened yet: the referral waits in its last state
            rows["revent"].append(dict(referral_id=referral_id, at=at, from_status=last, to_status=status,
                                       by_organization=status != "cancelled", note=""))  # fmt: skip
            last = status
        if last == "draft":
            sent_at = None
        reason = rng.choice(list(DeclineReason)) if last == "declined" else None
        rows["referral"].append(
            dict(id=referral_id, case_id=case_id, service_id=service_id, organization_id=organization_id,
                 status=ReferralStatus(last), note="", name_shown=NameShown.INITIALS, decline_reason=reason,
                 outcome=rng.choice(list(ReferralOutcome)) if last == "completed" else None, closing_note="",
                 created_at=sent_at or at, sent_at=sent_at, updated_at=at, version_id=1)
        )  # fmt: skip
        for challenge, _domain in rng.sample(challenges, min(len(challenges), rng.choice([1, 1, 2]))):
            rows["rchallenge"].append(dict(referral_id=referral_id, challenge_id=challenge))
        if reason == DeclineReason.NO_CAPACITY:  # the flow records the capacity decline as a need
            rows["need"].append(dict(case_id=case_id, domain_id=challenges[0][1], kind=NeedKind.WAITING_LIST,
                                     note="", referral_id=referral_id, recorded_on=at))  # fmt: skip
    if rng.random() < 0.1:
        recorded = datetime.combine(opened, datetime.min.time()) + timedelta(days=rng.randint(0, 10), hours=11)
        rows["need"].append(dict(case_id=case_id, domain_id=rng.choice(domains), kind=rng.choice(list(NeedKind)),
                                 note="", recorded_on=min(recorded, datetime.combine(today, datetime.min.time()))))  # fmt: skip


def load(rows: dict[str, list[dict]]) -> None:
    import sqlalchemy as sa

    from cases.models import (
        AnonymousContact,
        Case,
        CaseNumberCounter,
        Challenge,
        Person,
        anonymous_contact_domain,
        case_assignment,
    )
    from cases.needs.models import UnmetNeed
    from cases.plans.models import PlanGoal
    from cases.referrals.models import Referral, ReferralEvent, referral_challenge
    from catalog.search import SearchLog
    from welfare.extensions import db

    tables = [("person", Person), ("case", Case), ("assign", case_assignment), ("challenge", Challenge),
              ("goal", PlanGoal), ("contact", AnonymousContact), ("cdomain", anonymous_contact_domain),
              ("search", SearchLog), ("counters", CaseNumberCounter), ("referral", Referral),
              ("rchallenge", referral_challenge), ("revent", ReferralEvent), ("need", UnmetNeed)]  # fmt: skip
    for key, target in tables:
        table = target if isinstance(target, sa.Table) else target.__table__
        for start in range(0, len(rows.get(key, ())), CHUNK):
            db.session.execute(sa.insert(table), rows[key][start : start + CHUNK])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would have by now
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
