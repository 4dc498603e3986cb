"""Password hashing (argon2id) and the password policy."""

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _

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


KEYBOARD_RUNS = (
    "1234567890",
    "qwertyuiop",
    "qwertzuiop",
    "asdfghjkl",
    "yxcvbnm",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def _is_keyboard_run(lowered: str) -> bool:
    return any(lowered in run or lowered in run[::-1] for run in KEYBOARD_RUNS)


def password_problems(password: str, username: str = "") -> list[str]:
    """Return translated reasons why a password is not acceptable (empty when it is fine)."""
    min_len = current_app.config["PASSWORD_MIN_LENGTH"]
    max_len = current_app.config["PASSWORD_MAX_LENGTH"]
    problems = []
    if len(password) < min_len:
        problems.append(_("The password must have at least %(num)d characters.", num=min_len))
    if len(password) > max_len:
        problems.append(_("The password can have at most %(num)d characters.", num=max_len))
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) <= 2 or _is_keyboard_run(lowered):
        problems.append(_("This password is too common and easy to guess. Choose another one."))
    elif username and username.lower() in lowered:
        problems.append(_("The password must not contain the username."))
    return problems
