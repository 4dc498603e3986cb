"""Load scenario: residents searching the public catalog and social workers at their case work.

Run through bench/load/run.sh (it starts gunicorn, PostgreSQL-backed, Redis limits). Residents
(3 in 5 users) open the home page, search and read service pages; social workers log in once,
open Moje delo and a case, add a timeline note and move a referral on. A referral that can no
longer move (closed, or changed by someone else meanwhile) answers 409 with a message: that is a
correct answer under load, counted as "(refused)", not as an error.
"""

import json
import os
import random
import re
import uuid
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
VERSION = re.compile(r'id="version_id" name="version_id" type="hidden" value="(\d+)"')
STATE = re.compile(r'class="badge referral-([a-z_]+)"')
NEXT = {"sent": "accepted", "accepted": "in_progress", "in_progress": "completed"}


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class Resident(HttpUser):
    weight = 3
    wait_time = between(1, 3)

    @task(2)
    def home(self):
        self.client.get("/", name="/ (home)")

    @task(5)
    def search(self):
        self.client.get(f"/search?q={random.choice(PLAN['words'])}", name="/search?q=")

    @task(4)
    def service(self):
        self.client.get(f"/services/{random.choice(PLAN['services'])}", name="/services/<id>")


class SocialWorker(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        username = random.choice(PLAN["users"])
        page = self.client.get("/login", name="/login").text
        with self.client.post(
            "/login",
            data={"csrf_token": _csrf(page), "username": username, "password": PLAN["password"]},
            name="/login (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")

    @task(3)
    def my_work(self):
        self.client.get("/cases/", name="/cases/ (Moje delo)")

    @task(4)
    def open_case(self):
        self.client.get(f"/cases/{random.choice(PLAN['cases'])}", name="/cases/<number>")

    @task(2)
    def add_note(self):
        number = random.choice(PLAN["cases"])
        page = self.client.get(f"/cases/{number}/timeline/new", name="/cases/<number>/timeline/new").text
        match = re.search(r'name="occurred_at"[^>]*value="([^"]+)"', page) or re.search(
            r'value="([^"]+)"[^>]*name="occurred_at"', page
        )
        data = {
            "csrf_token": _csrf(page),
            "kind": "note",
            "occurred_at": match.group(1) if match else "",
            "text": f"Pogovor po telefonu ({uuid.uuid4().hex[:8]}).",
        }
        with self.client.post(
            f"/cases/{number}/timeline/new",
            data=data,
            name="/cases/<number>/timeline/new (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"note answered {response.status_code}")

    @task(2)
    def update_referral(self):
        number, referral_id = random.choice(PLAN["referrals"])
        path = f"/cases/{number}/referrals/{referral_id}"
        page = self.client.get(path, name="/cases/<number>/referrals/<id>").text
        state = STATE.search(page)
        version = VERSION.search(page)
        if not state or state.group(1) not in NEXT or not version:
            return  # closed: nothing to move
        data = {
            "csrf_token": _csrf(page),
            "version_id": version.group(1),
            "status": NEXT[state.group(1)],
            "outcome": "helped",
            "decline_reason": "",
            "note": "Po telefonu.",
        }
        with self.client.post(
            f"{path}/status",
            data=data,
            name="/cases/<number>/referrals/<id>/status (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                response.success()
                self.environment.events.request.fire(
                    request_type="POST",
                    name="(refused 409, expected under load)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
            elif response.status_code != 302:
                response.failure(f"referral status answered {response.status_code}")
