"""Safety first: the emergency lines a page about violence, self-harm or a crisis shows above
everything else, and the "leave this page quickly" link those pages carry (as shelters' sites do).

Which pages: a search whose words the phrases recognise as one of SAFETY_DOMAINS (or narrowed to
one), a page of such a domain, and a service serving one. Each number was checked against a
public source on the date given; the sources are kept with the numbers below.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

CHECKED = "2026-12-07"


@dataclass(frozen=True)
class Line:
    key: str
    number: str
    name: object  # a lazy translated string
    hours: object
    sources: tuple[str, ...]

    @property
    def dial(self) -> str:
        return "tel:" + self.number.replace(" ", "")


LINES = {
    line.key: line
    for line in (
        Line(
            "emergency",
            "112",
            _l("Emergency call: ambulance, fire brigade, rescue"),
            _l("free, day and night"),
            ("https://www.gov.si/teme/klic-v-sili/", "https://www.gov.si/en/topics/emergency-call/"),
        ),
        Line(
            "police",
            "113",
            _l("Police"),
            _l("free, day and night"),
            ("https://www.gov.si/teme/klic-v-sili/", "https://www.policija.si/kontakti/nujni-klici-113"),
        ),
        Line(
            "sos",
            "080 11 55",
            _l("SOS helpline for women and children victims of violence"),
            _l("free, day and night"),
            (
                "https://drustvo-sos.si/izjave-za-javnost/ga-prepoznas-nasilje-ozavescevalna-kampanja-drustva-sos-telefon-ob-25-novembru/",
                "https://www.24ur.com/novice/slovenija/od-januarja-naprej-na-voljo-24-urna-svetovalna-linija-za-zrtve-nasilja.html",
            ),
        ),
        Line(
            "samaritan",
            "116 123",
            _l("Samarijan and Sopotnik: someone to talk to in distress"),
            _l("free, day and night"),
            (
                "http://novice.si/page/prekolesarimo-svet-preprecimo-samomore/",
                "http://www.telefon-samarijan.si/?page=o_drustvu",
            ),
        ),
        Line(
            "distress",
            "01 520 99 00",
            _l("Klic v duševni stiski: a call in mental distress"),
            _l("every day, 19:00 to 7:00"),
            ("http://novice.si/page/prekolesarimo-svet-preprecimo-samomore/",),
        ),
        Line(
            "tom",
            "116 111",
            _l("TOM telephone for children and young people"),
            _l("free"),
            (
                "https://o-sta.si/8656/-nova-stevilka-stari-prijatelji",
                "https://www.24ur.com/novice/slovenija/od-januarja-naprej-na-voljo-24-urna-svetovalna-linija-za-zrtve-nasilja.html",
            ),
        ),
    )
}

# The taxonomy's domains that call for the lines, and which lines apply to each: violence (the
# police first), mental health (its description names crisis help; self-harm and suicide are its
# phrases) and trauma (assault, robbery, rape: a crime that has just happened).
SAFETY_DOMAINS = {
    "nasilje": ("police", "emergency", "sos", "tom"),
    "dusevno-zdravje": ("emergency", "samaritan", "distress", "tom"),
    "travma": ("police", "emergency", "samaritan"),
}
ORDER = ("police", "emergency", "sos", "samaritan", "distress", "tom")
DEFAULT_QUICK_EXIT_URL = "https://www.google.si/"


@dataclass(frozen=True)
class Safety:
    """What a page about danger shows: the lines that apply, in order, and where "leave" goes."""

    lines: tuple[Line, ...]
    exit_url: str


def safety_for(domain_codes) -> Safety | None:
    """The emergency lines for pages about these life domains; None when none is about danger."""
    keys = {key for code in domain_codes or () for key in SAFETY_DOMAINS.get(code, ())}
    if not keys:
        return None
    lines = tuple(LINES[key] for key in ORDER if key in keys)
    return Safety(lines=lines, exit_url=current_app.config.get("QUICK_EXIT_URL") or DEFAULT_QUICK_EXIT_URL)
