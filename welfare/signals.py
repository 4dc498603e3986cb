"""Core events that features subscribe to, so the core never imports a feature.

A feature connects its receivers in its own `init_app`.
"""

from collections.abc import Callable

from blinker import Namespace
from flask import Flask

_signals = Namespace()
_SEEDERS = "welfare.seed_demo"
_MANIFEST = "welfare.backup_manifest"


# Demo seeding is not a blinker signal: blinker keeps a sender's receivers in a set, so their
# order is arbitrary, and demo data must load in dependency order (catalog, cases, referrals).
def on_seed_demo(app: Flask, receiver: Callable) -> None:
    """Run `receiver(app, echo=...)` when `flask seed-demo` or the first `flask start` seeds
    demo data, after every receiver connected before it (features initialise catalog first).
    `echo` prints one line for the operator."""
    app.extensions.setdefault(_SEEDERS, []).append(receiver)


def send_seed_demo(app: Flask, echo: Callable[[str], None]) -> None:
    for receiver in app.extensions.get(_SEEDERS, []):
        receiver(app, echo=echo)


# Sent by `flask restore` once a backup is back in the database. Receivers rebuild what is
# derived from the database (the search index); they get the app as sender and `echo`.
data_restored = _signals.signal("data-restored")


def on_backup_manifest(app: Flask, receiver: Callable) -> None:
    """Let a feature add entries to a backup's manifest: `receiver(connection)` returns a dict,
    read from the database being backed up (SQLite: the archive's own copy)."""
    app.extensions.setdefault(_MANIFEST, []).append(receiver)


def backup_manifest_entries(app: Flask, connection) -> dict:
    entries = {}
    for receiver in app.extensions.get(_MANIFEST, []):
        entries.update(receiver(connection))
    return entries
