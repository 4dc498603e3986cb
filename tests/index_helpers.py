"""Helpers for the search-index freshness tests: an app node served from a subprocess.

    python -m tests.index_helpers DATA_DIR DATABASE_URL

starts one node (its own data dir and search index, the shared database) on a free port of
127.0.0.1, brings its index up to date as a node does when it starts (`flask catalog
catch-up`), prints `PORT <n>` and serves until terminated.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def serve(data_dir: str, database_url: str) -> None:
    from werkzeug.serving import make_server

    from catalog.search import index_sync
    from welfare import create_app

    app = create_app(
        {
            "DATA_DIR": data_dir,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "node-test",
            "DEVELOPMENT": True,
            "BABEL_DEFAULT_LOCALE": "en",
            "SEARCH_RATE_LIMIT": "100000 per minute",
            "TOTP_REQUIRED": False,  # staff log in with passwords here, as in tests/conftest.py
        }
    )
    with app.app_context():
        index_sync.catch_up(repair=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Node:
    """One app server in a subprocess; `url` once it is serving."""

    def __init__(self, data_dir: Path, database_url: str):
        self.data_dir, self.database_url = data_dir, database_url
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def start(self, timeout: float = 60) -> "Node":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.index_helpers", str(self.data_dir), self.database_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line.startswith("PORT "):
                self.url = f"http://127.0.0.1:{int(line.split()[1])}"
                return self
            if not line and self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError(f"node on {self.data_dir} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(20)
            self.process.stdout.close()
            self.process = None

    def get(self, path: str) -> str:
        with self.opener.open(self.url + path, timeout=20) as response:
            return response.read().decode("utf-8")

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode(data).encode()
        with self.opener.open(self.url + path, data=body, timeout=20) as response:
            return response.status

    def csrf(self, path: str) -> str:
        return CSRF_RE.search(self.get(path)).group(1)

    def login(self, username: str, password: str) -> None:
        self.post("/login", {"csrf_token": self.csrf("/login"), "username": username, "password": password})

    def search_finds(self, words: str, name: str, within: float = 120) -> float | None:
        """Seconds until a search for `words` lists `name`, or None if not within the time."""
        started = time.monotonic()
        while time.monotonic() - started < within:
            if name in self.get("/search?q=" + urllib.parse.quote(words)):
                return time.monotonic() - started
            time.sleep(0.2)
        return None


if __name__ == "__main__":
    serve(sys.argv[1], sys.argv[2])
