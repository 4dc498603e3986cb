"""What the case services announce when they change something another part counts.

The trend reports keep de-identified copies of cases and referrals (`cases.trends.units`);
instead of watching every database write, they listen here. A service that changes what a
case or referral is counted by (opened, closed, reopened, a challenge or plan goal added, a
referral sent or answered, ...) calls `case_changed` / `referral_changed` in its own
transaction, after its changes and before its commit, so the copies commit or roll back
with the change itself. `data_replaced` says many records changed at once (demo data,
a restore): listeners rebuild.
"""

from blinker import Namespace
from flask import current_app

from welfare.extensions import db

_events = Namespace()

cases_changed = _events.signal("cases-changed")  # case_ids: list[int]
referrals_changed = _events.signal("referrals-changed")  # referral_ids: list[int]
data_replaced = _events.signal("case-data-replaced")


def case_changed(*case_ids: int) -> None:
    """The cases' counted facts (dates, outcome, person, challenges, plan) may have changed."""
    db.session.flush()  # the listeners read the changed rows
    cases_changed.send(current_app._get_current_object(), case_ids=list(case_ids))


def referral_changed(*referral_ids: int) -> None:
    """The referrals' counted facts (sending, state, answer, outcome) may have changed."""
    db.session.flush()
    referrals_changed.send(current_app._get_current_object(), referral_ids=list(referral_ids))


def many_changed() -> None:
    """Records changed in bulk: the listeners rebuild what they derive."""
    db.session.flush()
    data_replaced.send(current_app._get_current_object())
