"""Run a real `flask --app welfare ...` command in a subprocess on a test app's data dir and
database, and kill it with SIGKILL at a named pause point (welfare/faults.py)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from welfare.faults import PAUSED_FILE

ROOT = Path(__file__).resolve().parents[1]


def cli_env(app, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WELFARE_TESTING": "true",
        "WELFARE_DATA_DIR": app.config["DATA_DIR"],
        "WELFARE_SECRET_KEY": app.config["SECRET_KEY"],
        "WELFARE_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WELFARE_PASSWORD_HASH_PROFILE": "CHEAPEST",
        **extra,
    }


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "welfare", *args]


def run_cli(app, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """The command run to its end: (returncode, stdout, stderr)."""
    return subprocess.run(command(*args), env=cli_env(app), cwd=ROOT, capture_output=True, text=True, timeout=timeout)


def kill_at(app, point: str, n: int, *args: str, timeout: float = 60) -> None:
    """Run the command until it passes `point` the n-th time, then kill it with SIGKILL there.

    Fails when the command ends before reaching the point (the fault was never injected)."""
    marker = Path(app.config["DATA_DIR"]) / PAUSED_FILE
    marker.unlink(missing_ok=True)
    env = cli_env(app, WELFARE_FAULT_PAUSE=f"{point}:{n}")
    proc = subprocess.Popen(
        command(*args), env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + timeout
    try:
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                raise AssertionError(f"{args} ended ({proc.returncode}) before {point}:{n}\n{out[-1500:]}{err[-1500:]}")
            assert time.monotonic() < deadline, f"{args} did not reach {point}:{n} in {timeout} s"
            time.sleep(0.02)
        assert marker.read_text().startswith(point)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=20)
        marker.unlink(missing_ok=True)
    assert proc.returncode == -signal.SIGKILL
