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


def _ids(records) -> list[int]:
    db.session.flush()  # a new record gets its id, and the listeners read the changed rows
    return [getattr(record, "id", record) for record in records]


def case_changed(*cases) -> None:
    """The cases' (or case ids') counted facts (dates, outcome, person, challenges, plan) may
    have changed."""
    cases_changed.send(current_app._get_current_object(), case_ids=_ids(cases))


def referral_changed(*referrals) -> None:
    """The referrals' (or referral ids') counted facts (sending, state, answer, outcome) may
    have changed."""
    referrals_changed.send(current_app._get_current_object(), referral_ids=_ids(referrals))


def many_changed() -> None:
    """Records changed in bulk: the listeners rebuild what they derive."""
    db.session.flush()
    data_replaced.send(current_app._get_current_object())
