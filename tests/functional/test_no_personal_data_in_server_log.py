"""No personal data in URLs or a real server's access log (issue 21): the test client has no
access log, so this runs tests/live_server.py and reads what its werkzeug log wrote."""

import json
import os
import re
import subprocess
import sys

import sqlalchemy as sa

from cases.models import Case
from tests.conftest import CSRF_RE, PASSWORD, create_user, make_app, test_config
from tests.intake_factories import make_case, make_person
from tests.proof_helpers import ROOT, Browser
from welfare.extensions import db


def _world(tmp_path) -> dict:
    config = test_config(tmp_path)
    app = make_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.create_all()
        make_case(make_person("Marjeta", "Žagar", 1961))
        db.session.commit()
        number = db.session.scalar(sa.select(Case.number))
        db.session.remove()
        db.engine.dispose()
    create_user(app, "social_worker", "maja")
    return {"config": config, "number": number}


WORDS = "mož me tepe Janez"


def _csrf(html: str) -> str:
    return CSRF_RE.search(html).group(1)


def test_a_real_servers_log_holds_no_name_no_query_and_no_calendar_token(tmp_path):
    world = _world(tmp_path)
    log_path = tmp_path / "server.log"
    env = {**os.environ, "WELFARE_LIVE_CONFIG": json.dumps(world["config"]), "PYTHONPATH": str(ROOT)}
    env["WELFARE_LIVE_ACCESS_LOG"] = "1"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.live_server"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        try:
            line = server.stdout.readline()
            assert line.startswith("PORT "), line
            browser = Browser(f"http://127.0.0.1:{int(line.split()[1])}")
            _status, html, _ = browser.request("/login")
            status, _body, _ = browser.request(
                "/login", {"csrf_token": _csrf(html), "username": "maja", "password": PASSWORD}
            )
            assert status == 302
            _status, html, _ = browser.request("/cases/persons")
            status, html, _ = browser.request("/cases/persons", {"csrf_token": _csrf(html), "q": "Marjeta Žagar"})
            assert status == 200 and "Žagar Marjeta" in html
            _status, html, _ = browser.request("/cases/calendar")
            _status, html, _ = browser.request("/cases/calendar/renew", {"csrf_token": _csrf(html)})
            feed = re.search(r"/calendar/([^\"/]+)\.ics", html)
            token = feed.group(1)
            status, _body, _ = Browser(browser.base_url).request(f"/calendar/{token}.ics")
            assert status == 200
            assert browser.request(f"/cases/{world['number']}")[0] == 200
            # The catalog search inside the case: words that describe the person, posted and redirected
            # to a page whose URL holds a random id only; paging and a reload keep to that id.
            search = f"/cases/{world['number']}/referrals"
            _status, html, _ = browser.request(f"{search}/new")
            status, _body, results = browser.request(f"{search}/search", {"csrf_token": _csrf(html), "q": WORDS})
            assert status == 302 and "?search=" in results, (status, results)
            results = results.removeprefix(browser.base_url)
            status, html, _ = browser.request(results)
            assert status == 200 and f'value="{WORDS}"' in html
            assert browser.request(results + "&page=2")[0] == 200
        finally:
            server.terminate()
            server.wait(timeout=20)
    logged = log_path.read_text()
    assert "POST /cases/persons" in logged and "GET /calendar/[redacted].ics" in logged  # the log is there
    assert f"POST /cases/{world['number']}/referrals/search" in logged and "referrals/new?search=" in logged
    for secret in ("Marjeta", "Zagar", "Žagar", "%C5%BD", "q=", token, "tepe", "Janez", "mo%C5%BE", "mo%c5%be"):
        assert secret not in logged, secret
