"""Core events that features subscribe to, so the core never imports a feature.

A feature connects its receivers in its own `init_app`; receivers run in the order the
features were initialised by the app factory (catalog before cases).
"""

from blinker import Namespace

_signals = Namespace()

# Sent by `flask seed-demo` and the first `flask start` after the demo users exist.
# Receivers get the app as sender and `echo`, a function that prints one line for the operator.
seed_demo = _signals.signal("seed-demo")

# Sent by `flask restore` once a backup is back in the database. Receivers rebuild what is
# derived from the database (the search index); they get the app as sender and `echo`.
data_restored = _signals.signal("data-restored")
