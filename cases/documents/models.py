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


class EncryptedBytes(sa.types.TypeDecorator):
    """Binary content under the same keyring as the notes (welfare.crypto), AES-256-GCM.

    Stored as `enc1:<key id>:` + nonce + ciphertext; the column's purpose and the key id are the
    associated data, as for EncryptedText, so a value moved to another column fails to open.
    """

    impl = sa.LargeBinary
    cache_ok = True

    def __init__(self, purpose: str):
        super().__init__()
        self.purpose = purpose

    def _aad(self, key_id: str) -> bytes:
        return f"{self.purpose}|{key_id}".encode()

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        ring = crypto.keyring()
        key_id = ring.current_id
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(ring.keys[key_id]).encrypt(nonce, bytes(value), self._aad(key_id))
        return f"{crypto.PREFIX}:{key_id}:".encode() + nonce + sealed

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        value = bytes(value)
        try:
            prefix, key_id, raw = value.split(b":", 2)
            key_id = key_id.decode("ascii")
        except (ValueError, UnicodeDecodeError):
            raise TamperedValue(self.purpose, "malformed") from None
        key = crypto.keyring().keys.get(key_id)
        if prefix != crypto.PREFIX.encode() or key is None:
            raise TamperedValue(self.purpose, f"key {key_id} is not in the keyring")
        try:
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], self._aad(key_id))
        except (InvalidTag, ValueError):
            raise TamperedValue(self.purpose, "authentication failed") from None


class CaseDocument(db.Model):
    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(EncryptedText("case_document.title"))  # "Odločba CSD" names a person's matter
    note: Mapped[str] = mapped_column(EncryptedText("case_document.note"), default="")
    # From the file's first bytes (cases.documents.services.sniff), never from the browser.
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size: Mapped[int]  # bytes of the plain file
    # Loaded only when the file is downloaded or exported, never for the list on the case page.
    content: Mapped[bytes] = mapped_column(EncryptedBytes("case_document.content"), deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    case: Mapped[Case] = relationship()

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "bin")


EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
