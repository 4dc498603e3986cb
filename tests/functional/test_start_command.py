"""The README's first command ends in `flask start`: run it for real and use the server."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.conftest import TEST_DATABASE_URL


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_and_fail_a_login(env, port, output_file) -> str:
    """Start the server, post a wrong password through the real form, return the server output.

    The output goes to a file, not a pipe: a pipe that nobody reads while the demo data is
    seeded fills up and stops the server mid-write."""
    flask = [sys.executable, "-m", "flask", "--app", "welfare", "start", "--port", str(port)]
    with open(output_file, "w") as out:
        proc = subprocess.Popen(flask, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        # The first start seeds the demo data, which takes as long as the machine's load makes
        # it: wait for the server or for the process to end, with a cap only for a hung start.
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited: {output_file.read_text()[-2000:]}")
            try:
                html = opener.open(f"http://127.0.0.1:{port}/login", timeout=2).read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    pytest.fail("server did not start")
                time.sleep(0.1)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        body = urllib.parse.urlencode({"csrf_token": token, "username": "admin", "password": "wrong-password"})
        page = opener.open(f"http://127.0.0.1:{port}/login", data=body.encode(), timeout=10).read().decode()
        # Slovenian by default, and the write went through: the CLI holds no database lock.
        assert "Napačno uporabniško ime ali geslo." in page
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return output_file.read_text()


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="the embedded default is SQLite")
def test_start_seeds_once_then_reuses_the_data(tmp_path):
    env = dict(os.environ, WELFARE_DATA_DIR=str(tmp_path))
    env.pop("DATABASE_URL", None)
    first = _start_and_fail_a_login(env, _free_port(), tmp_path / "first-start.log")
    assert "passwords are shown only this once" in first
    assert (tmp_path / "welfare.sqlite3").exists() and (tmp_path / "secret_key").exists()

    second = _start_and_fail_a_login(env, _free_port(), tmp_path / "second-start.log")
    assert "shown only this once" not in second and "already exist" in second
