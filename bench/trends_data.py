"""A synthetic register for the trend-report benchmark: N cases over five years, with every
fact the reports read (persons' birth year, gender, municipality and settlement; challenges on
all life domains with urgency; outcomes; first plan goals; assignees by role), anonymous
contacts and zero-result catalog searches. Batched Core inserts: SQLite and PostgreSQL.

    from bench.trends_data import generate, load   # inside an app context, schema created
    load(generate(100_000))
"""

import random
from datetime import date, datetime, timedelta

CHUNK = 10_000
YEARS = 5
PLACES = {
    "Novo mesto": ["Novo mesto", "Bršljin", "Šmihel", "Ločna", "Bučna vas", "Otočec", "Stopiče", "Mali Slatnik"],
    "Mirna Peč": ["Mirna Peč", "Globodol", "Hmeljčič"],
    "Straža": ["Straža", "Vavta vas", "Jurka vas"],
    "Žužemberk": ["Žužemberk", "Dvor", "Šmihel pri Žužemberku"],
    "Šentjernej": ["Šentjernej", "Orehovica", "Gorenje Mokro Polje"],
    "Dolenjske Toplice": ["Dolenjske Toplice", "Podhosta"],
}


def generate(cases: int, staff_ids: list[int], seed: int = 11) -> dict[str, list[dict]]:
    """Rows per table; `staff_ids` are the office users cases are assigned to."""
    from cases.models import CaseOutcome, CaseStatus, Channel, ContactAction, Gender, LegalBasis, Urgency
    from catalog.models import TAXONOMY_DOMAINS
    from catalog.seed import reference_data, term_id

    rng = random.Random(seed)
    codes = next(t for t in reference_data()["taxonomies"] if t["id"] == TAXONOMY_DOMAINS)["terms"]
    domains = [term_id(TAXONOMY_DOMAINS, code) for code, _name, _desc in codes]
    weights = [1 / (i + 1) for i in range(len(domains))]  # a realistic skew: a few domains dominate
    municipalities = list(PLACES)
    today = date.today()
    days = YEARS * 365
    stamp = datetime(2020, 1, 1)
    rows: dict[str, list[dict]] = {
        k: [] for k in ("person", "case", "assign", "challenge", "goal", "contact", "cdomain")
    }
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
        for domain in set(rng.choices(domains, weights, k=rng.choice([1, 1, 2, 3]))):
            rows["challenge"].append(
                dict(case_id=i, domain_id=domain, description="Opis.", urgency=rng.choice(list(Urgency)),
                     created_at=stamp, version_id=1)
            )  # fmt: skip
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
    from cases.plans.models import PlanGoal
    from catalog.search.models import SearchLog
    from welfare.extensions import db

    tables = [("person", Person), ("case", Case), ("assign", case_assignment), ("challenge", Challenge),
              ("goal", PlanGoal), ("contact", AnonymousContact), ("cdomain", anonymous_contact_domain),
              ("search", SearchLog), ("counters", CaseNumberCounter)]  # fmt: skip
    for key, target in tables:
        table = target if isinstance(target, sa.Table) else target.__table__
        for start in range(0, len(rows[key]), CHUNK):
            db.session.execute(sa.insert(table), rows[key][start : start + CHUNK])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":  # fresh statistics, as autovacuum would have by now
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    else:
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
