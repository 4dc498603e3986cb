"""Prepare the load test's database: upgrade, demo data, bench staff users, and a JSON of what
the simulated users visit (services, search words, open cases with their referrals).

    python bench/load/prepare.py OUT.json   (reads the same WELFARE_* settings as the server)
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "bench load password zebra 2026"  # noqa: S105  (throwaway users in a scratch database)
STAFF = 20


def main(out: str) -> None:
    import sqlalchemy as sa

    from cases.models import Case, CaseStatus
    from cases.referrals.models import Referral
    from catalog.models import Service
    from catalog.services import public_service_filter
    from welfare import create_app
    from welfare.auth import services as auth
    from welfare.commands import seed_demo, upgrade_database
    from welfare.extensions import db
    from welfare.models import Role, User

    app = create_app()
    with app.app_context():
        upgrade_database()
        seed_demo()
        for i in range(STAFF):
            if not db.session.scalar(sa.select(User).where(User.username == f"load-{i}")):
                auth.create_user(f"load-{i}", Role.SOCIAL_WORKER, PASSWORD)
        cases = db.session.scalars(
            sa.select(Case).where(Case.status.in_([CaseStatus.OPEN, CaseStatus.ACTIVE])).limit(200)
        ).all()
        referrals = db.session.execute(
            sa.select(Case.number, Referral.id).join(Referral, Referral.case_id == Case.id).limit(400)
        ).all()
        plan = {
            "password": PASSWORD,
            "users": [f"load-{i}" for i in range(STAFF)],
            "services": db.session.scalars(
                sa.select(Service.id).join(Service.organization).where(public_service_filter()).limit(300)
            ).all(),
            "cases": [c.number for c in cases],
            "referrals": [[number, rid] for number, rid in referrals],
            "words": ["dolg", "hrana", "stanovanje", "nasilje", "zasvojenost", "pravna pomoč", "brezdomstvo", "otroci"],
        }
    Path(out).write_text(json.dumps(plan))
    print(f"{len(plan['services'])} services, {len(plan['cases'])} open cases, {len(plan['referrals'])} referrals")


if __name__ == "__main__":
    main(sys.argv[1])
