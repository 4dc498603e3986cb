"""Password hashing (argon2id) and the password policy."""

import re

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

# argon2-cffi's profiles are all argon2id; production uses RFC 9106 low-memory parameters.
# Tests may pick the CHEAPEST profile (same algorithm and format, tiny cost) to stay fast.
_hashers = {
    name: PasswordHasher.from_parameters(getattr(profiles, name)) for name in ("RFC_9106_LOW_MEMORY", "CHEAPEST")
}


def _hasher() -> PasswordHasher:
    name = (
        current_app.config.get("PASSWORD_HASH_PROFILE", "RFC_9106_LOW_MEMORY")
        if has_app_context()
        else "RFC_9106_LOW_MEMORY"
    )
    return _hashers[name]


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


# zxcvbn's feedback in English, each with our translation (zxcvbn itself has none).
FEEDBACK = {
    "Use a few words, avoid common phrases.": _l("Use a few words, avoid common phrases."),
    "No need for symbols, digits, or uppercase letters.": _l("No need for symbols, digits, or uppercase letters."),
    "Add another word or two. Uncommon words are better.": _l("Add another word or two. Uncommon words are better."),
    "Straight rows of keys are easy to guess.": _l("Straight rows of keys are easy to guess."),
    "Short keyboard patterns are easy to guess.": _l("Short keyboard patterns are easy to guess."),
    "Use a longer keyboard pattern with more turns.": _l("Use a longer keyboard pattern with more turns."),
    'Repeats like "aaa" are easy to guess.': _l('Repeats like "aaa" are easy to guess.'),
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': _l(
        'Repeats like "abcabcabc" are only slightly harder to guess than "abc".'
    ),
    "Avoid repeated words and characters.": _l("Avoid repeated words and characters."),
    'Sequences like "abc" or "6543" are easy to guess.': _l('Sequences like "abc" or "6543" are easy to guess.'),
    "Avoid sequences.": _l("Avoid sequences."),
    "Recent years are easy to guess.": _l("Recent years are easy to guess."),
    "Avoid recent years.": _l("Avoid recent years."),
    "Avoid years that are associated with you.": _l("Avoid years that are associated with you."),
    "Dates are often easy to guess.": _l("Dates are often easy to guess."),
    "Avoid dates and years that are associated with you.": _l("Avoid dates and years that are associated with you."),
    "This is a top-10 common password.": _l("This is a top-10 common password."),
    "This is a top-100 common password.": _l("This is a top-100 common password."),
    "This is a very common password.": _l("This is a very common password."),
    "This is similar to a commonly used password.": _l("This is similar to a commonly used password."),
    "A word by itself is easy to guess.": _l("A word by itself is easy to guess."),
    "Names and surnames by themselves are easy to guess.": _l("Names and surnames by themselves are easy to guess."),
    "Common names and surnames are easy to guess.": _l("Common names and surnames are easy to guess."),
    "Capitalization doesn't help very much.": _l("Capitalization doesn't help very much."),
    "All-uppercase is almost as easy to guess as all-lowercase.": _l(
        "All-uppercase is almost as easy to guess as all-lowercase."
    ),
    "Reversed words aren't much harder to guess.": _l("Reversed words aren't much harder to guess."),
    "Predictable substitutions like '@' instead of 'a' don't help very much.": _l(
        "Predictable substitutions like '@' instead of 'a' don't help very much."
    ),
}
# zxcvbn refuses longer input (its running time grows with the length); the rest adds little.
SCORED_LENGTH = 72


def _user_inputs(username: str, full_name: str) -> list[str]:
    """What an attacker would try first: the person's own names and the office's."""
    config = current_app.config
    texts = [username, full_name, config["OFFICE_NAME"], config["MUNICIPALITY_NAME"]]
    inputs = []
    for text in (t.lower() for t in texts if t):
        words = [w for w in re.split(r"[\s.,_@-]+", text) if w]
        # Names are often typed run together ("novomesto").
        pairs = [a + b for a, b in zip(words, words[1:], strict=False)]
        inputs += [text, *(w for w in words if len(w) > 2), *pairs]
    return inputs


def _strength_problems(password: str, username: str, full_name: str) -> list[str]:
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=_user_inputs(username, full_name))
    if result["score"] >= current_app.config["PASSWORD_MIN_SCORE"]:
        return []
    feedback = result["feedback"]
    hints = [feedback["warning"], *feedback["suggestions"]]
    translated = [str(FEEDBACK[h]) for h in hints if h in FEEDBACK]
    return [_("This password is too easy to guess."), *translated]


def password_problems(password: str, username: str = "", full_name: str = "") -> list[str]:
    """Return translated reasons why a password is not acceptable (empty when it is fine)."""
    min_len = current_app.config["PASSWORD_MIN_LENGTH"]
    max_len = current_app.config["PASSWORD_MAX_LENGTH"]
    problems = []
    if len(password) < min_len:
        problems.append(_("The password must have at least %(num)d characters.", num=min_len))
    if len(password) > max_len:
        problems.append(_("The password can have at most %(num)d characters.", num=max_len))
    if problems:
        return problems
    if username and username.lower() in password.lower():
        return [_("The password must not contain the username.")]
    return _strength_problems(password, username, full_name)
