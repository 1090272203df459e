"""`python bench/probe.py [family ...]`: the hostile cases of issue 15, rerun against a running portal.

It starts its own gunicorn (production-like settings, bench/_server.py) on a free port of 127.0.0.1 over a
throwaway SQLite database, and for the outage family more of them pointed at a broker or a database that
accepts connections and never answers (tests/outage.py). Every request has a timeout; nothing leaves
127.0.0.1. One line per family:

    probe: <family>: tried N, refused correctly N, failed 0

and the exit status is non-zero when anything failed. Families: brute-force, formula, bad-parameter,
outage (all by default).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from _server import PRODUCTION_LIKE, ROOT, free_port

sys.path.insert(0, str(ROOT))

from tests.outage import closed_port, copy_of, migrated_sqlite, silent_listener

PASSWORD = "pass-word-123"  # tests/factories' password for every user
LOCKOUT_AFTER = 5
# What a spreadsheet would run: each dangerous leading character of the issue.
FORMULAE = ['=HYPERLINK("http://evil.example/","нажми")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
REQUEST_SECONDS = 30
BROKER_ANSWER_SECONDS = 5.5  # BROKER_TIMEOUT twice and the request
DATABASE_ANSWER_SECONDS = 6.5  # DB_CONNECT_TIMEOUT and the request


@dataclass
class Tally:
    family: str
    tried: int = 0
    refused: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, ok: bool, case: str) -> None:
        self.tried += 1
        if ok:
            self.refused += 1
        else:
            self.failures.append(case)

    @property
    def failed(self) -> int:
        return self.tried - self.refused

    def line(self) -> str:
        counts = f"tried {self.tried}, refused correctly {self.refused}, failed {self.failed}"
        return f"probe: {self.family}: {counts}"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


class Browser:
    """One visitor: its own cookies (kept by hand, as the production cookies are Secure-only), no redirects
    followed, the CSRF token sent back with every form."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.port}{path}"}
        body = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_SECONDS)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for raw in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(raw).items():
                self.cookies[name] = morsel.value
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, content, time.monotonic() - started)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        if "csrftoken" not in self.cookies:
            self.get(path)
        return self.request("POST", path, form)

    def sign_in(self, username: str, password: str = PASSWORD) -> Answer:
        self.cookies.pop("sessionid", None)
        return self.post("/accounts/login/", {"username": username, "password": password})

    @property
    def signed_in(self) -> bool:
        return bool(self.cookies.get("sessionid"))


# --- The portal under probe ------------------------------------------------------------------------


def prepare() -> dict:
    """Run inside a portal process (`probe.py --prepare`): the people, the roadmap and the formula titles."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.urls import reverse

    from organizations.models import Membership
    from tests import factories
    from tests.config.test_query_params import HOSTILE, SCREENS

    owner = factories.OrganizationFactory(region=factories.RegionFactory())
    school = factories.OrganizationFactory(parent=owner, region=owner.region)
    people = {"staff": owner, "analyst": owner, "target": owner, "coordinator": school}
    for username, organization in people.items():
        role = "staff" if username == "target" else username
        user = factories.UserFactory(username=username)
        Membership.objects.create(user=user, organization=organization, role=role)
    factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    roadmap = factories.RoadmapFactory(owner=owner)
    for number, title in enumerate(FORMULAE, start=1):
        activity = factories.ActivityFactory(roadmap=roadmap, number=f"{number}.", title=title)
        factories.ResponsibilityFactory(activity=activity, organization=school)
    screens = [
        (persona, reverse(name, args=[roadmap.pk] if arg else []), params)
        for persona, name, arg, params in SCREENS
    ]
    return {
        "roadmap": roadmap.pk,
        "email": factories.UserFactory(username="forgetful").email,
        "screens": screens,
        "hostile": HOSTILE,
    }


@dataclass
class Portal:
    port: int
    data: dict
    log: Path

    def mails_sent(self) -> int:
        # The console mail backend writes a line of 79 dashes after every message.
        return self.log.read_text(errors="replace").count("-" * 79)


def _wait_for_listener(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"probe: gunicorn exited with {server.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("probe: gunicorn did not listen in time")


@contextmanager
def portal(folder: Path, **env: str) -> Iterator[Portal]:
    """A one-worker gunicorn on a copy of the prepared database (unless `env` names another database)."""
    # Its own database, files, cache (one worker: the reset limits must not remember an earlier probe) and
    # in-process tasks, whatever the calling environment (bench/run.py's) points at, unless `env` says.
    env = {
        **os.environ,
        **PRODUCTION_LIKE,
        "DATABASE_URL": copy_of(migrated_sqlite(folder), folder),
        "MEDIA_ROOT": str(folder / "media"),
        "CACHE_URL": "locmemcache://",
        "CELERY_BROKER_URL": "",
        "EMAIL_URL": "consolemail://",  # mails_sent() counts them in the log
        "AXES_FAILURE_LIMIT": str(LOCKOUT_AFTER),
        **env,
    }
    data: dict = {}
    if env["DATABASE_URL"].startswith("sqlite"):
        prepared = subprocess.run(
            [sys.executable, __file__, "--prepare"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if prepared.returncode != 0:
            raise SystemExit(f"probe: preparing the data failed:\n{prepared.stderr[-2000:]}")
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
    port = free_port()
    log = folder / f"gunicorn-{port}.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "config.wsgi",
                "-w",
                "1",
                "-b",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )
    try:
        _wait_for_listener(port, server)
        yield Portal(port, data, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- The families -----------------------------------------------------------------------------------


def brute_force(folder: Path) -> Tally:
    """Wrong passwords past the limit, then the right one; fifteen password resets for one address."""
    tally = Tally("brute-force")
    with portal(folder) as site:
        visitor = Browser(site.port)
        for attempt in range(LOCKOUT_AFTER + 3):
            visitor.sign_in("target", "wrong-guess")
            tally.check(not visitor.signed_in, f"wrong password {attempt + 1} signed in")
        answer = visitor.sign_in("target")
        locked = answer.status == 429 and "Вход временно заблокирован" in answer.text
        tally.check(locked and not visitor.signed_in, f"right password after the lockout: {answer.status}")
        other = Browser(site.port)
        answer = other.sign_in("staff")
        tally.check(other.signed_in, f"another user was locked out too: {answer.status}")
        for attempt in range(15):
            answer = Browser(site.port).post("/accounts/password_reset/", {"email": site.data["email"]})
            alike = (
                answer.status == 302 and answer.headers.get("location") == "/accounts/password_reset/done/"
            )
            tally.check(alike and site.mails_sent() == 1, f"reset {attempt + 1}: {site.mails_sent()} mails")
    return tally


def _xlsx_cells(content: bytes) -> list:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _check_xlsx(tally: Tally, what: str, content: bytes, *, escaped: Callable[[str], object]) -> None:
    try:
        cells = _xlsx_cells(content)
    except Exception as exc:  # not a workbook at all: every case of this file failed
        cells, what = [], f"{what} ({exc.__class__.__name__})"
    values = {cell.value for cell in cells if cell.data_type == "s"}
    formulae = {cell.coordinate for cell in cells if cell.data_type == "f"}
    for text in FORMULAE:
        tally.check(escaped(text) in values and not formulae, f"{what}: {text!r}")


def _admin_export(visitor: Browser, model: str, label: str) -> bytes:
    path = f"/admin/roadmaps/{model}/export/"
    page = visitor.get(path).text
    choice = re.search(rf'<option value="(\d+)"[^>]*>{label}</option>', page)
    fields = set(re.findall(rf'name="({model}resource_[^"]+)"', page))
    form = {"format": choice.group(1) if choice else "", "resource": "0", **dict.fromkeys(fields, "on")}
    return visitor.post(path, form).body


def formula(folder: Path) -> Tally:
    """Every dangerous leading character in activity titles, through the roadmap's .xlsx download and the
    admin's xlsx, csv and tsv exports: never a live formula."""
    tally = Tally("formula")
    with portal(folder) as site:
        staff = Browser(site.port)
        staff.sign_in("staff")
        download = staff.get(f"/roadmaps/{site.data['roadmap']}/download/xlsx/").body
        _check_xlsx(tally, "roadmap .xlsx", download, escaped=lambda text: text)  # kept as typed, quotePrefix
        root = Browser(site.port)
        root.sign_in("root")
        exported = _admin_export(root, "activity", "xlsx")
        _check_xlsx(tally, "admin xlsx", exported, escaped=lambda text: "'" + text)
        for label, delimiter in (("csv", ","), ("tsv", "\t")):
            content = _admin_export(root, "activity", label).decode("utf-8-sig", errors="replace")
            cells = {
                cell
                for row in csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
                for cell in row
            }
            for text in FORMULAE:
                tally.check("'" + text in cells and text not in cells, f"admin {label}: {text!r}")
    return tally


def bad_parameter(folder: Path) -> Tally:
    """Junk page numbers, filters and dates on every list (tests/config/test_query_params.py's screens):
    a page, a redirect or a 4xx (gunicorn's 414 for the longest) — never a server error."""
    tally = Tally("bad-parameter")
    with portal(folder) as site:
        visitors: dict[str, Browser] = {}
        for persona, path, params in site.data["screens"]:
            if persona not in visitors:
                visitors[persona] = Browser(site.port)
                visitors[persona].sign_in(persona)
            for param in params:
                for value in site.data["hostile"]:
                    status = visitors[persona].get(f"{path}?{param}={quote(value)}").status
                    tally.check(status < 500, f"{path}?{param}={value[:20]!r}: {status}")
    return tally


def _broker_outage(tally: Tally, folder: Path, port: int, name: str) -> None:
    with portal(folder, CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0") as site:
        Browser(site.port).get("/healthz")  # the worker boots on its first request: not measured
        answer = Browser(site.port).get("/healthz")
        tally.check(
            answer.status == 503
            and answer.seconds < BROKER_ANSWER_SECONDS
            and b'"broker": "error' in answer.body,
            f"/healthz, broker {name}: {answer.status} in {answer.seconds:.1f} s",
        )
        analyst = Browser(site.port)
        analyst.sign_in("analyst")
        form = {"scope": f"roadmap:{site.data['roadmap']}", "kind": "fioko_form", "format": "xlsx"}
        answer = analyst.post("/reports/", {**form, "as_of": "01.04.2025"})
        run_page = analyst.get(answer.headers.get("location", "/reports/")).text
        told = "Очередь отчётов сейчас недоступна" in run_page
        tally.check(
            answer.status == 302 and answer.seconds < BROKER_ANSWER_SECONDS and told,
            f"report request, broker {name}: {answer.status} in {answer.seconds:.1f} s",
        )


def _database_outage(tally: Tally, folder: Path, port: int, name: str) -> None:
    with portal(folder, DATABASE_URL=f"postgres://portal@127.0.0.1:{port}/portal") as site:
        Browser(site.port).get("/healthz")  # the worker boots on its first request: not measured
        answer = Browser(site.port).get("/healthz")
        tally.check(
            answer.status == 503 and answer.seconds < DATABASE_ANSWER_SECONDS,
            f"/healthz, database {name}: {answer.status} in {answer.seconds:.1f} s",
        )
        browser = Browser(site.port)
        browser.cookies["sessionid"] = "s" * 32
        answer = browser.get("/roadmaps/")
        tally.check(
            answer.status == 503
            and answer.seconds < DATABASE_ANSWER_SECONDS
            and "База данных сейчас не отвечает" in answer.text,
            f"page, database {name}: {answer.status} in {answer.seconds:.1f} s",
        )


def outage(folder: Path) -> Tally:
    """A broker and a database that accept and never answer, and closed ports: fast answers that say so."""
    tally = Tally("outage")
    for name in ("silent", "closed"):
        with silent_listener() if name == "silent" else nullcontext(closed_port()) as port:
            _broker_outage(tally, folder, port, name)
            _database_outage(tally, folder, port, name)
    return tally


FAMILIES: dict[str, Callable[[Path], Tally]] = {
    "brute-force": brute_force,
    "formula": formula,
    "bad-parameter": bad_parameter,
    "outage": outage,
}


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in FAMILIES]
    if unknown:
        print(f"probe: unknown families {unknown}; known: {', '.join(FAMILIES)}", file=sys.stderr)
        return 2
    failed = 0
    with tempfile.TemporaryDirectory(prefix="probe-") as folder:
        for name in names or list(FAMILIES):
            tally = FAMILIES[name](Path(folder))
            print(tally.line(), flush=True)
            for case in tally.failures[:10]:
                print(f"probe: {name}: failed: {case}", file=sys.stderr)
            failed += tally.failed
    return 1 if failed else 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare"]:
        print(json.dumps(prepare()))
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
