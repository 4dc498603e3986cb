"""Demo case register: about 300 synthetic cases over the last 18 months and 150 anonymous contacts.

Names come from Faker's Slovenian locale and the random generators are seeded, so every demo
looks the same. The set is loaded only into an empty case register (that is what makes
`seed-demo` idempotent: a second run adds nothing). Dates are relative to today, so the work
view always has steps and deadlines due, overdue and upcoming.
"""

import random
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from faker import Faker

from cases import events
from cases.models import (
    CONSENT_TEXT_VERSIONS,
    AnonymousContact,
    Case,
    CaseNumberCounter,
    CaseOutcome,
    CaseStatus,
    Challenge,
    Channel,
    Consent,
    ContactAction,
    Deadline,
    DeadlineKind,
    EntryKind,
    Gender,
    LegalBasis,
    Person,
    TimelineEntry,
    Urgency,
)
from cases.names import name_key
from cases.plans.deadlines import next_working_day
from cases.plans.models import GoalStatus, PlanGoal, PlanReview, PlanStep, StepOwner, StepStatus
from catalog.models import TAXONOMY_DOMAINS, Organization, TaxonomyTerm
from catalog.seed import load_taxonomies, term_id
from welfare.clock import today
from welfare.extensions import db
from welfare.models import STAFF_ROLES, User

SEED = 20260
CASES = 300
CONTACTS = 150
DAYS_BACK = 548  # 18 months
DEMO_USERNAMES = ("organizator", "pravnik", "socialna")

# How often each life domain comes to the office: debt, poverty, housing, work and mental health lead.
DOMAIN_WEIGHTS = {
    "dolgovi": 14, "revscina": 14, "stanovanje": 11, "zaposlovanje": 10, "dusevno-zdravje": 9,
    "pravice-pravna-pomoc": 6, "socialna-izkljucenost": 5, "otroci-mladi-druzina": 5, "zasvojenost": 4,
    "zdravje": 4, "brezdomstvo": 3, "nasilje": 3, "financna-pismenost": 3, "starejsi": 3,
    "izobrazevanje": 2, "jezik-pismenost": 2, "invalidnost": 2, "komunalna-oskrba": 2,
    "romi-diskriminacija": 2, "travma": 1, "prostor-legalizacija": 1, "prevoz": 1, "higiena": 1,
    "rejnistvo": 0.5, "varnost": 0.5, "rojstvo-otroka": 0.5, "smrt-pogreb": 0.5, "dnevno-varstvo": 0.5,
    "okolje-zivali": 0.3, "prosti-cas": 0.3, "prostovoljstvo": 0.3,
}  # fmt: skip
# Where people come from: mostly Novo mesto and its settlements (catalog-sources 1D), then the region.
# Official settlements only (cases/data/settlements.json); Krško and Brežice, outside the region,
# have no settlement list, so none is recorded there. (Same list lengths: the same draws.)
REGION = [
    ("Novo mesto", 55, ["Novo mesto", "Novo mesto", "Brezje", "Novo mesto", "Otočec", "Stopiče"]),
    ("Šentjernej", 8, ["Šentjernej", "Mihovica"]),
    ("Semič", 5, ["Semič", "Sovinek", "Vrčice", "Blatnik pri Črmošnjicah", "Srednja vas", "Črmošnjice"]),
    ("Krško", 6, ["", "", "", ""]),
    ("Brežice", 4, ["", ""]),
    ("Škocjan", 4, ["Škocjan"]), ("Trebnje", 6, ["Trebnje"]), ("Metlika", 4, ["Metlika"]),
    ("Črnomelj", 5, ["Črnomelj"]), ("Kočevje", 3, ["Kočevje"]),
]  # fmt: skip
GOALS = {
    "dolgovi": ("Urediti dolgove in preprečiti izvršbo", ["Zbrati vse opomine in sklepe o izvršbi",
                "Obisk dolžniškega svetovanja", "Dogovor o obročnem odplačilu z upnikom"]),
    "revscina": ("Zagotoviti osnovno materialno varnost", ["Vloga za denarno socialno pomoč na CSD",
                 "Prevzem paketa pomoči pri Rdečem križu", "Vloga za izredno denarno pomoč"]),
    "stanovanje": ("Ohraniti ali najti primerno stanovanje", ["Vloga na razpis za neprofitna stanovanja",
                   "Vloga za subvencijo najemnine", "Pogovor z lastnikom o zamudah pri najemnini"]),
    "zaposlovanje": ("Vključitev v zaposlitev ali usposabljanje", ["Prijava na Zavodu za zaposlovanje",
                     "Priprava življenjepisa", "Vključitev v program javnih del"]),
    "dusevno-zdravje": ("Dostop do psihološke podpore", ["Napotitev k osebnemu zdravniku",
                        "Prvi pogovor v centru za duševno zdravje", "Vključitev v skupino za samopomoč"]),
    "pravice-pravna-pomoc": ("Uveljaviti pravice v postopku", ["Vloga za brezplačno pravno pomoč",
                             "Priprava pritožbe zoper odločbo", "Pregled dokumentacije s pravnikom"]),
}  # fmt: skip
GENERIC_GOAL = ("Izboljšati položaj na tem področju", ["Zbrati potrebne dokumente", "Obisk pristojne ustanove",
                "Pogovor o napredku"])  # fmt: skip
NOTES = [
    "Prvi pogovor, oseba je prinesla dokumente.", "Telefonski klic: dogovor za naslednji obisk.",
    "Poslana e-pošta z informacijami o pravicah.", "Obisk na domu, razmere so se izboljšale.",
    "Sestanek z organizacijo o nadaljnji pomoči.", "Oseba poroča o napredku pri korakih načrta.",
    "Dogovor o skupnem obisku na centru za socialno delo.", "Pregled načrta, en korak prestavljen.",
]  # fmt: skip
LEGAL_DOMAINS = {"dolgovi", "pravice-pravna-pomoc", "stanovanje", "revscina"}
CARE_DOMAINS = {"dusevno-zdravje", "nasilje", "zasvojenost", "travma", "otroci-mladi-druzina", "starejsi"}


def load_demo_cases() -> str:
    """Add the demo cases and contacts to an empty case register; return a line for the operator."""
    if db.session.scalar(sa.select(Case.id).limit(1)) or db.session.scalar(sa.select(AnonymousContact.id).limit(1)):
        return "Demo cases already exist; nothing added."
    users = _demo_users()
    if not users:
        return "No office team members exist; demo cases skipped."
    load_taxonomies()
    terms = {
        t.code: t
        for t in db.session.scalars(sa.select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == TAXONOMY_DOMAINS))
    }
    org_ids = list(db.session.scalars(sa.select(Organization.id).order_by(Organization.id).limit(40)))
    generator = _Generator(users, terms, org_ids, today())
    for opened_on in sorted(generator.day(DAYS_BACK) for _ in range(CASES)):
        generator.add_case(opened_on)
    for _ in range(CONTACTS):
        generator.add_contact()
    generator.add_reviews()
    generator.save_counters()
    events.many_changed()  # the trend reports derive their rows again
    db.session.commit()
    return f"Demo cases: {CASES} cases and {CONTACTS} anonymous contacts added."


def _demo_users() -> dict[str, User]:
    """The demo team by role (organizer, lawyer, social worker), or any office team members."""
    users = list(db.session.scalars(sa.select(User).where(User.username.in_(DEMO_USERNAMES))))
    if not users:
        users = list(db.session.scalars(sa.select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.id)))
    by_role: dict[str, User] = {}
    for user in users:
        by_role.setdefault(user.role.value, user)
    return by_role


class _Generator:
    def __init__(self, users: dict[str, User], terms: dict[str, TaxonomyTerm], org_ids: list[str], on: date):
        self.rng = random.Random(SEED)
        self.fake = Faker("sl_SI")
        self.fake.seed_instance(SEED)
        self.users, self.team = users, list(users.values())
        self.domains = [code for code in DOMAIN_WEIGHTS if code in terms]
        self.weights = [DOMAIN_WEIGHTS[code] for code in self.domains]
        self.terms, self.org_ids, self.on = terms, org_ids, on
        self.counters: dict[int, int] = {}
        self.reviews: list[tuple[Case, PlanReview]] = []  # PlanReview has no relationship: ids after flush

    def day(self, days_back: int) -> date:
        return self.on - timedelta(days=self.rng.randrange(days_back))

    def pick(self, options: dict):
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    def at(self, day: date) -> datetime:
        return datetime.combine(day, time(self.rng.randint(7, 15), self.rng.choice((0, 15, 30, 45))))

    def number(self, year: int) -> str:
        if year not in self.counters:
            counter = db.session.get(CaseNumberCounter, year)
            self.counters[year] = counter.last if counter else 0
        self.counters[year] += 1
        return f"{year}-{self.counters[year]:04d}"

    def add_reviews(self) -> None:
        db.session.flush()
        for case, review in self.reviews:
            review.case_id = case.id
            db.session.add(review)

    def save_counters(self) -> None:
        for year, last in self.counters.items():
            counter = db.session.get(CaseNumberCounter, year) or CaseNumberCounter(year=year, last=0)
            counter.last = max(counter.last, last)
            db.session.add(counter)

    def person(self) -> Person:
        rng = self.rng
        gender = self.pick({Gender.FEMALE: 52, Gender.MALE: 45, Gender.OTHER: 1, Gender.UNKNOWN: 2})
        female = gender == Gender.FEMALE or (gender != Gender.MALE and rng.random() < 0.5)
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = self.fake.last_name()
        last = last[:1].upper() + last[1:]  # Faker's sl_SI list has a few in lower case ("čeh", "volk")
        age = min(90, max(18, int(rng.gauss(44, 16))))
        year = self.on.year - age
        birth_date = date(year, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.7 else None
        municipality, _weight, settlements = rng.choices(REGION, weights=[r[1] for r in REGION])[0]
        return Person(
            first_name=first,
            last_name=last,
            name_key=name_key(first, last),
            birth_date=birth_date,
            birth_year=year,
            gender=gender,
            municipality=municipality,
            settlement=rng.choice(settlements),
            phone=f"041 {rng.randint(100, 999)} {rng.randint(100, 999)}" if rng.random() < 0.6 else None,
        )

    def team_for(self, domains: list[str]) -> list[User]:
        """Lawyer for legal matters, social worker for care, organizer for the rest; sometimes two."""
        lead_role = "lawyer" if domains[0] in LEGAL_DOMAINS and self.rng.random() < 0.6 else None
        lead_role = lead_role or ("social_worker" if domains[0] in CARE_DOMAINS else "organizer")
        lead = self.users.get(lead_role) or self.rng.choice(self.team)
        team = [lead]
        if self.rng.random() < 0.12:
            other = self.rng.choice(self.team)
            if other is not lead:
                team.append(other)
        return team

    def add_case(self, opened_on: date) -> None:
        rng, on = self.rng, self.on
        age_days = (on - opened_on).days
        closed = age_days > 30 and rng.random() < (0.75 if age_days > 150 else 0.3)
        domains = list(dict.fromkeys(rng.choices(self.domains, weights=self.weights, k=rng.choice((1, 1, 2, 2, 3)))))
        team = self.team_for(domains)
        case = Case(
            number=self.number(opened_on.year),
            person=self.person(),
            legal_basis=self.pick(
                {
                    LegalBasis.SOCIAL_CARE: 50,
                    LegalBasis.CONSENT: 25,
                    LegalBasis.PUBLIC_TASK: 15,
                    LegalBasis.LEGAL_CLAIMS: 10,
                }
            ),
            opened_on=opened_on,
            created_at=self.at(opened_on),
            created_by_id=team[0].id,
        )
        case.person.created_at = case.created_at
        end = on
        if closed:
            end = min(on - timedelta(days=1), opened_on + timedelta(days=rng.randint(14, 200)))
            case.status, case.closed_on = CaseStatus.CLOSED, end
            case.outcome = self.pick(
                {
                    CaseOutcome.RESOLVED: 40,
                    CaseOutcome.PARTLY_RESOLVED: 28,
                    CaseOutcome.NOT_RESOLVED: 12,
                    CaseOutcome.WITHDREW: 10,
                    CaseOutcome.MOVED_AWAY: 5,
                    CaseOutcome.OTHER: 5,
                }  # fmt: skip
            )
        else:
            case.follow_up_on = max(opened_on, on + timedelta(days=rng.randint(-10, 30)))
        # A few open cases wait for someone to take them (the office view lists them).
        if closed or rng.random() > 0.05:
            case.assignees = team
        for code in domains:
            urgency = self.pick({Urgency.LOW: 25, Urgency.MEDIUM: 45, Urgency.HIGH: 22, Urgency.CRISIS: 8})
            description = f"Težave na področju »{self.terms[code].name}«: {rng.choice(NOTES).lower()}"
            case.challenges.append(Challenge(domain_id=term_id(TAXONOMY_DOMAINS, code), description=description,
                                             urgency=urgency, created_by_id=team[0].id))  # fmt: skip
        span = max(1, (end - opened_on).days)
        for _ in range(rng.randint(1, 6)):
            day = opened_on + timedelta(days=rng.randrange(span))
            kind = self.pick({EntryKind.NOTE: 30, EntryKind.VISIT: 25, EntryKind.PHONE: 25, EntryKind.EMAIL: 8,
                              EntryKind.HOME_VISIT: 7, EntryKind.ORG_MEETING: 5})  # fmt: skip
            moment = self.at(day)
            case.timeline.append(TimelineEntry(kind=kind, occurred_at=moment, created_at=moment,
                                               text=rng.choice(NOTES), author_id=rng.choice(team).id))  # fmt: skip
        if self.org_ids and rng.random() < 0.6:
            withdrawn = end if rng.random() < 0.15 else None
            case.consents.append(
                Consent(scope="Osnovni podatki in opis težav za napotitev.", organization_id=rng.choice(self.org_ids),
                        text_version=CONSENT_TEXT_VERSIONS[-1], given_on=opened_on, recorded_by_id=team[0].id,
                        withdrawn_on=withdrawn, withdrawn_recorded_by_id=team[0].id if withdrawn else None)
            )  # fmt: skip
        if any(code in LEGAL_DOMAINS for code in domains) and rng.random() < 0.3:
            self.add_deadline(case, opened_on, end, closed, team[0])
        db.session.add(case)
        if age_days > 3 and rng.random() < 0.75:
            self.add_plan(case, domains, opened_on, end, closed, team)

    def add_deadline(self, case: Case, opened_on: date, end: date, closed: bool, author: User) -> None:
        rng = self.rng
        if closed:
            served = opened_on + timedelta(days=rng.randrange(max(1, (end - opened_on).days)))
        else:  # recent decisions: the office sees deadlines overdue, close and further off
            served = max(opened_on, self.on - timedelta(days=rng.randint(0, 20)))
        due = next_working_day(served + timedelta(days=15))
        done = due - timedelta(days=rng.randint(0, 5)) if closed or (due < self.on and rng.random() < 0.7) else None
        case.deadlines.append(Deadline(kind=DeadlineKind.APPEAL, title="Pritožba zoper odločbo CSD", served_on=served,
                                       days=15, due_on=due, done_on=done, created_by_id=author.id))  # fmt: skip

    def add_plan(self, case: Case, domains: list[str], opened_on: date, end: date, closed: bool, team) -> None:
        rng, on = self.rng, self.on
        for code in domains[:2]:
            title, step_titles = GOALS.get(code, GENERIC_GOAL)
            goal = PlanGoal(case=case, title=title, created_by_id=team[0].id, created_at=case.created_at)
            if closed:
                goal.status = self.pick({GoalStatus.ACHIEVED: 60, GoalStatus.DROPPED: 15, GoalStatus.OPEN: 25})
            for step_title in rng.sample(step_titles, rng.randint(1, len(step_titles))):
                if closed:
                    due = opened_on + timedelta(days=rng.randint(3, max(3, (end - opened_on).days)))
                else:  # spread around today: some overdue, some due this week, most later
                    due = max(opened_on + timedelta(days=1), on + timedelta(days=rng.randint(-20, 45)))
                owner = self.pick({StepOwner.PERSON: 50, StepOwner.STAFF: 35, StepOwner.ORGANIZATION: 15})
                step = PlanStep(title=step_title, owner=owner, due_on=due)
                if owner == StepOwner.STAFF:
                    step.owner_user_id = rng.choice(team).id
                elif owner == StepOwner.ORGANIZATION and self.org_ids:
                    step.owner_organization_id = rng.choice(self.org_ids)
                if closed:
                    step.status = StepStatus.DONE if rng.random() < 0.8 else StepStatus.CANCELLED
                elif due < on and rng.random() < 0.55:
                    step.status = StepStatus.DONE
                if step.status == StepStatus.DONE:
                    step.done_on = min(due, on)
                goal.steps.append(step)
            db.session.add(goal)
        if rng.random() < 0.5:
            review_on = opened_on + timedelta(days=rng.randint(20, 90))
            held = review_on if review_on < on and (closed or rng.random() < 0.8) else None
            review = PlanReview(review_on=review_on, held_on=held, created_by_id=team[0].id,
                                note="Pregled načrta z osebo." if held else "")  # fmt: skip
            self.reviews.append((case, review))

    def add_contact(self) -> None:
        rng = self.rng
        day = self.day(DAYS_BACK)
        codes = set(rng.choices(self.domains, weights=self.weights, k=rng.choice((1, 1, 2))))
        db.session.add(
            AnonymousContact(
                occurred_on=day,
                channel=self.pick({Channel.IN_PERSON: 55, Channel.PHONE: 35, Channel.EMAIL: 10}),
                action=self.pick({ContactAction.INFORMED: 60, ContactAction.REFERRED: 30, ContactAction.OTHER: 10}),
                recorded_by_id=rng.choice(self.team).id,
                created_at=self.at(day),
                domains=[self.terms[code] for code in codes],
            )
        )
