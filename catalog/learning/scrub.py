"""What residents type into the search box may name them: remove it before the query is stored.

E-mail addresses, phone numbers, EMŠO (13 digits), tax numbers (8 digits, optionally "SI")
and any other run of five or more digits become placeholders. Words stay: they are what the
learning portal learns from.
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
EMSO = re.compile(r"(?<!\d)\d{13}(?!\d)")
TAX_NUMBER = re.compile(r"(?<![\w])(?:SI\s?)?\d{8}(?!\d)", re.IGNORECASE)
# A phone number: optional +/00, then at least eight digits with single spaces, dots, slashes,
# dashes or brackets between them (041 123 456, +386 (0)7 39 34 000, 07/393-40-00).
PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[\s./()-]{0,2}\d){7,}(?!\d)")
LONG_DIGITS = re.compile(r"\d{5,}")

PLACEHOLDERS = (
    (EMAIL, "[e-mail]"),
    (EMSO, "[emso]"),
    (TAX_NUMBER, "[tax-number]"),
    (PHONE, "[phone]"),
    (LONG_DIGITS, "[number]"),
)


def scrub(text: str) -> str:
    """The query with personal identifiers replaced by placeholders."""
    for pattern, placeholder in PLACEHOLDERS:
        text = pattern.sub(placeholder, text)
    return " ".join(text.split())
