"""Every kind of access the log records has a label wherever it is shown: the admin's filter
(present tense) and the data subject's own export (past tense). A new action without both
would break the admin filter form or show a raw code to the person."""

from cases.access_log import AccessAction
from cases.access_log_admin.forms import action_choices
from cases.privacy.export import ACTION_LABELS


def test_the_admin_filter_offers_every_action(app):
    with app.test_request_context():
        offered = {value for value, _ in action_choices()}
    assert offered == {""} | {action.value for action in AccessAction}


def test_the_persons_export_names_every_action(app):
    assert set(ACTION_LABELS) == set(AccessAction)
    with app.test_request_context(headers={"Accept-Language": "sl"}):
        assert all(str(label) for label in ACTION_LABELS.values())
