"""The load test's users: customer-service agents and residents doing their daily journeys (`make loadtest`).

Run by ``loadtest/run.sh`` (which prepares the server, the users and the fault steps); by hand::

    LOADTEST_USERS=var/loadtest/users.json LOADTEST_OUT=var/loadtest \
        .venv/bin/locust -f loadtest/locustfile.py --headless -H https://127.0.0.1:8443 -u 250 -r 10 -t 5m

Agents (``AgentUser``): log in, open the home page and the ticket queue, look a caller up by the last four digits
of a phone number, open a ticket, create a ticket (a phone call), add a progress note, take the next lifecycle step
of a ticket (accept → assign to themselves → start → resolve), preferring tickets residents filed.
Residents (``ResidentUser``): log in, open the portal (their household's tickets), open one, file a repair, rate a
resolved one.

Pages are requested as a browser does (session cookie, CSRF token from the cookie); writes go through the API with
the same session, so each acknowledged write comes back as JSON with its id. Every acknowledged write (HTTP 201 or
200 on a write) is appended to ``$LOADTEST_OUT/acked.jsonl``; ``loadtest/verify.py`` checks afterwards that each one
is in the database. Every failed request (an exception, or a status of 500 and above) is appended with its time to
``$LOADTEST_OUT/failures.jsonl``, so the report can tell failures inside the injected fault windows from the others.
A 409 (someone else changed the ticket) or a 400 on a step another agent took first is the application working as
designed under concurrency: counted apart (``conflicts.json``), not as an error.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import time
from pathlib import Path

import urllib3
from locust import HttpUser, between, events, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the run's self-signed certificate

USERS_FILE = Path(os.environ.get("LOADTEST_USERS", "var/loadtest/users.json"))
OUT = Path(os.environ.get("LOADTEST_OUT", "var/loadtest"))
OUT.mkdir(parents=True, exist_ok=True)
_DATA = json.loads(USERS_FILE.read_text(encoding="utf-8")) if USERS_FILE.is_file() else {
    "agents": [], "residents": [], "units_by_estate": {}, "phone_tails": []}
_AGENTS = itertools.cycle(_DATA["agents"] or [{}])
_RESIDENTS = itertools.cycle(_DATA["residents"] or [{}])
_LOCK = threading.Lock()
_ACKED = (OUT / "acked.jsonl").open("a", encoding="utf-8", buffering=1)
_FAILURES = (OUT / "failures.jsonl").open("a", encoding="utf-8", buffering=1)
CONFLICTS: dict[str, int] = {}
CONFLICT_SAMPLES: list[str] = []
# tickets residents filed and agents have not finished: the agents' work list, shared like a real queue
_PORTAL_QUEUE: list[int] = []

TITLES = ["厨房水龙头漏水", "卫生间下水道堵塞", "客厅灯不亮", "楼道声控灯坏了", "电梯按钮失灵", "门禁卡无法开门",
          "阳台排水慢", "空调外机噪音大", "窗户关不严", "停车位地锁损坏"]
NOTES = ["已电话联系业主，约定明天上午上门", "维修师傅已到场查看", "需要更换配件，已申请领料", "业主不在家，改约时间"]


def _acked(kind: str, **data) -> None:
    line = json.dumps({"kind": kind, "at": time.time(), **data}, ensure_ascii=False)
    with _LOCK:
        _ACKED.write(line + "\n")


@events.request.add_listener
def _record_failure(request_type, name, response_time, response_length, response=None, exception=None, **kw):
    status = getattr(response, "status_code", 0) if response is not None else 0
    if exception is not None or status >= 500 or status == 0:
        line = json.dumps({"at": time.time(), "name": name, "status": status,
                           "error": type(exception).__name__ if exception else ""})
        with _LOCK:
            _FAILURES.write(line + "\n")


@events.test_stop.add_listener
def _write_conflicts(environment, **kw):
    (OUT / "conflicts.json").write_text(json.dumps({"counts": CONFLICTS, "samples": CONFLICT_SAMPLES},
                                                   ensure_ascii=False, indent=1), encoding="utf-8")


class WuyeUser(HttpUser):
    abstract = True
    role = ""

    def on_start(self):
        self.client.verify = False
        self.client.headers["Referer"] = self.host.rstrip("/") + "/"  # Django's HTTPS CSRF check wants one
        self.client.headers["Accept-Language"] = "zh-hans"
        self.account = next(_AGENTS if self.role == "agent" else _RESIDENTS)
        self.logged_in = False
        self.login()

    def login(self):
        if not self.account:
            return
        self.client.get("/accounts/login/", name=f"{self.role}: login page")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post("/accounts/login/", name=f"{self.role}: log in", allow_redirects=False,
                              data={"csrfmiddlewaretoken": token, "username": self.account["username"],
                                    "password": self.account["password"]}, catch_response=True) as response:
            if response.status_code == 302 and "/accounts/login" not in response.headers.get("Location", ""):
                self.logged_in = True
                response.success()
            else:
                response.failure(f"login refused ({response.status_code})")

    def ensure_login(self) -> bool:
        """A session lost (the server restarted before it was saved) is a new login, as a person would do."""
        if not self.logged_in:
            self.login()
        return self.logged_in

    def api(self, method: str, path: str, name: str, **kwargs):
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Accept": "application/json"}
        return self.client.request(method, path, name=name, headers=headers, catch_response=True, **kwargs)

    def page(self, path: str, name: str, **kwargs):
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False, **kwargs) as response:
            if response.status_code == 302 and "/accounts/login" in response.headers.get("Location", ""):
                self.logged_in = False
                response.failure("session lost: redirected to the login page")
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            else:
                response.success()
        return response


class AgentUser(WuyeUser):
    """客服专员: about one action every 2–6 seconds."""

    role = "agent"
    weight = int(os.environ.get("LOADTEST_AGENTS", 50))
    wait_time = between(float(os.environ.get("LOADTEST_AGENT_WAIT_MIN", 2)),
                        float(os.environ.get("LOADTEST_AGENT_WAIT_MAX", 6)))

    def on_start(self):
        super().on_start()
        self.tickets: list[int] = []

    def _unit(self) -> tuple[int, int | None]:
        estate = random.choice(self.account["estates"])
        units = _DATA["units_by_estate"].get(str(estate)) or [None]
        return estate, random.choice(units)

    def _some_ticket(self) -> int | None:
        with _LOCK:
            if _PORTAL_QUEUE and random.random() < 0.7:
                return random.choice(_PORTAL_QUEUE)
        return random.choice(self.tickets) if self.tickets else None

    @task(3)
    def home(self):
        if self.ensure_login():
            self.page("/", "agent: home")

    @task(4)
    def queue(self):
        if not self.ensure_login():
            return
        self.page("/tickets/", "agent: ticket queue")
        # what the queue shows, through the API, to pick tickets to work on
        with self.api("GET", "/api/v1/tickets/?status=submitted&page_size=20", "agent: API queue (submitted)") as r:
            if r.status_code == 200:
                ids = [t["id"] for t in r.json().get("results", [])]
                with _LOCK:
                    _PORTAL_QUEUE[:] = list(dict.fromkeys(ids + _PORTAL_QUEUE))[:200]
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}")

    @task(4)
    def lookup(self):
        if self.ensure_login() and _DATA["phone_tails"]:
            tail = random.choice(_DATA["phone_tails"])
            self.page(f"/estates/lookup/?q={tail}", "agent: lookup by phone tail", headers={"HX-Request": "true"})

    @task(4)
    def open_ticket(self):
        pk = self._some_ticket()
        if pk and self.ensure_login():
            self.page(f"/tickets/{pk}/", "agent: open a ticket")

    @task(3)
    def create_ticket(self):
        if not self.ensure_login():
            return
        estate, unit = self._unit()
        body = {"estate": estate, "unit": unit, "kind": "repair", "title": random.choice(TITLES),
                "description": "电话报修（压测）", "contact_name": "压测来电",
                "contact_phone": f"139{random.randint(0, 99_999_999):08d}", "channel": "phone"}
        with self.api("POST", "/api/v1/tickets/", "agent: create a ticket", json=body) as r:
            if r.status_code == 201:
                data = r.json()
                self.tickets = (self.tickets + [data["id"]])[-50:]
                _acked("ticket", id=data["id"], number=data["number"], by=self.account["username"])
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")

    @task(3)
    def add_note(self):
        pk = self._some_ticket()
        if not pk or not self.ensure_login():
            return
        body = {"body": random.choice(NOTES), "visibility": random.choice(["internal", "public"])}
        with self.api("POST", f"/api/v1/tickets/{pk}/notes/", "agent: add a progress note", json=body) as r:
            if r.status_code == 201:
                _acked("note", id=r.json()["id"], ticket=pk)
                r.success()
            elif r.status_code == 400 and "closed" in r.text.lower():
                r.success()  # the ticket was closed meanwhile
            else:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")

    @task(4)
    def take_step(self):
        pk = self._some_ticket()
        if not pk or not self.ensure_login():
            return
        with self.api("GET", f"/api/v1/tickets/{pk}/", "agent: API ticket") as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            ticket = r.json()
            r.success()
        steps = ticket.get("available_steps", [])
        step = next((s for s in ("accept", "assign", "start", "resolve") if s in steps), None)
        if step is None:
            with _LOCK:
                if pk in _PORTAL_QUEUE and ticket.get("status") not in ("submitted", "accepted", "assigned",
                                                                         "in_progress"):
                    _PORTAL_QUEUE.remove(pk)
            return
        body = {"version": ticket["version"]}
        if step == "assign":
            body["assignee"] = self.account["staff"]
        elif step == "resolve":
            body["resolution"] = "已处理完毕（压测）"
        with self.api("POST", f"/api/v1/tickets/{pk}/{step}/", "agent: take a step", json=body) as r:
            if r.status_code == 200:
                _acked("step", ticket=pk, step=step, version=r.json().get("version"))
                r.success()
            elif r.status_code in (400, 409):
                # 409: the ticket changed since it was read; 400: another agent took the step first. Counted per
                # step and status, so that a 400 of another cause (a wrong body) shows up in the report.
                key = f"{step}_{r.status_code}"
                CONFLICTS[key] = CONFLICTS.get(key, 0) + 1
                if len(CONFLICT_SAMPLES) < 20:
                    CONFLICT_SAMPLES.append(f"{key}: {r.text[:200]}")
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")


class ResidentUser(WuyeUser):
    """业主: a visit to the portal every 10–30 seconds."""

    role = "resident"
    weight = int(os.environ.get("LOADTEST_RESIDENTS", 200))
    wait_time = between(float(os.environ.get("LOADTEST_RESIDENT_WAIT_MIN", 10)),
                        float(os.environ.get("LOADTEST_RESIDENT_WAIT_MAX", 30)))

    def on_start(self):
        super().on_start()
        self.tickets: list[int] = []

    @task(5)
    def portal(self):
        if self.ensure_login():
            self.page("/portal/", "resident: my tickets (portal)")

    @task(3)
    def open_ticket(self):
        if self.tickets and self.ensure_login():
            self.page(f"/portal/tickets/{random.choice(self.tickets)}/", "resident: open a ticket")

    @task(2)
    def file_repair(self):
        if not self.account.get("units") or not self.ensure_login():
            return
        body = {"unit": random.choice(self.account["units"]), "kind": "repair", "title": random.choice(TITLES),
                "description": "业主在门户报修（压测）", "location": "室内"}
        with self.api("POST", "/api/v1/tickets/", "resident: file a repair", json=body) as r:
            if r.status_code == 201:
                data = r.json()
                self.tickets = (self.tickets + [data["id"]])[-20:]
                with _LOCK:
                    _PORTAL_QUEUE.append(data["id"])
                _acked("ticket", id=data["id"], number=data["number"], by=self.account["username"])
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")

    @task(2)
    def rate(self):
        if not self.ensure_login():
            return
        with self.api("GET", "/api/v1/tickets/?status=resolved&page_size=5", "resident: API resolved tickets") as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return
            r.success()
            candidates = [t["id"] for t in r.json().get("results", []) if "rate" in t.get("available_steps", [])]
        if not candidates:
            return
        pk = random.choice(candidates)
        with self.api("POST", f"/api/v1/tickets/{pk}/rate/", "resident: rate a ticket",
                      json={"satisfaction": random.choice([5, 5, 4, 4, 3]), "comment": "压测评价"}) as r:
            if r.status_code == 200:
                _acked("rate", ticket=pk)
                r.success()
            elif r.status_code == 400:
                CONFLICTS["rate_400"] = CONFLICTS.get("rate_400", 0) + 1  # rated meanwhile, refused as designed
                if len(CONFLICT_SAMPLES) < 20:
                    CONFLICT_SAMPLES.append(f"rate_400: {r.text[:200]}")
                r.success()
            else:
                r.failure(f"HTTP {r.status_code}: {r.text[:200]}")
