#!/usr/bin/env python3
"""Check a running wuye production stack from outside, as a browser behind nginx would (issue 10).

    scripts/stack_check.py BASE_URL [--https-url URL --cafile FILE] [--worker-log FILE --beat-log FILE
                           --beat-jobs FILE] [--timeout SECONDS]

Started by scripts/ci_stack.sh against gunicorn on 127.0.0.1 with config.settings.production, a Celery worker and
Celery beat on Redis, and PostgreSQL holding the demo data (``manage.py load_demo``). Standard library only
(urllib, http.cookiejar).

With ``--https-url`` (what ci_stack.sh does when nginx is installed) BASE_URL is nginx's plain-HTTP port and
``--https-url`` its HTTPS port, running docs/deploy/nginx.conf itself in front of gunicorn: the checks speak TLS
(verified against ``--cafile``) to the real proxy. Without it, BASE_URL is gunicorn and the script sends what
nginx would add (``X-Forwarded-Proto: https``, ``X-Forwarded-For``). Either way the production settings stay as
they are: HTTPS redirect, HSTS, secure cookies, CSRF with the origin check.

Checks, each failing with a message and exit status 1:

1. a plain-HTTP request (nginx's port 80, or gunicorn without the proxy's header) is redirected to HTTPS;
2. the home page sends an anonymous visitor to the login page, which answers 200 with HSTS; every CSS and JS file
   it links is served (WhiteNoise, hashed names from the manifest, cached for ever);
3. beat: every job of the schedule (``--beat-jobs``: one ``name task`` a line) is sent by beat ("Sending due task"
   in ``--beat-log``) and run by the worker ("Task <task>[id] succeeded" in ``--worker-log``);
4. "Back up now": the demo administrator logs in (CSRF), presses the button (``core:backup_run``), and a new
   successful backup appears in the backup log page: the request queued a task, the worker ran it;
5. the demo agent files a ticket through the intake page (``tickets:ticket_add``) and reads it back from its page,
   the filtered list and the API;
6. the agent looks a caller up by a full phone number (``estates:lookup``, the demo developer's mobile) and finds
   the customer; ci_stack.sh then proves that neither gunicorn's nor nginx's access log holds the number (the path
   is logged, the query string is not: config/gunicorn.py, log_format wuye_private in docs/deploy/nginx.conf).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

BACKUP_NAME = re.compile(r"wuye-backup-\d{8}-\d{6}(?:-\d+)?\.tar\.gz")
# estates/demo/data.py: DEVELOPER (杭州云栖置业有限公司); ci_stack.sh greps the access logs for it
LOOKUP_NUMBER = "13900000571"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"')


TLS = None  # an ssl.SSLContext trusting --cafile, for an https:// base


class CheckFailed(Exception):
    pass


def ok(message: str) -> None:
    print(f"  ok  {message}", flush=True)


def require(condition, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


class BehindProxyPolicy(http.cookiejar.DefaultCookiePolicy):
    """The requests reach gunicorn over HTTP but stand for HTTPS ones terminated at nginx: secure cookies go back."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Response:
    def __init__(self, status: int, headers, body: bytes, url: str):
        self.status, self.headers, self.body, self.url = status, headers, body, url

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Client:
    """One browser: its own cookies; every request as nginx forwards it."""

    def __init__(self, base_url: str, *, proxied: bool = True):
        self.base = base_url.rstrip("/")
        self.host = urllib.parse.urlsplit(self.base).netloc
        https = self.base.startswith("https://")
        self.proxied = proxied and not https  # behind the real nginx, nginx adds the headers
        self.jar = http.cookiejar.CookieJar(policy=BehindProxyPolicy())
        handlers = [urllib.request.HTTPCookieProcessor(self.jar), NoRedirect]
        if https:
            handlers.append(urllib.request.HTTPSHandler(context=TLS))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, path: str, *, data: dict | None = None, headers: dict | None = None,
                follow: bool = True) -> Response:
        url = path if path.startswith("http") else self.base + path
        for _hop in range(10):
            body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
            req = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
            if self.proxied:
                req.add_header("X-Forwarded-Proto", "https")
                req.add_header("X-Forwarded-For", "127.0.0.1")
            if body is not None:
                req.add_header("Content-Type", "application/x-www-form-urlencoded")
                req.add_header("Origin", f"https://{self.host}")
                req.add_header("Referer", f"https://{self.host}{urllib.parse.urlsplit(url).path}")
            for key, value in (headers or {}).items():
                req.add_header(key, value)
            try:
                with self.opener.open(req, timeout=60) as raw:
                    response = Response(raw.status, raw.headers, raw.read(), url)
            except urllib.error.HTTPError as exc:
                response = Response(exc.code, exc.headers, exc.read(), url)
            if not (follow and response.status in (301, 302, 303, 307, 308)):
                return response
            target = urllib.parse.urlsplit(urllib.parse.urljoin(url, response.location))
            require(target.netloc in ("", self.host), f"{url} redirects off the site: {response.location}")
            url = self.base + target.path + (f"?{target.query}" if target.query else "")
            data = None  # a redirect after POST is a GET
        raise CheckFailed(f"{path}: too many redirects")

    def get(self, path: str, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        return self.request(path, data=data, **kwargs)

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        require(page.status == 200, f"login page: {page.status}")
        answer = self.post("/accounts/login/", {"csrfmiddlewaretoken": csrf_token(page), "username": username,
                                                "password": password, "next": "/"}, follow=False)
        require(answer.status == 302, f"login as {username}: {answer.status} (a 200 is the form again: "
                                      f"wrong password or CSRF refused; 403 CSRF; 429 locked out)")
        home = self.get("/")
        require(home.status == 200 and "/accounts/login/" not in home.url, f"home page after login: {home.status}")


def csrf_token(page: Response) -> str:
    match = CSRF_INPUT.search(page.text)
    require(match, f"{page.url}: no CSRF token in the form")
    return match.group(1)


def wait(seconds: float, what: str, probe):
    """Calls ``probe`` until it returns something true; fails after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise CheckFailed(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.5)


# --- the checks ----------------------------------------------------------------------------------------------------


def check_https_redirect(base: str) -> None:
    plain = Client(base, proxied=False).get("/accounts/login/", follow=False)
    require(plain.status == 301 and plain.location.startswith("https://"),
            f"plain HTTP is not redirected to HTTPS: {plain.status} {plain.location!r}")
    ok(f"plain HTTP redirected to {plain.location}")


def check_pages_and_static(base: str) -> None:
    client = Client(base)
    home = client.get("/", follow=False)
    require(home.status == 302 and "/accounts/login/" in home.location,
            f"home page, anonymous: {home.status} {home.location!r} (expected the login page)")
    page = client.get("/accounts/login/")
    require(page.status == 200, f"login page: {page.status}")
    require("max-age=" in page.headers.get("Strict-Transport-Security", ""), "login page: no HSTS header")
    assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"?#]+\.(?:css|js))"', page.text)))
    require(any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets),
            f"login page links no CSS or no JS: {assets}")
    for asset in assets:
        response = client.get(asset, follow=False)
        require(response.status == 200 and response.body, f"{asset}: {response.status}")
        kind = "text/css" if asset.endswith(".css") else "javascript"
        require(kind in response.headers.get("Content-Type", ""),
                f"{asset}: Content-Type {response.headers.get('Content-Type')!r}")
        require(re.search(r"\.[0-9a-f]{12}\.(css|js)$", asset), f"{asset}: not a hashed name (manifest storage)")
        require("immutable" in response.headers.get("Cache-Control", ""),
                f"{asset}: Cache-Control {response.headers.get('Cache-Control')!r}")
    ok(f"home page -> login page 200 with HSTS; {len(assets)} static files served with hashed names")


def _log(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def check_beat(jobs_file: str, beat_log: str, worker_log: str, timeout: float) -> None:
    with open(jobs_file, encoding="utf-8") as f:
        jobs = [line.split() for line in f if line.strip()]
    require(jobs, f"{jobs_file}: no periodic jobs")

    def all_ran():
        beat, worker = _log(beat_log), _log(worker_log)
        for name, task in jobs:
            failed = re.search(rf"Task {re.escape(task)}\[[^\]]+\] (raised|failed)[^\n]*", worker)
            if failed:
                raise CheckFailed(f"periodic job {name}: {failed.group(0)}")
        return all(f"Sending due task {name} ({task})" in beat
                   and re.search(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", worker) for name, task in jobs)

    try:
        wait(timeout, "beat to send every periodic job and the worker to run it", all_ran)
    except CheckFailed:
        beat, worker = _log(beat_log), _log(worker_log)
        missing = [name for name, task in jobs if f"Sending due task {name} ({task})" not in beat]
        unrun = [task for _name, task in jobs if not re.search(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", worker)]
        raise CheckFailed(f"beat did not send: {', '.join(missing) or '(none: all sent)'}; the worker did not "
                          f"run: {', '.join(unrun) or '(none: all ran)'}") from None
    ok(f"beat sent all {len(jobs)} periodic jobs, the worker ran each: {', '.join(name for name, _task in jobs)}")


def _backups(page: Response) -> dict[str, str]:
    """File name -> its row in the backup log page."""
    rows = {}
    for row in re.findall(r"<tr[^>]*>.*?</tr>", page.text, flags=re.S):
        match = BACKUP_NAME.search(row)
        if match:
            rows[match.group(0)] = row
    return rows


def check_backup_now(base: str, timeout: float, worker_log: str | None = None) -> None:
    admin = Client(base)
    admin.login("admin", "admin-demo")
    page = admin.get("/core/backups/")
    require(page.status == 200, f"backup log: {page.status}")
    before = _backups(page)
    answer = admin.post("/core/backups/run/", {"csrfmiddlewaretoken": csrf_token(page)}, follow=False)
    require(answer.status == 302 and answer.location.endswith("/core/backups/"),
            f"Back up now: {answer.status} {answer.location!r}")
    queued = time.monotonic()

    def new_backup():
        rows = _backups(admin.get("/core/backups/"))
        fresh = {name: row for name, row in rows.items() if name not in before}
        return fresh or None

    fresh = wait(timeout, "the queued backup to appear in the backup log", new_backup)
    require(len(fresh) == 1, f"one request, {len(fresh)} new backups: {sorted(fresh)}")
    (name, row), = fresh.items()
    require("text-bg-success" in row, f"the queued backup {name} failed: {re.sub(r'<[^>]+>', ' ', row)}")
    if worker_log:  # written by the worker, not by the web process
        wait(30, f"the worker's log to name {name}", lambda: re.search(
            rf"backup written: \S*/{re.escape(name)} ", _log(worker_log)))
    ok(f"Back up now: {name} written by the worker {time.monotonic() - queued:.1f} s after the request")


def check_ticket_write(base: str) -> None:
    agent = Client(base)
    agent.login("agent", "agent-demo")
    form = agent.get("/tickets/new/")
    require(form.status == 200, f"ticket intake page: {form.status}")
    select = re.search(r'<select name="estate"[^>]*>(.*?)</select>', form.text, flags=re.S)
    require(select, "ticket intake page: no estate field")
    estates = re.findall(r'<option value="(\d+)"', select.group(1))
    require(estates, "ticket intake page: the agent serves no estate (demo data?)")
    title = f"stack check {uuid.uuid4().hex[:12]}"
    answer = agent.post("/tickets/new/", {
        "csrfmiddlewaretoken": csrf_token(form), "estate": estates[0], "location": "east gate", "kind": "repair",
        "priority": "normal", "channel": "phone", "title": title, "description": "written by scripts/stack_check.py",
        "allow_duplicate": "on"}, follow=False)
    match = re.fullmatch(r"(?:https://[^/]+)?/tickets/(\d+)/", answer.location)
    require(answer.status == 302 and match,
            f"ticket create: {answer.status} {answer.location!r} "
            f"{' '.join(re.findall(r'invalid-feedback[^>]*>([^<]+)', answer.text))[:300]}")
    pk = match.group(1)
    page = agent.get(f"/tickets/{pk}/")
    require(page.status == 200 and title in page.text, f"ticket {pk}: {page.status}, title missing")
    listing = agent.get("/tickets/?" + urllib.parse.urlencode({"q": title}))
    require(listing.status == 200 and f"/tickets/{pk}/" in listing.text, f"ticket list search: {listing.status}, "
                                                                          f"ticket {pk} not listed")
    api = agent.get(f"/api/v1/tickets/{pk}/", headers={"Accept": "application/json"})
    require(api.status == 200, f"API ticket {pk}: {api.status}")
    require(json.loads(api.body).get("title") == title, f"API ticket {pk}: another title")
    ok(f"ticket {pk} filed through the page by the agent, read back from its page, the list and the API")


def check_lookup_by_number(base: str, plain_base: str, number: str) -> None:
    # typed into the plain-HTTP address first: redirected (nginx's port-80 server logs it too)
    plain = Client(plain_base, proxied=False).get("/estates/lookup/?" + urllib.parse.urlencode({"q": number}),
                                                   follow=False)
    require(plain.status in (301, 302) and plain.location.startswith("https://"),
            f"plain-HTTP lookup: {plain.status} {plain.location!r} (expected a redirect to HTTPS)")
    agent = Client(base)
    agent.login("agent", "agent-demo")
    # the way the page sends it: the query string, with the previous page's address as Referer
    answer = agent.get("/estates/lookup/?" + urllib.parse.urlencode({"q": number}), follow=False,
                       headers={"Referer": f"{base}/tickets/?" + urllib.parse.urlencode({"q": number})})
    found = (answer.status == 302 and "/estates/customers/" in answer.location) or (
        answer.status == 200 and "/estates/customers/" in answer.text)
    require(found, f"caller lookup by a full number: {answer.status} {answer.location!r}, no customer found")
    ok("the agent found a caller by the full phone number (the access logs are checked by ci_stack.sh)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8123 (gunicorn, or nginx's plain-HTTP port)")
    parser.add_argument("--https-url", help="nginx's HTTPS address, e.g. https://127.0.0.1:8443: check through it")
    parser.add_argument("--cafile", help="the certificate to trust for --https-url")
    parser.add_argument("--worker-log", help="the Celery worker's log (for the beat check)")
    parser.add_argument("--beat-log", help="Celery beat's log")
    parser.add_argument("--beat-jobs", help="the periodic jobs beat must send: one 'name task' a line")
    parser.add_argument("--timeout", type=float, default=120, help="seconds for the whole check")
    args = parser.parse_args(argv)
    if args.https_url:
        import ssl

        global TLS
        TLS = ssl.create_default_context(cafile=args.cafile)
    site = args.https_url or args.base_url
    deadline = time.monotonic() + args.timeout
    left = lambda: max(5.0, deadline - time.monotonic())  # noqa: E731
    started = time.monotonic()
    print(f"stack_check: {args.base_url}", flush=True)
    try:
        check_https_redirect(args.base_url)
        check_pages_and_static(site)
        if args.beat_jobs:
            require(args.beat_log and args.worker_log, "--beat-jobs needs --beat-log and --worker-log")
            # first, so that the backup beat queues is done before "Back up now" counts the new backups
            check_beat(args.beat_jobs, args.beat_log, args.worker_log, left())
        check_backup_now(site, left(), args.worker_log)
        check_ticket_write(site)
        check_lookup_by_number(site, args.base_url, LOOKUP_NUMBER)
    except (CheckFailed, OSError) as exc:  # OSError: urllib's URLError, a refused connection, a timeout
        print(f"stack_check: FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"stack_check: all checks passed in {time.monotonic() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
