"""Backups encrypted to age recipients (https://age-encryption.org, through `pyrage`).

The server holds only the public half (`BACKUP_RECIPIENTS`, e.g. `age1...`); the identity (the
private key, `AGE-SECRET-KEY-1...`) stays with the people who may restore, off the server. So a
backup copied from the server, the backup disk or the off-site store reveals nothing, and a
compromised server cannot read the backups it wrote earlier.
"""

from pathlib import Path

import pyrage

MAGIC = b"age-encryption.org/v1"


class AgeError(ValueError):
    """A recipient or identity that cannot be used, or a backup the identity does not open."""


def parse_recipients(configured) -> list:
    """The recipients of `BACKUP_RECIPIENTS`: a list, or one string of age1... keys separated by
    commas or whitespace. :raise AgeError: one is not an age public key."""
    if not configured:
        return []
    entries = configured if isinstance(configured, list | tuple) else str(configured).replace(",", " ").split()
    recipients = []
    for entry in entries:
        try:
            recipients.append(pyrage.x25519.Recipient.from_str(entry.strip()))
        except pyrage.RecipientError:
            raise AgeError(
                f"BACKUP_RECIPIENTS: {entry[:12]}... is not an age public key (age1..., from `age-keygen -y`)"
            ) from None
    return recipients


def parse_identities(text: str, source: str) -> list:
    """The identities of an age identity file (or a pasted key); lines starting with # are comments.
    :raise AgeError: none is there or one is malformed."""
    identities = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            identities.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise AgeError(f"{source} is not an age identity: expected a line AGE-SECRET-KEY-1...") from None
    if not identities:
        raise AgeError(f"{source} holds no age identity (AGE-SECRET-KEY-1...)")
    return identities


def read_identity_file(path: Path) -> list:
    try:
        return parse_identities(path.read_text(), str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise AgeError(f"{path} cannot be read: {exc}") from None


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def encrypt(plain: bytes, recipients: list) -> bytes:
    return pyrage.encrypt(plain, recipients)


def decrypt(sealed: bytes, identities: list, source: str) -> bytes:
    """:raise AgeError: the identities do not open it, or it is damaged."""
    try:
        return pyrage.decrypt(sealed, identities)
    except pyrage.DecryptError as exc:
        if "No matching keys" in str(exc):
            raise AgeError(
                f"{source} is encrypted to other recipients: this identity does not open it. Use the private key "
                "whose public half (age1...) was in BACKUP_RECIPIENTS when the backup was made."
            ) from None
        raise AgeError(f"{source} cannot be decrypted (damaged or cut short): {exc}") from None
