"""The concurrency proof, shared by tests/functional/test_concurrency.py (small) and
bench/concurrency.py (8 processes x 50): processes, each with its own login, update the same
case, timeline, plan step and referral through a real server at once; then `check` reads the
database and proves that no update was lost and every refused one was told why.

Every edit form carries the version it was loaded with, so an accepted edit based on version v
made version v+1: two accepted edits from the same base would mean one overwrote the other
unseen (a lost update), and the final value must be the one of the accepted edit with the
highest base.
"""

import multiprocessing
import re
from collections import Counter
from datetime import date, timedelta

import sqlalchemy as sa

from tests.conftest import CSRF_RE, PASSWORD, create_user
from tests.proof_helpers import CONFLICT_TEXT, Browser, read_form
from welfare.extensions import db
from welfare.models import Role

KINDS = ("case", "note", "step", "referral")
NEXT_STATE = {"sent": "accepted", "accepted": "in_progress", "in_progress": "completed"}
FIRST_DAY = date(2027, 1, 1)


def seed(app, processes: int) -> dict:
    """A case with a plan step and a sent referral, and one social worker per process."""
    from tests.plan_factories import add_goal, add_step
    from tests.ref_helpers import create_referral, referral_setup, send_referral

    setup = referral_setup(app)
    for i in range(processes):
        create_user(app, Role.SOCIAL_WORKER, f"hammer-{i}")
    with app.app_context():
        from cases.models import Case, LegalBasis
        from tests.plan_factories import user_named

        # A case as intake leaves it: a legal basis and an assignee, so the edit form is valid as loaded.
        case = db.session.scalar(sa.select(Case).where(Case.number == setup["number"]))
        case.legal_basis = LegalBasis.SOCIAL_CARE
        case.assignees = [user_named("hammer-0")]
        db.session.commit()
        step = add_step(add_goal(number=setup["number"]))
        setup["step_id"] = step.id
    client = app.test_client()
    from tests.conftest import login

    login(client, "hammer-0")
    setup["referral_id"] = create_referral(client, setup)
    assert send_referral(client, setup, setup["referral_id"]).status_code == 302
    return {k: setup[k] for k in ("number", "step_id", "referral_id")}


def _attempt(browser: Browser, kind: str, ids: dict, tag: str, serial: int) -> dict:
    number = ids["number"]
    if kind == "referral":
        page_path = f"/cases/{number}/referrals/{ids['referral_id']}"
        target = page_path + "/status"
    else:
        page_path = {
            "case": f"/cases/{number}/edit",
            "note": f"/cases/{number}/timeline/new",
            "step": f"/cases/{number}/plan/steps/{ids['step_id']}/edit",
        }[kind]
        target = page_path
    status, page, _ = browser.request(page_path)
    if status != 200:
        return {"kind": kind, "status": status, "stage": "GET", "value": None, "base": None, "text": ""}
    try:
        fields = read_form(page, target, page_path)
    except AssertionError:  # a closed referral offers no change: post the last one anyway
        fields = {"csrf_token": [CSRF_RE.search(page).group(1)], "version_id": [str(ids.get("seen", 1))]}
    value = f"{kind} {tag}"
    if kind == "case":
        value = (FIRST_DAY + timedelta(days=serial)).isoformat()
        fields["follow_up_on"] = [value]
    elif kind == "note":
        fields["text"] = [value]
    elif kind == "step":
        fields["title"] = [value]
    else:
        current = next((state for state in NEXT_STATE if f"badge referral-{state}" in page), "completed")
        fields.update(status=[NEXT_STATE.get(current, "completed")], note=[value], outcome=["helped"])
    status, body, _ = browser.request(target, fields)
    return {
        "kind": kind,
        "status": status,
        "stage": "POST",
        "value": value,
        "base": int(fields["version_id"][0]) if fields.get("version_id") else None,
        "text": body if status != 302 else "",
    }


def hammer(base_url: str, username: str, worker: int, rounds: int, ids: dict) -> list[dict]:
    """One process: log in, then `rounds` x one attempt of each kind."""
    browser = Browser(base_url)
    browser.login(username, PASSWORD)
    results = []
    for j in range(rounds):
        for kind in KINDS:
            results.append(_attempt(browser, kind, ids, f"w{worker}-{j}", worker * rounds + j))
    return results


def run(base_url: str, processes: int, rounds: int, ids: dict) -> list[dict]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes) as pool:
        jobs = [pool.apply_async(hammer, (base_url, f"hammer-{i}", i, rounds, ids)) for i in range(processes)]
        return [result for job in jobs for result in job.get(timeout=1800)]


def _refused_clearly(result: dict) -> bool:
    """An edit is refused only for a conflict, said on the page; a referral's refusal (changed
    meanwhile, or a lifecycle step no longer allowed) is a 409 with an error message."""
    if result["kind"] != "referral":
        return result["status"] in (200, 409) and CONFLICT_TEXT in result["text"]
    return result["status"] == 409 and (
        'class="flash flash-error"' in result["text"] or "error-summary" in result["text"]
    )


def _errors(html: str) -> str:
    """The error summary of a page, as text (for failure messages)."""
    start = html.find("error-summary")
    return re.sub(r"<[^>]+>|\s+", " ", html[start : start + 1500]) if start >= 0 else html[:300]


def check(app, ids: dict, results: list[dict]) -> dict:
    """Assert the proof; return counts per kind for the report."""
    from cases.models import Case, TimelineEntry
    from cases.plans.models import PlanStep
    from cases.referrals.models import Referral, ReferralEvent

    server_errors = [r for r in results if r["status"] >= 500]
    assert not server_errors, server_errors[:5]
    assert all(r["stage"] == "POST" for r in results), [r for r in results if r["stage"] != "POST"][:5]
    summary = {}
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == ids["number"]))
        step = db.session.get(PlanStep, ids["step_id"])
        notes = Counter(db.session.scalars(sa.select(TimelineEntry.text).where(TimelineEntry.case_id == case.id)))
        referral = db.session.get(Referral, ids["referral_id"])
        # A completion's note starts with the outcome ("Helped – ..."): count the typed part.
        events = Counter(
            note.split(" – ")[-1]
            for note in db.session.scalars(
                sa.select(ReferralEvent.note).where(ReferralEvent.referral_id == referral.id)
            )
        )
        finals = {"case": case.follow_up_on.isoformat() if case.follow_up_on else None, "step": step.title}
        referral_status = referral.status.value
    for kind in KINDS:
        mine = [r for r in results if r["kind"] == kind]
        accepted = [r for r in mine if r["status"] == 302]
        refused = [r for r in mine if r["status"] != 302]
        unclear = [r for r in refused if not _refused_clearly(r)]
        assert not unclear, (kind, [(r["status"], _errors(r["text"])) for r in unclear[:3]])
        if kind in ("case", "step"):
            assert accepted, f"no {kind} edit went through"
            bases = Counter(r["base"] for r in accepted)
            assert all(n == 1 for n in bases.values()), f"{kind}: two accepted edits from one version (lost update)"
            assert finals[kind] == max(accepted, key=lambda r: r["base"])["value"]
        elif kind == "note":
            for r in accepted:
                assert notes[r["value"]] == 1, f"note {r['value']!r} stored {notes[r['value']]} times"
            assert not any(notes[r["value"]] for r in refused)
        else:
            for r in accepted:
                assert events[r["value"]] == 1, (r["value"], events)
            assert not any(events[r["value"]] for r in refused)
            assert len(accepted) <= len(NEXT_STATE)
        summary[kind] = {"attempts": len(mine), "accepted": len(accepted), "refused": len(refused)}
    summary["referral_status"] = referral_status
    assert summary["note"]["accepted"] == summary["note"]["attempts"], "a note has no version to conflict with"
    return summary
