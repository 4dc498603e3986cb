"""The keyring of `welfare.crypto`: `WELFARE_ENCRYPTION_KEY` or the file `DATA_DIR/encryption.key`
(created mode 600 on first start), entries `<id>:<base64 of 32 bytes>` separated by whitespace or
commas, the last one current. The file is re-read when it changes, so running workers pick up a
rotation."""

import base64
import binascii
import os
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from welfare.database import PRIVATE_FILE

KEY_FILE = "encryption.key"


class KeyringError(RuntimeError):
    """The configured keyring cannot be read; the message says what is wrong (never a key)."""


@dataclass(frozen=True)
class Keyring:
    keys: dict[str, bytes]  # id -> 32-byte key, in order; the last is current
    source: str  # "env" or the file's path

    @property
    def current_id(self) -> str:
        return list(self.keys)[-1]


def new_key_entry() -> str:
    """A fresh keyring entry: a short random id and 32 random bytes."""
    return f"{secrets.token_hex(4)}:{base64.b64encode(os.urandom(32)).decode()}"


def parse_keyring(text: str, source: str) -> Keyring:
    keys = {}
    for entry in text.replace(",", " ").split():
        key_id, sep, encoded = entry.partition(":")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not sep or not key_id.isalnum() or len(key) != 32:
            raise KeyringError(f"{source}: each entry must be <id>:<base64 of 32 bytes>")
        keys[key_id] = key
    if not keys:
        raise KeyringError(f"{source} holds no key")
    return Keyring(keys, source)


def key_file(app: Flask) -> Path:
    return Path(app.config["DATA_DIR"]) / KEY_FILE


def ensure_key_file(app: Flask) -> None:
    """Create the key file with one key on first start (unless the key comes from the environment)."""
    if app.config.get("ENCRYPTION_KEY"):
        return
    path = key_file(app)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as fh:
        fh.write(new_key_entry() + "\n")


_cache: dict[str, tuple[tuple[int, int, int], Keyring]] = {}
_cache_lock = threading.Lock()


def keyring(app: Flask | None = None) -> Keyring:
    """The app's keyring; the file is read again whenever it changed (a rotation)."""
    app = app or current_app
    configured = app.config.get("ENCRYPTION_KEY")
    if configured:
        return parse_keyring(str(configured), "WELFARE_ENCRYPTION_KEY")
    path = key_file(app)
    try:
        info = path.stat()
        version = (info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        raise KeyringError(f"{path} is missing: restore it from the backup, or no encrypted text can be read") from None
    with _cache_lock:
        cached = _cache.get(str(path))
        if cached and cached[0] == version:
            return cached[1]
        ring = parse_keyring(path.read_text(), str(path))
        _cache[str(path)] = (version, ring)
        return ring
