"""A document on a case: the file itself, encrypted, in the database row.

The content is a LargeBinary column, so `flask backup` (a copy of the database) holds every
document without a second place to back up, and erasure and retention remove it with the row.
"""

import os
from datetime import datetime

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cases.models import Case
from welfare import crypto
from welfare.crypto import EncryptedText, TamperedValue
from welfare.database import utcnow
from welfare.extensions import db

NONCE_BYTES = 12


PURPOSE = "case_document.content"


def _aad(document_id: int, key_id: str) -> bytes:
    # The row id is part of the associated data: a file copied into another document's row (of
    # another case) fails to open there, as a note moved to another row does (welfare.crypto).
    return f"{PURPOSE}|{document_id}|{key_id}".encode()


def seal(document_id: int, data: bytes) -> bytes:
    """The file as stored: `enc2:<key id>:` + nonce + AES-256-GCM of the bytes, bound to the row."""
    ring = crypto.keyring()
    key_id = ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[key_id]).encrypt(nonce, bytes(data), _aad(document_id, key_id))
    return f"{crypto.PREFIX}:{key_id}:".encode() + nonce + sealed


def unseal(document_id: int, stored: bytes) -> bytes:
    """The file's bytes.

    :raise TamperedValue: changed, moved from another row, or under a key not in the keyring.
    """
    try:
        prefix, key_id, raw = bytes(stored).split(b":", 2)
        key_id = key_id.decode("ascii")
    except (ValueError, UnicodeDecodeError):
        raise TamperedValue(PURPOSE, "malformed", document_id) from None
    key = crypto.keyring().keys.get(key_id)
    if prefix != crypto.PREFIX.encode() or key is None:
        raise TamperedValue(PURPOSE, f"key {key_id} is not in the keyring", document_id)
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(document_id, key_id))
    except (InvalidTag, ValueError):
        raise TamperedValue(PURPOSE, "authentication failed", document_id) from None


class CaseDocument(db.Model):
    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText("case_document.title"))  # "Odločba CSD" names a person's matter
    note: Mapped[str] = mapped_column(EncryptedText("case_document.note"), default="")
    # From the file's first bytes (cases.documents.services.sniff), never from the browser.
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]  # bytes of the plain file
    # Sealed by `seal` with this row's id (the id exists only after the INSERT, so the service
    # flushes first); loaded only when the file is downloaded or exported.
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    case: Mapped[Case] = relationship()

    @property
    def file(self) -> bytes:
        """The plain file (reads the deferred content)."""
        return unseal(self.id, self.content)

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
