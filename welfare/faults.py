"""Fault points: named places in long commands where a fault test stops the process on purpose.

A test runs a command with `WELFARE_TESTING=1` and `WELFARE_FAULT_PAUSE=<point>:<n>`; the n-th
time the process passes `pause_point("<point>")` it writes the point's name to
`DATA_DIR/FAULT_PAUSED` and sleeps, so the test can kill it with SIGKILL exactly there
(tests/functional/test_faults*.py), instead of racing a timer. Honoured only under TESTING;
elsewhere a pause point costs one config lookup.
"""

import os
import threading
import time
from collections import Counter
from pathlib import Path

from flask import current_app, has_app_context

PAUSED_FILE = "FAULT_PAUSED"
_passed: Counter = Counter()
_lock = threading.Lock()


def pause_point(name: str) -> None:
    """Sleep here for good (until killed) when the test configuration names this point."""
    if not has_app_context() or not current_app.testing:
        return
    wanted = str(current_app.config.get("FAULT_PAUSE") or "")
    point, _sep, count = wanted.partition(":")
    if point != name:
        return
    with _lock:
        _passed[name] += 1
        if _passed[name] != int(count or 1):
            return
    marker = Path(current_app.config["DATA_DIR"]) / PAUSED_FILE
    partial = marker.with_name(f"{PAUSED_FILE}.{os.getpid()}")
    partial.write_text(f"{name} {os.getpid()}")
    os.replace(partial, marker)  # the test never reads a marker that is there but still empty
    while True:  # the test sends SIGKILL
        time.sleep(60)
