"""Encryption at rest of sensitive free text (AES-256-GCM from `cryptography`), bound to its place.

A column typed `EncryptedText("<table>.<column>")` stores `enc2:<key id>:<base64(nonce + ciphertext)>`.
GCM authenticates every value with the table, the column and the row's primary key (and the key
id) as associated data, so a value is readable only in the one cell it was written to: a changed
byte, a value copied into another row or column, plain text written into the column, a value from
before the binding (`enc1:`) or one under a key the keyring lacks all fail. Such a value is never
shown: the column reads as `UnreadableText` (a translated "cannot be read" marker) and the failure
is logged with the cell's table, column and row id (never the stored text).

The row id does not exist before the INSERT, so the ORM seals values in the flush: the INSERT
writes a placeholder, and `after_insert` (same transaction, the id now known) overwrites it with the
bound ciphertext; an UPDATE seals in `before_update`. Reads bind by selecting the row id with the
value (`EncryptedText.column_expression`). A write that bypasses the ORM's flush (a Core or bulk
UPDATE with a plain string) is refused with `UnboundWrite`: it would store plain text.

The keyring is `WELFARE_ENCRYPTION_KEY` or the file `DATA_DIR/encryption.key` (created mode 600
on first start): entries `<id>:<base64 of 32 bytes>` separated by whitespace or commas, the
last one current. The file is re-read when it changes, so running workers pick up a rotation.
`flask keys bind` (run by migration 0021) rebinds `enc1:` values once; see docs/security.md.
"""

import base64
import binascii
import logging
import os

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Flask, current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy.orm import Mapper, attributes

from welfare.keyring import (  # noqa: F401 (the keyring's public face is crypto's)
    KEY_FILE,
    Keyring,
    KeyringError,
    ensure_key_file,
    key_file,
    keyring,
    new_key_entry,
    parse_keyring,
)

PREFIX = "enc2"
LEGACY_PREFIX = "enc1"  # before the row binding: only `flask keys bind` still reads these
NONCE_BYTES = 12
# What an INSERT writes until after_insert (same flush) replaces it with the bound value; a row
# left holding it would read as unreadable, never as text.
PENDING = f"{PREFIX}:pending"

log = logging.getLogger(__name__)


class TamperedValue(Exception):
    """A stored value failed authentication (changed, moved, plain, unbound, or under a key the keyring lacks)."""

    def __init__(self, purpose: str, reason: str, row_id=None):
        where = purpose if row_id is None else f"{purpose} id {row_id}"
        super().__init__(f"{where}: {reason}")
        self.purpose = purpose
        self.row_id = row_id
        self.reason = reason


class UnboundWrite(TypeError):
    """Plain text reached an EncryptedText column outside the ORM flush (it would be stored in clear)."""


class Sealed(str):
    """Ciphertext already bound to its cell: the column type stores it as it is."""


class UnreadableText(str):
    """What an encrypted column reads as when its value failed authentication: a marker, never the value.

    It is a str, so templates and forms show the marker instead of failing; `crypto.is_unreadable`
    tells code that must not treat it as the text (drafts, exports)."""

    def __new__(cls, purpose: str = "", row_id=None):
        text = _("[This text cannot be read: it failed its integrity check.]") if has_app_context() else ""
        value = super().__new__(cls, text or "[This text cannot be read: it failed its integrity check.]")
        value.purpose, value.row_id = purpose, row_id
        return value


def is_unreadable(value) -> bool:
    return isinstance(value, UnreadableText)


def _aad(purpose: str, row_id, key_id: str) -> bytes:
    return f"{PREFIX}|{purpose}|{row_id}|{key_id}".encode()


def _legacy_aad(purpose: str, key_id: str) -> bytes:
    return f"{purpose}|{key_id}".encode()


def encrypt(plain: str, purpose: str, row_id, ring: Keyring | None = None) -> str:
    """Seal `plain` for one cell: column `purpose` ("table.column") of the row whose key is `row_id`."""
    if row_id is None:
        raise ValueError(f"{purpose}: a value is bound to its row, and this row has no id yet")
    ring = ring or keyring()
    key_id = ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[key_id]).encrypt(nonce, plain.encode(), _aad(purpose, row_id, key_id))
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def kind_of(stored: str) -> str:
    """Which kind of value: "bound" (enc2), "legacy" (enc1, before the row binding) or "plain" (no known prefix)."""
    if stored.startswith(PREFIX + ":"):
        return "bound"
    if stored.startswith(LEGACY_PREFIX + ":"):
        return "legacy"
    return "plain"


def key_id_of(stored: str) -> str | None:
    """The key a bound value is under; None for a legacy or plain value."""
    if kind_of(stored) != "bound":
        return None
    return stored.split(":", 2)[1]


def _open(stored: str, purpose: str, ring: Keyring, aad, row_id=None) -> str:
    try:
        _prefix, key_id, encoded = stored.split(":", 2)
        raw = base64.b64decode(encoded, validate=True)
    except (ValueError, binascii.Error):
        raise TamperedValue(purpose, "malformed", row_id) from None
    key = ring.keys.get(key_id)
    if key is None:
        raise TamperedValue(purpose, f"key {key_id} is not in the keyring", row_id)
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad(key_id))
    except (InvalidTag, ValueError):
        raise TamperedValue(
            purpose, "authentication failed (changed, or moved from another row or column)", row_id
        ) from None
    return plain.decode()


def decrypt(stored: str, purpose: str, row_id, ring: Keyring | None = None) -> str:
    """The plain text of the value stored in one cell. :raise TamperedValue: it is not that cell's own
    authentic value (plain text, legacy, changed, moved, or under an unknown key)."""
    kind = kind_of(stored)
    if kind == "plain":
        raise TamperedValue(purpose, "plain text in an encrypted column", row_id)
    if kind == "legacy":
        raise TamperedValue(purpose, "encrypted before the row binding: run `flask keys bind`", row_id)
    return _open(stored, purpose, ring or keyring(), lambda key_id: _aad(purpose, row_id, key_id), row_id)


def decrypt_legacy(stored: str, purpose: str, ring: Keyring | None = None) -> str:
    """The plain text of an `enc1:` value (bound to its column only). :raise TamperedValue: it fails."""
    if kind_of(stored) != "legacy":
        raise TamperedValue(purpose, "not a legacy encrypted value")
    return _open(stored, purpose, ring or keyring(), lambda key_id: _legacy_aad(purpose, key_id))


def read_cell(stored: str, purpose: str, row_id) -> str:
    """The text to show for a stored value: its plain text, or the unreadable marker (logged)."""
    try:
        return decrypt(stored, purpose, row_id)
    except TamperedValue as exc:
        log.error("Encrypted value cannot be read, not shown: %s", exc)
        return UnreadableText(purpose, row_id)


def _row_key(column):
    """The primary-key column of the table (or alias) `column` is selected from."""
    table = getattr(column, "table", None)
    if table is None:
        return None
    keys = list(table.primary_key.columns)
    return keys[0] if len(keys) == 1 else None


class EncryptedText(sa.types.TypeDecorator):
    """Free text encrypted in the database, each value bound to its cell: `purpose` names the
    column as "<table>.<column>", the row's primary key completes the address."""

    impl = sa.Text
    cache_ok = True

    def __init__(self, purpose: str):
        super().__init__()
        self.purpose = purpose

    def process_bind_param(self, value, dialect):
        if value is None or isinstance(value, Sealed):
            return value if value is None else str(value)
        if value is _PENDING_MARK:
            return PENDING
        raise UnboundWrite(
            f"{self.purpose}: plain text outside the ORM flush; set the attribute on the object and flush "
            "(the value is sealed to its row there)"
        )

    def column_expression(self, column):
        # Select "<row id>:<stored>" so the value is opened against the row it was read from.
        row_key = _row_key(column)
        if row_key is None:
            return column  # no row to bind to: result processing then fails closed (unreadable)
        return sa.type_coerce(sa.cast(row_key, sa.Text).concat(":").concat(column), self)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        row_id, sep, stored = value.partition(":")
        if not sep or not row_id.isdigit():
            log.error("Encrypted value of %s read without its row id, not shown", self.purpose)
            return UnreadableText(self.purpose)
        return read_cell(stored, self.purpose, int(row_id))


# ---- sealing in the ORM flush ----------------------------------------------------------------

_PENDING_MARK = object()  # the attribute's value between before_insert and after_insert
_SEALING = "_welfare_sealing"  # instance attribute: plain texts of the flush in progress
_columns_of: dict[Mapper, list[tuple[str, sa.Column]]] = {}


def _sealed_attributes(mapper: Mapper) -> list[tuple[str, sa.Column]]:
    if mapper not in _columns_of:
        _columns_of[mapper] = [
            (prop.key, prop.columns[0])
            for prop in mapper.column_attrs
            if isinstance(prop.columns[0].type, EncryptedText) and prop.columns[0].table is mapper.local_table
        ]
    return _columns_of[mapper]


def _plain(target, key: str, column: sa.Column):
    value = target.__dict__.get(key)
    if value is None and column.default is not None and column.default.is_scalar:
        value = column.default.arg  # the column default, which the flush would otherwise apply
    if is_unreadable(value):
        raise TamperedValue(column.type.purpose, "an unreadable value cannot be copied")
    return value


def _before_insert(mapper, connection, target) -> None:
    plain = {}
    for key, column in _sealed_attributes(mapper):
        value = _plain(target, key, column)
        if value is not None:
            plain[key] = value
            setattr(target, key, _PENDING_MARK)
    if plain:
        target.__dict__[_SEALING] = plain


def _after_insert(mapper, connection, target) -> None:
    plain = target.__dict__.pop(_SEALING, None)
    if not plain:
        return
    [row_id] = mapper.primary_key_from_instance(target)
    columns = dict(_sealed_attributes(mapper))
    [pk] = mapper.local_table.primary_key.columns
    ring = keyring()
    connection.execute(
        sa.update(mapper.local_table)
        .where(pk == row_id)
        .values({columns[k].name: Sealed(encrypt(v, columns[k].type.purpose, row_id, ring)) for k, v in plain.items()})
    )
    for key, value in plain.items():
        attributes.set_committed_value(target, key, value)


def _before_update(mapper, connection, target) -> None:
    state = sa.inspect(target)
    [row_id] = mapper.primary_key_from_instance(target)
    plain = {}
    for key, column in _sealed_attributes(mapper):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        value = target.__dict__.get(key)
        if value is None or isinstance(value, Sealed):
            continue
        if is_unreadable(value):
            raise TamperedValue(column.type.purpose, "an unreadable value cannot be written back", row_id)
        was = history.deleted[0] if history.deleted else None
        if is_unreadable(was) and value == str(was):
            # A form showed the marker and was saved unchanged: keep the stored value (a key restored
            # later may still open it) rather than store the marker as the text.
            attributes.set_committed_value(target, key, was)
            continue
        plain[key] = value
        setattr(target, key, Sealed(encrypt(value, column.type.purpose, row_id)))
    if plain:
        target.__dict__[_SEALING] = plain


def _after_update(mapper, connection, target) -> None:
    for key, value in (target.__dict__.pop(_SEALING, None) or {}).items():
        attributes.set_committed_value(target, key, value)


sa.event.listen(Mapper, "before_insert", _before_insert)
sa.event.listen(Mapper, "after_insert", _after_insert)
sa.event.listen(Mapper, "before_update", _before_update)
sa.event.listen(Mapper, "after_update", _after_update)


def encrypted_columns(metadata: sa.MetaData) -> list[tuple[sa.Table, sa.Column]]:
    """Every EncryptedText column of the schema (what `keys rotate` and `keys bind` walk)."""
    return [
        (table, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText)
    ]


def init_app(app: Flask) -> None:
    """Create the key file on first start and show a value that fails outside a column read as a clear page."""
    ensure_key_file(app)

    def handle_tampered(exc: TamperedValue):
        from welfare.errors import render_error_page
        from welfare.extensions import db

        db.session.rollback()
        current_app.logger.error("Encrypted value failed authentication: %s", exc)
        return render_error_page(
            500,
            _("Stored data failed its integrity check"),
            _(
                "A protected text of this record was changed outside the application or its key is "
                "missing, so it is not shown. Nothing was changed; tell the administrator."
            ),
        )

    app.register_error_handler(TamperedValue, handle_tampered)
