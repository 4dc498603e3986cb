"""Helpers for the proof tests and benches: a real server in a subprocess, a small HTTP client
with its own cookie jar (one per simulated user), and a parser that reads a form back from the
page the way a browser would submit it."""

import contextlib
import json
import os
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFLICT_TEXT = "Someone else saved this record in the meantime"


@contextlib.contextmanager
def live_server(config: dict):
    """Run tests/live_server.py with this create_app config; yields its base URL."""
    env = {**os.environ, "WELFARE_LIVE_CONFIG": json.dumps(config), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.live_server"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("PORT "), f"the server did not start: {line!r}"
        yield f"http://127.0.0.1:{int(line.split()[1])}"
    finally:
        process.terminate()
        process.wait(timeout=20)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One user agent: its own cookies; redirects are returned, not followed."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)

    def request(self, path: str, data: dict | bytes | None = None) -> tuple[int, str, str]:
        """(status, body, Location) of GET path, or POST when data is given."""
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base_url + path, data=data)
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read().decode("utf-8", "replace"), ""
        except urllib.error.HTTPError as error:
            body = error.read().decode("utf-8", "replace")
            return error.code, body, error.headers.get("Location", "")

    def login(self, username: str, password: str) -> None:
        _status, page, _ = self.request("/login")
        fields = read_form(page, "/login", "/login")
        status, _body, _ = self.request("/login", {**fields, "username": username, "password": password})
        assert status == 302, f"login of {username} answered {status}"


class _FormReader(HTMLParser):
    """Collects the fields of every form: what a browser would submit with no change made."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict]] = []
        self._select = self._textarea = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("action") or "", {}))
        if not self.forms:
            return
        fields = self.forms[-1][1]
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields.setdefault(name, []).append(a.get("value", "on"))
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                fields[self._select] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.forms[-1][1].setdefault(self._select, [self._first_option or ""])
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][1][self._textarea][-1] += data


def read_form(html: str, target: str, page: str = "") -> dict[str, list[str]]:
    """The fields of the form posting to a path ending with `target`; a form with no action posts
    to its own page, `page`."""
    reader = _FormReader()
    reader.feed(html)
    for action, fields in reader.forms:
        if (urllib.parse.urlsplit(action).path or page).endswith(target):
            return fields
    raise AssertionError(f"no form posting to …{target}")
