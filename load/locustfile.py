"""The load test's mix of visitors (``make load``; see docs/performance.md).

Reads var/load/plan.json written by ``manage.py load_prepare``: the public pages to read and
the focal points, each with a score sheet of their own to fill. Three kinds of visitors:
the public reading results, people logging in and out, and focal points saving whole sheets.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

PLAN = json.loads(
    Path(os.environ.get("LOAD_PLAN", "var/load/plan.json")).read_text(encoding="utf-8")
)
PEOPLE = itertools.cycle(PLAN["people"])
VERSION = re.compile(r'name="version" value="(\d+)"')


def _login(user: HttpUser, username: str) -> None:
    user.client.get("/login/", name="/login/ (GET)")
    token = user.client.cookies.get("csrftoken", "")
    with user.client.post(
        "/login/",
        {"username": username, "password": PLAN["password"], "csrfmiddlewaretoken": token},
        name="/login/ (POST)",
        catch_response=True,
    ) as response:
        if "sessionid" not in user.client.cookies:
            response.failure(f"login of {username} refused ({response.status_code})")


class PublicVisitor(HttpUser):
    """Reads the published results: home, council, bloc-years, rankings, unit pages."""

    weight = 6
    wait_time = between(1, 3)

    @task
    def read(self) -> None:
        url = random.choice(PLAN["public"])
        self.client.get(url, name=_group(url))


class SigningIn(HttpUser):
    """Logs in, opens "my work", logs out: the morning rush."""

    weight = 1
    wait_time = between(2, 5)

    @task
    def sign_in_and_out(self) -> None:
        person = random.choice(PLAN["people"])
        _login(self, person["username"])
        self.client.get("/my-work/", name="/my-work/")
        self.client.post(
            "/logout/",
            {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            name="/logout/",
        )
        self.client.cookies.clear()


class FocalPoint(HttpUser):
    """Fills its own unit's sheet: opens it, changes every line, saves the whole sheet."""

    weight = 3
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.person: dict[str, Any] = next(PEOPLE)
        _login(self, self.person["username"])

    @task
    def save_sheet(self) -> None:
        url = self.person["sheet"]
        page = self.client.get(url, name="sheet (GET)")
        match = VERSION.search(page.text)
        if not match:
            return
        data = {"version": match.group(1)}
        for criterion_id, top in self.person["criteria"]:
            data[f"v-{criterion_id}"] = str(random.randint(0, int(top)))
            data[f"x-{criterion_id}"] = ""
        data["csrfmiddlewaretoken"] = self.client.cookies.get("csrftoken", "")
        self.client.post(url, data, name="sheet (POST, whole sheet)")


def _group(url: str) -> str:
    """Pages of one kind under one name in the statistics: /blocs/12/2025/ → /blocs/N/N/."""
    return re.sub(r"\d+", "N", url)
