"""`flask cases retention [--apply]`: a dry run changes nothing; --apply anonymizes exactly the
cases closed more than CASE_RETENTION_YEARS ago, keeps what trend reports read (the CSV of the
period is byte for byte the same), and a second run changes nothing."""

from datetime import date

import pytest
import sqlalchemy as sa

from cases.drafts import Draft
from cases.models import Case, Challenge, Consent, Deadline, Person, TimelineEntry
from cases.needs.models import UnmetNeed
from cases.plans.models import PlanChange, PlanGoal, PlanReview, PlanStep
from cases.privacy.models import CaseAnonymization
from cases.referrals.models import Referral, ReferralEvent, ReferralLink
from tests.gdpr_helpers import outbox_files, rich_case
from tests.trends_factories import add_cases
from welfare.extensions import db
from welfare.mail import OutgoingMail
from welfare.models import Role

OPENED, CLOSED = date(2014, 3, 10), date(2015, 1, 20)
PERIOD = {"section": "all", "period": "custom", "start": "2014-01", "end": "2015-12"}
# Every free-text column retention blanks, as (model, column).
TEXTS = [
    (Case, "outcome_note"),
    (Challenge, "description"),
    (TimelineEntry, "text"),
    (Consent, "scope"),
    (Deadline, "title"),
    (PlanGoal, "title"),
    (PlanStep, "title"),
    (PlanReview, "note"),
    (PlanChange, "old_value"),
    (Referral, "note"),
    (Referral, "closing_note"),
    (ReferralEvent, "note"),
    (UnmetNeed, "note"),
]


@pytest.fixture
def register(app):
    """Six rich cases closed in 2015 (due), six plain ones, Petra with a 2015 case and an open one,
    and Rok's case closed in 2024 (within retention)."""
    with app.app_context():
        old = [
            rich_case(f"OLD{i}", first_name="Stara", last_name=f"Oseba{i}", opened_on=OPENED, closed_on=CLOSED)[
                1
            ].number
            for i in range(6)
        ]
        # An official settlement: a typed one (the factory's default) would become "other" on retention.
        old += [case.number for case in add_cases(6, date(2014, 3, 12), settlement="Ratež", closed_on=CLOSED)]
        petra, petra_old, _ = rich_case(
            "PETRA", first_name="Petra", last_name="Zajc", opened_on=OPENED, closed_on=CLOSED
        )
        _, petra_open, _ = rich_case(
            "PETRANOW", first_name="", last_name="", opened_on=date(2026, 5, 1), closed_on=None, person=petra
        )
        _, recent, _ = rich_case(
            "ROK", first_name="Rok", last_name="Kos", opened_on=date(2023, 1, 1), closed_on=date(2024, 6, 1)
        )
        db.session.commit()
        return {"old": old + [petra_old.number], "petra": petra.id, "kept": [petra_open.number, recent.number]}


def _retention(app, *args):
    result = app.test_cli_runner().invoke(args=["cases", "retention", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _texts_of(numbers) -> dict:
    """Every free text on these cases (and their persons' names), to compare."""
    case_ids = sa.select(Case.id).where(Case.number.in_(numbers))
    found = {}
    for model, column in TEXTS:
        query = sa.select(getattr(model, column))
        if model is Case:
            query = query.where(Case.id.in_(case_ids))
        elif model is PlanStep:
            query = query.join(PlanGoal).where(PlanGoal.case_id.in_(case_ids))
        elif model is ReferralEvent:
            query = query.join(Referral).where(Referral.case_id.in_(case_ids))
        else:
            query = query.where(model.case_id.in_(case_ids))
        found[f"{model.__name__}.{column}"] = sorted(db.session.scalars(query))
    names = db.session.execute(
        sa.select(Person.first_name, Person.last_name, Person.birth_date, Person.phone, Person.email)
        .join(Case)
        .where(Case.number.in_(numbers))
    )
    found["persons"] = sorted(tuple(map(str, row)) for row in names)
    return found


def test_a_dry_run_lists_the_old_closed_cases_and_changes_nothing(app, register):
    with app.app_context():
        before = _texts_of(register["old"] + register["kept"])
        files = outbox_files()
    output = _retention(app)
    for number in register["old"]:
        assert number in output
    for number in register["kept"]:
        assert number not in output
    assert f"Dry run: {len(register['old'])} case(s) would be anonymized" in output
    assert "identity kept" in output  # Petra's old case: her open case keeps her name
    with app.app_context():
        assert _texts_of(register["old"] + register["kept"]) == before
        assert not db.session.scalar(sa.select(sa.func.count()).select_from(CaseAnonymization))
        assert outbox_files() == files


def test_apply_anonymizes_exactly_the_old_closed_cases(app, register):
    with app.app_context():
        kept_before = _texts_of(register["kept"])
        files_before = outbox_files()
        old_ids = list(db.session.scalars(sa.select(Case.id).where(Case.number.in_(register["old"]))))
        old_referrals = list(db.session.scalars(sa.select(Referral.id).where(Referral.case_id.in_(old_ids))))
    output = _retention(app, "--apply")
    assert f"Anonymized {len(register['old'])} case(s)." in output
    with app.app_context():
        texts = _texts_of(register["old"])
        for key, values in texts.items():
            if key != "persons":
                assert set(values) <= {""}, key
        # Only Petra keeps a name: her open case is within retention.
        names = [row for row in texts["persons"] if row[0] != "—"]
        assert {row[:2] for row in names} == {("Petra", "Zajc")}
        erased = db.session.scalars(sa.select(Person).join(Case).where(Case.number == register["old"][0])).one()
        assert (erased.name_key, erased.birth_date, erased.phone, erased.email) == ("", None, None, None)
        assert (
            erased.birth_year == 1979
            and (erased.municipality, erased.settlement) == ("Novo mesto", "Otočec")
            and erased.gender is not None
        )
        assert _texts_of(register["kept"]) == kept_before
        assert not db.session.scalar(sa.select(sa.func.count()).where(ReferralLink.referral_id.in_(old_referrals)))
        about = [f"referral:{i}" for i in old_referrals]
        assert not db.session.scalar(sa.select(sa.func.count()).where(OutgoingMail.about.in_(about)))
        drafts = set(db.session.scalars(sa.select(Draft.form_key)))
        assert drafts == {f"/cases/{number}/timeline/new" for number in register["kept"]}
        assert len(files_before - outbox_files()) == 7 and len(outbox_files()) == 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseAnonymization)) == len(old_ids)


def test_trend_figures_are_the_same_before_and_after(app, register, login_as):
    client = login_as(Role.SUPERVISOR)
    before = client.get("/trends/export.csv", query_string=PERIOD).get_data(as_text=True)
    cells = [cell for line in before.splitlines() for cell in line.split(",")]
    assert any(cell.isdigit() and int(cell) >= 12 for cell in cells), "the period's figures must not all be suppressed"
    _retention(app, "--apply")
    assert client.get("/trends/export.csv", query_string=PERIOD).get_data(as_text=True) == before


def test_a_second_run_changes_nothing(app, register):
    _retention(app, "--apply")
    with app.app_context():
        after_first = _texts_of(register["old"] + register["kept"])
    assert "Anonymized 0 case(s)." in _retention(app, "--apply")
    assert "Dry run: 0 case(s)" in _retention(app)
    with app.app_context():
        assert _texts_of(register["old"] + register["kept"]) == after_first


def test_the_period_comes_from_the_configuration(app, register):
    app.config["CASE_RETENTION_YEARS"] = 1
    output = _retention(app)
    assert register["kept"][1] in output and register["kept"][0] not in output
