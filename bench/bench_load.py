"""A quarterly reporting day under load (issue 12): locust drives gunicorn (2 sync workers) on 127.0.0.1.

Run from the project root: `DATABASE_URL=postgres://… python bench/bench_load.py` on the `seed_demo --scale
bench` data set. When the national data set is built and stamped for the current generator and
migrations (bench/national.py: `roadmap_national`, or NATIONAL_DATABASE_URL), the same day runs there too
and the two are printed side by side; this script never builds it.

The day: 32 users in a closed loop without think time, so the figures are what two workers sustain.
Coordinators (24, each at a different school) open «Мои мероприятия», open the in-place report form of
an open checkpoint and report it with today's date; staff (4, each at a different authority) open the
verification queue and accept the oldest report; analysts (4) open the scope dashboard and the roadmap
list. No two users take the same checkpoint (schools answering for one activity see the same ones); a
report or an acceptance refused all the same is a handled answer, not an error.
Each user logs in through the login form before the measured window opens. py-spy samples one worker for
15 s in the last data set's window, to tell Python time from time in PostgreSQL calls; the CPU
seconds of gunicorn, of the data set's PostgreSQL backends and of the rest of the machine, and samples of
pg_stat_activity, say which of them had the cores.

The load's users are created for the run (`bench_load_*`, with memberships) and deleted after it, with
their sessions, history and transition rows; the checkpoints they reported or accepted are put back as
they were (saved to a file in the temporary directory first, so a run that died is undone by the next).
What stays is what any write leaves: fresh data versions on the roadmaps touched (roadmaps/data_version.py).

Three processes per data set: this one chooses the data sets; `--data-set` (Django, one database) sets
up, serves gunicorn, profiles and cleans up; `--locust` is the load itself, kept apart because locust
monkey-patches the standard library with gevent.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from _server import PRODUCTION_LIKE, ROOT, gunicorn

WORKERS = 2
COORDINATORS = 24
STAFF = 4  # one per authority; each authority's schools give COORDINATORS // STAFF coordinators
ANALYSTS = 4
SECONDS = 60
LOGIN_LIMIT = 120.0
REQUEST_TIMEOUT = 60.0
PROFILE_SECONDS = 15
PROFILE_DELAY = 10  # into the measured window, so the profile sees the steady state
PROFILE_TOP = 10
PROFILE_QUERIES = 5
# The innermost Python frames around psycopg2's C calls: a query, commit or connection is waited on there.
DATABASE_WAITS = (
    "._execute (django/db/backends/utils.py",
    "._commit (django/db/backends/base/base.py",
    "._rollback (django/db/backends/base/base.py",
    ".get_new_connection (django/db/backends/postgresql/base.py",
    "(psycopg2/",
)
PORTAL_PACKAGES = ("roadmaps/", "organizations/", "projects/", "reports/", "config/")
MIN_OPEN = 50  # open checkpoints a coordinator's school needs so the minute does not run dry
PREFIX = "bench_load_"
PASSWORD = "bench-load-2026"
RESULT = "Проведено, материалы размещены на сайте школы"
PK_SLOT = 987654321  # stands for a checkpoint id in the report and accept paths handed to locust
NATIONAL_DB = "roadmap_national"
# The well-known staff login of each data set (roadmaps/demo/bench.py, roadmaps/demo/national/): the load's
# staff work at its authority and at the next authorities of the same kind.
ANCHOR_STAFF = {"bench": "bench_staff", "national": "national_regional_staff"}


# --- Choosing the data sets (this process) ------------------------------------------------------------


def _national_url(bench_url: str) -> str:
    try:
        from national import database_url  # bench/national.py, which builds and stamps the data set
    except ImportError:
        return os.environ.get("NATIONAL_DATABASE_URL") or bench_url.rsplit("/", 1)[0] + "/" + NATIONAL_DB
    return database_url()


def _national_ready(url: str) -> tuple[bool, str]:
    """Read-only: built for this generator and these migrations (bench/national.py's stamp), and loaded."""
    import psycopg2

    name = url.rsplit("/", 1)[-1]
    options = "-c default_transaction_read_only=on -c lock_timeout=2000 -c statement_timeout=10000"
    try:
        connection = psycopg2.connect(url, connect_timeout=3, options=options)
    except psycopg2.OperationalError as exc:
        if "does not exist" in str(exc):
            return False, f"no {name} database yet"
        return False, f"cannot connect ({str(exc).strip().splitlines()[0]})"
    try:
        with connection.cursor() as cursor:
            stale = _national_stamp_differs(cursor, name)
            if stale:
                return False, stale
            cursor.execute("SELECT to_regclass('roadmaps_checkpoint'), to_regclass('auth_user')")
            if None in cursor.fetchone():
                return False, "not migrated yet"
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM auth_user WHERE username = %s)", [ANCHOR_STAFF["national"]]
            )
            if not cursor.fetchone()[0]:
                return False, f"being built ({ANCHOR_STAFF['national']} is not there yet)"
    except psycopg2.errors.LockNotAvailable:
        return False, "being built (its tables are locked)"
    except psycopg2.errors.QueryCanceled:
        return False, "too slow to answer (statement timeout)"
    finally:
        connection.close()
    return True, ""


def _national_stamp_differs(cursor, name: str) -> str:
    """Why the database is not the current national data set by bench/national.py's stamp ("" if it is)."""
    try:
        from national import fingerprint
    except ImportError:
        return ""  # no bench/national.py: the table checks alone decide
    cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    row = cursor.fetchone()
    try:
        stamp = json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        stamp = {}
    if not stamp.get("fingerprint"):
        return "being built (bench/national.py has not stamped it yet)"
    if stamp["fingerprint"] != fingerprint():
        return "built by another generator or for other migrations (`python bench/national.py` rebuilds it)"
    return ""


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print(
            "load: skipped — DATABASE_URL is not a PostgreSQL database "
            "(load one with `manage.py seed_demo --scale bench` and set DATABASE_URL)"
        )
        return 0
    data_sets = [("bench", url)]
    national = _national_url(url)
    ready, why = _national_ready(national) if national != url else (False, "DATABASE_URL is the national one")
    if ready:
        data_sets.append(("national", national))
    else:
        print(f"load: national data set skipped — {why}")
    results, failed = {}, 0
    for label, database in data_sets:
        with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
            result_file = Path(tmp) / "result.json"
            args = [sys.executable, __file__, "--data-set", label, str(result_file)]
            if label == data_sets[-1][0]:
                args.append("--profile")
            env = {**os.environ, "DATABASE_URL": database}
            # Bounded: setup and clean-up on the national set take a few minutes at most.
            completed = subprocess.run(args, cwd=ROOT, env=env, check=False, timeout=1800)
            if completed.returncode != 0:
                print(f"load: {label} FAILED (exit {completed.returncode})")
                failed += 1
            elif result_file.exists():
                results[label] = json.loads(result_file.read_text())
    if len(results) == 2 and all("total" in r for r in results.values()):
        print(_ratio_line(results["bench"]["total"], results["national"]["total"]))
    return 1 if failed else 0


def _ratio_line(bench: dict, national: dict) -> str:
    parts = [
        f"requests/s {_ratio(bench['rps'], national['rps'])} ({bench['rps']:.1f} / {national['rps']:.1f})"
    ]
    for key in ("p50", "p95", "p99"):
        parts.append(f"{key} {_ratio(bench[key], national[key])} ({bench[key]:.0f} / {national[key]:.0f} ms)")
    return "load: bench/national ratio: " + ", ".join(parts)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


# --- One data set (the --data-set process: Django on DATABASE_URL) -------------------------------------


def _django_setup() -> None:
    for name, value in PRODUCTION_LIKE.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    warnings.filterwarnings("ignore", "No directory at")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _snapshot_file() -> Path:
    from django.db import connection

    return Path(tempfile.gettempdir()) / f"bench_load_{connection.settings_dict['NAME']}.json"


def _unapplied_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def data_set_main(label: str, result_file: Path, profile: bool) -> int:
    _django_setup()
    # A SIGTERM from whoever runs the benchmark still puts the data back (the finally blocks below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    missing = _unapplied_migrations()
    if missing:
        print(f"load: {label} skipped — {missing} migrations are not applied to its database")
        return 0
    leftovers = _clean_up()
    if leftovers["users"]:
        print(f"load: {label}: undid a previous run that did not clean up ({_counts_text(leftovers)})")
    try:
        plan = _plan(label)
        if plan is None:
            return 0
        with tempfile.TemporaryFile("w+") as log:
            with gunicorn(workers=WORKERS, log=log) as (port, server):
                result = _drive(label, port, server, plan, profile=profile)
            log.seek(0)
            result["server_log"] = _log_heads(log.read())
    finally:
        cleaned = _clean_up()
    _print_lines(label, plan, result)
    print(f"load: {label}: cleaned up ({_counts_text(cleaned)})")
    result_file.write_text(json.dumps(result))
    return 0


def _log_heads(text: str) -> list[tuple[str, int]]:
    """The server log's records by their first line (numbers made N), tracebacks left out; most first."""
    import re

    heads: Counter[str] = Counter()
    in_traceback = False
    for line in text.splitlines():
        if line.startswith("Traceback "):
            in_traceback = True
        elif in_traceback:
            in_traceback = line.startswith(" ")  # the first unindented line is the exception: skipped too
        elif line.strip():
            heads[re.sub(r"\d+", "N", line.strip())[:120]] += 1
    return heads.most_common(5)


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items())


def _plan(label: str) -> dict | None:
    """Create the load's users at schools and authorities of the data set; remember what they can change."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.urls import reverse
    from django.utils import timezone

    from organizations.models import Membership, Organization

    Role = Membership.Role
    anchor = (
        Membership.objects.filter(user__username=ANCHOR_STAFF[label], role=Role.STAFF)
        .select_related("organization")
        .first()
    )
    if anchor is None:
        print(f"load: {label} skipped — no {ANCHOR_STAFF[label]} staff login in its database")
        return None
    others = Organization.objects.filter(kind=anchor.organization.kind).exclude(pk=anchor.organization_id)
    authorities = [anchor.organization, *others.order_by("pk")[: STAFF - 1]]
    schools = [s for a in authorities for s in _busy_schools(a, COORDINATORS // len(authorities))]
    if not schools:
        print(f"load: {label} skipped — no school with {MIN_OPEN}+ open checkpoints under {authorities[0]}")
        return None

    password = make_password(PASSWORD)  # one hash for all: creating users is not what is measured
    people = [("coordinator", f"{PREFIX}coordinator_{n:02d}", school) for n, school in enumerate(schools)]
    people += [("staff", f"{PREFIX}staff_{n:02d}", a) for n, a in enumerate(authorities)]
    people += [
        ("analyst", f"{PREFIX}analyst_{n:02d}", authorities[n % len(authorities)]) for n in range(ANALYSTS)
    ]
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=username, password=password, first_name="Нагрузка")
        for _, username, _ in people
    )
    Membership.objects.bulk_create(
        Membership(user=user, organization=org, role=role, position="замер нагрузки")
        for user, (role, _, org) in zip(users, people, strict=True)
    )
    _save_snapshot(users, people)
    by_role: dict[str, list[str]] = {}
    for role, username, _ in people:
        by_role.setdefault(role, []).append(username)
    return {
        "host": "127.0.0.1",
        "seconds": SECONDS,
        "login_limit": LOGIN_LIMIT,
        "timeout": REQUEST_TIMEOUT,
        "password": PASSWORD,
        "users": by_role,
        "today": timezone.localdate().strftime("%d.%m.%Y"),
        "result": RESULT,
        "pk_slot": PK_SLOT,
        "paths": {
            "login": reverse("login"),
            "my": reverse("roadmaps:my-checkpoints"),
            "report": reverse("roadmaps:checkpoint-report", args=[PK_SLOT]),
            "queue": reverse("roadmaps:verification-queue"),
            "accept": reverse("roadmaps:checkpoint-accept", args=[PK_SLOT]),
            "dashboard": reverse("roadmaps:dashboard"),
            "roadmaps": reverse("roadmaps:roadmap-list"),
        },
    }


def _busy_schools(authority, count: int) -> list:
    """Schools under the authority with the most open checkpoints in approved roadmaps it verifies."""
    from django.db.models import Count

    from organizations.models import Organization
    from roadmaps import outcomes
    from roadmaps.models import Responsibility

    rows = (
        Responsibility.objects.filter(
            organization__kind=Organization.Kind.SCHOOL,
            organization__path__startswith=authority.path,
            activity__roadmap__owner__path__startswith=authority.path,
            activity__roadmap__status="approved",
            activity__checkpoints__status__in=outcomes.OPEN,
        )
        .values("organization_id")
        .annotate(n=Count("activity__checkpoints"))
        .filter(n__gte=MIN_OPEN)
        .order_by("-n", "organization_id")[:count]
    )
    ids = [row["organization_id"] for row in rows]
    found = Organization.objects.in_bulk(ids)
    return [found[pk] for pk in ids]


def _save_snapshot(users, people) -> int:
    """Write the checkpoints the load's users may report or accept to a file, as they are now."""
    from django.core import serializers

    from organizations.scope import user_scope
    from roadmaps import outcomes
    from roadmaps.models import Checkpoint

    pks: set[int] = set()
    for user, (role, _, _) in zip(users, people, strict=True):
        scope = user_scope(user)
        if role == "coordinator":
            pks.update(
                Checkpoint.objects.reportable_in(scope)
                .filter(status__in=outcomes.OPEN)
                .values_list("pk", flat=True)
            )
        elif role == "staff":
            pks.update(
                Checkpoint.objects.verifiable_in(scope).awaiting_verification().values_list("pk", flat=True)
            )
    ordered = sorted(pks)
    rows = []
    for start in range(0, len(ordered), 5000):
        rows.extend(Checkpoint.objects.filter(pk__in=ordered[start : start + 5000]).order_by("pk"))
    _snapshot_file().write_text(serializers.serialize("json", rows, fields=_checkpoint_fields()))
    return len(rows)


def _checkpoint_fields() -> list[str]:
    from roadmaps.models import Checkpoint

    return [f.name for f in Checkpoint._meta.concrete_fields if not f.primary_key]


def _clean_up() -> dict[str, int]:
    """Put back what the load changed and delete what it created; the load's users go last."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session
    from django.core import serializers
    from django.db import connection, transaction
    from django.utils import timezone

    from organizations.models import Membership
    from roadmaps.data_version import roadmaps_data_changed
    from roadmaps.models import Checkpoint, CheckpointTransition, Roadmap

    snapshot_file = _snapshot_file()
    users = get_user_model().objects.filter(username__startswith=PREFIX)
    ids = set(users.values_list("pk", flat=True))
    counts = {"users": len(ids)}
    if not ids:
        snapshot_file.unlink(missing_ok=True)
        return counts
    with transaction.atomic():
        transitions = CheckpointTransition.objects.filter(actor_id__in=ids)
        changed = set(transitions.values_list("checkpoint_id", flat=True))
        changed.update(Checkpoint.history.filter(history_user_id__in=ids).values_list("id", flat=True))
        before = {}
        if snapshot_file.exists():
            for item in serializers.deserialize("json", snapshot_file.read_text()):
                if item.object.pk in changed:
                    before[item.object.pk] = item.object
        Checkpoint.objects.bulk_update(before.values(), _checkpoint_fields(), batch_size=1000)
        counts["checkpoints put back"] = len(before)
        # The snapshot is written before the first request: only a snapshot file lost after a crash, or a
        # checkpoint someone else changed meanwhile, leaves a change that cannot be put back.
        if changed - before.keys():
            counts["changed but not in the snapshot, left as they are"] = len(changed - before.keys())
        counts["transitions"] = transitions.delete()[0]
        history = 0
        for model in apps.get_models():
            if any(f.name == "history_user" for f in model._meta.fields):
                history += model.objects.filter(history_user_id__in=ids).delete()[0]
        counts["history rows"] = history
        sessions = [
            s.session_key
            for s in Session.objects.filter(expire_date__gt=timezone.now())
            if s.get_decoded().get("_auth_user_id") in {str(pk) for pk in ids}
        ]
        counts["sessions"] = Session.objects.filter(session_key__in=sessions).delete()[0]
        users.delete()
        # bulk_update sends no signals: move the data versions of the roadmaps put back (data_version.py).
        roadmaps_data_changed(
            set(Checkpoint.objects.filter(pk__in=changed).values_list("activity__roadmap_id", flat=True))
        )
    snapshot_file.unlink(missing_ok=True)
    # Every report and acceptance moved its roadmap's data version, and PostgreSQL keeps each old row
    # version until a vacuum; autovacuum is off on the benchmark server, and the bench set is never
    # analysed, so a roadmaps table grown tenfold flips «Мои мероприятия» to a plan ten times slower for
    # the benchmarks after this one. Vacuum the small tables the load churned (not the big ones, where
    # its dead rows are a few per cent). VACUUM cannot run in a transaction: Django is in autocommit here.
    with connection.cursor() as cursor:
        for model in (Roadmap, Session, Membership, get_user_model()):
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
    return counts


# --- Driving the load and watching the server (the --data-set process) ---------------------------------


def _drive(label: str, port: int, server: subprocess.Popen, plan: dict, *, profile: bool) -> dict:
    from django.db import connection

    spec = {**plan, "port": port}
    workers = _children(server.pid)
    database = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_backend = cursor.fetchone()[0]
    with tempfile.TemporaryDirectory(prefix="bench_load_") as tmp:
        spec_file = Path(tmp) / "spec.json"
        spec_file.write_text(json.dumps(spec))
        stderr = (Path(tmp) / "locust.err").open("w+")
        client = subprocess.Popen(
            [sys.executable, __file__, "--locust", str(spec_file)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        # Bounded: logins, the window and the shutdown, with a margin; then the client is killed.
        watchdog = threading.Timer(LOGIN_LIMIT + SECONDS + 60, client.kill)
        watchdog.start()
        profiler: dict = {}
        backends: dict = {}
        thread = sampler = None
        meter = _CpuMeter(
            lambda: {
                "gunicorn": [server.pid, *_children(server.pid)],
                "PostgreSQL": _backends(database, exclude=own_backend),
                "locust": [client.pid],
            }
        )
        cores: dict[str, float] = {}
        result: dict = {}
        try:
            for line in client.stdout:
                line = line.strip()
                if line == "measuring":
                    meter.start()
                    sampler = threading.Thread(target=_sample_backends, args=(own_backend, backends))
                    sampler.start()
                    if profile and workers:
                        thread = threading.Thread(target=_profile, args=(workers[0], Path(tmp), profiler))
                        thread.start()
                elif line == "measured":
                    cores = meter.stop()
                elif line.startswith("{"):
                    result = json.loads(line)
            client.wait(timeout=30)
        finally:
            watchdog.cancel()
            if meter.running:
                meter.stop()
            if client.poll() is None:
                client.kill()
                client.wait()
            for waiting in (thread, sampler):
                if waiting is not None:
                    waiting.join(timeout=PROFILE_DELAY + PROFILE_SECONDS + 60)
            stderr.seek(0)
            errors = stderr.read()
            stderr.close()
        if not result:
            raise SystemExit(
                f"bench_load: the locust client gave no result (exit {client.returncode}):\n{errors[-2000:]}"
            )
    if cores:
        result["cpu"] = cores
    if backends:
        result["backends"] = backends
    if profile:
        result["profile"] = profiler or {"skipped": "no gunicorn worker found"}
    result["workers"] = WORKERS
    return result


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # gone
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _machine_seconds() -> float:
    """CPU seconds of the whole machine, others' processes too: everything but idle and iowait."""
    with open("/proc/stat") as stat:
        jiffies = [int(n) for n in stat.readline().split()[1:]]
    return (sum(jiffies) - jiffies[3] - jiffies[4]) / os.sysconf("SC_CLK_TCK")


def _backends(database: str, exclude: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != exclude:
            try:
                title = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                found.append(int(entry.name))
    return found


class _CpuMeter:
    """Cores used, per group of processes, between start() and stop().

    Polled five times a second, so a process that comes and goes in between (a PostgreSQL backend is
    replaced when CONN_MAX_AGE runs out) counts for the time it was seen.
    """

    def __init__(self, groups: Callable[[], dict[str, list[int]]]) -> None:
        self._groups = groups
        self._first: dict[int, float] = {}
        self._last: dict[int, tuple[str, float]] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run)
        self._started = self._machine = 0.0

    def _poll(self, *, initial: bool) -> None:
        for group, pids in self._groups().items():
            for pid in pids:
                seconds = _cpu_seconds(pid)
                if seconds is None:
                    continue
                # A process first seen later was born in the window: all its CPU time is the window's.
                self._first.setdefault(pid, seconds if initial else 0.0)
                self._last[pid] = (group, seconds)

    def _run(self) -> None:
        while not self._done.wait(0.2):
            self._poll(initial=False)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._started, self._machine = time.perf_counter(), _machine_seconds()
        self._poll(initial=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        self._done.set()
        self._thread.join()
        self._poll(initial=False)
        elapsed = time.perf_counter() - self._started
        cores: Counter[str] = Counter({"gunicorn": 0.0, "PostgreSQL": 0.0, "locust": 0.0})
        for pid, (group, seconds) in self._last.items():
            cores[group] += (seconds - self._first[pid]) / elapsed
        cores["machine"] = (_machine_seconds() - self._machine) / elapsed
        return dict(cores)


def _sample_backends(exclude: int, out: dict) -> None:
    """What the data set's other PostgreSQL backends are doing, 10 times a second in the profile's 15 s.

    `active` without a wait event is running or waiting for a core; Lock, LWLock and IO waits are named.
    """
    from django.db import connection

    time.sleep(PROFILE_DELAY)
    states: Counter[str] = Counter()
    most = 0
    query = (
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database() "
        "AND backend_type = 'client backend' AND pid NOT IN (pg_backend_pid(), %s)"
    )
    try:
        with connection.cursor() as cursor:
            for _ in range(PROFILE_SECONDS * 10):
                cursor.execute(query, [exclude])
                rows = cursor.fetchall()
                most = max(most, len(rows))
                for state, wait_type, wait in rows:
                    if state == "active":
                        states[f"{wait_type}:{wait}" if wait_type else "active on CPU"] += 1
                    else:
                        states[state or "unknown"] += 1
                time.sleep(0.1)
    finally:
        connection.close()  # this thread's own connection
    out.update(states=dict(states), connections=most)


def _profile(worker: int, tmp: Path, out: dict) -> None:
    """py-spy on one worker, idle samples included, so waiting on PostgreSQL shows as time in the query."""
    executable = Path(sys.executable).with_name("py-spy")
    if not executable.exists():
        out["skipped"] = "py-spy is not installed (pip install py-spy)"
        return
    time.sleep(PROFILE_DELAY)
    raw = tmp / "profile.txt"
    command = [str(executable), "record", "--pid", str(worker), "--duration", str(PROFILE_SECONDS)]
    command += ["--rate", "100", "--format", "raw", "--idle", "--nonblocking", "--output", str(raw)]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=PROFILE_SECONDS + 45)
    except subprocess.TimeoutExpired:
        out["skipped"] = "py-spy did not finish in time"
        return
    if completed.returncode != 0 or not raw.exists():
        reason = (completed.stderr.strip().splitlines() or [f"exit {completed.returncode}"])[-1]
        out["skipped"] = f"py-spy could not sample the worker: {reason}"
        return
    out.update(_read_profile(raw.read_text()))


def _read_profile(text: str) -> dict:
    """Split py-spy's collapsed stacks into idle between requests, in PostgreSQL calls and Python.

    A PostgreSQL call is the query's round trip, psycopg2 turning rows into Python objects, and any wait
    for a core on the way; pg_stat_activity (_sample_backends) tells how much of it PostgreSQL was working.

    Also where the database time goes: the innermost frame of the portal's own code above each query.
    """
    phases: Counter[str] = Counter()
    own: Counter[str] = Counter()
    queries: Counter[str] = Counter()
    for line in text.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames, n = stack.split(";"), int(count)
        if not any("handle_request (" in f and "gunicorn/workers/sync.py" in f for f in frames):
            phases["idle"] += n
            continue
        leaf = _frame_name(frames[-1])
        own[leaf] += n
        if any(marker in leaf for marker in DATABASE_WAITS):
            phases["PostgreSQL"] += n
            ours = [f for f in frames if f.partition(" (")[2].startswith(PORTAL_PACKAGES)]
            queries[ours[-1] if ours else leaf] += n
        else:
            phases["Python"] += n
    return {
        "phases": dict(phases),
        "top": own.most_common(PROFILE_TOP),
        "queries": queries.most_common(PROFILE_QUERIES),
    }


def _frame_name(frame: str) -> str:
    """`Class.function (path/to/file.py:123)` → `Class.function (package/file.py)`: own time per function."""
    function, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/lib/python3.11/", str(ROOT) + "/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{function} ({path})"


def _print_lines(label: str, plan: dict, result: dict) -> None:
    total = result["total"]
    users = sum(len(v) for v in plan["users"].values())
    print(
        f"load: reporting day on {label} ({result['workers']} gunicorn workers, {users} users, "
        f"{result['seconds']:.0f} s): {total['rps']:.1f} requests/s, p50 {total['p50']:.0f} ms, "
        f"p95 {total['p95']:.0f} ms, p99 {total['p99']:.0f} ms, errors {total['errors']}/{total['count']}"
    )
    endpoints = "; ".join(
        f"{name} {e['count']} p50 {e['p50']:.0f} p95 {e['p95']:.0f} ms"
        + (f" errors {e['errors']}" if e["errors"] else "")
        for name, e in result["endpoints"].items()
    )
    print(f"load: {label} endpoints: {endpoints}")
    o = result["outcomes"]
    print(
        f"load: {label} outcomes: {o.get('reported', 0)} reported, "
        f"{o.get('report refused', 0)} reports refused, "
        f"{o.get('accepted', 0)} accepted, {o.get('accept refused', 0)} acceptances refused, "
        f"{o.get('nothing to report', 0)} lists with nothing left to report; logins {result['logins']}"
        f"{', exceptions in the client ' + str(result['exceptions']) if result.get('exceptions') else ''}"
        f"{', locust client over 90% CPU' if result.get('client_cpu_warning') else ''}"
    )
    if result.get("server_log"):
        heads = "; ".join(f"{n} × {head}" for head, n in result["server_log"])
        print(f"load: {label} server log (WARNING and above): {heads}")
    if "cpu" in result and total["rps"]:
        cpu = result["cpu"]
        others = cpu["machine"] - cpu["gunicorn"] - cpu["PostgreSQL"] - cpu["locust"]
        ms_each = 1000 / total["rps"]  # core-seconds per second ÷ requests per second
        print(
            f"load: {label} CPU in the window (cores, of {os.cpu_count()} shared): "
            f"gunicorn {cpu['gunicorn']:.2f}, "
            f"PostgreSQL backends {cpu['PostgreSQL']:.2f}, locust client {cpu['locust']:.2f}, "
            f"everything else on the machine {others:.2f}; per request gunicorn "
            f"{cpu['gunicorn'] * ms_each:.0f} ms, PostgreSQL {cpu['PostgreSQL'] * ms_each:.0f} ms"
        )
    if "backends" in result:
        states = result["backends"]["states"]
        seen = sum(states.values()) or 1
        shares = ", ".join(
            f"{state} {n / seen:.0%}" for state, n in sorted(states.items(), key=lambda i: -i[1])
        )
        print(
            f"load: {label} PostgreSQL backends sampled 10/s for {PROFILE_SECONDS} s "
            f"(up to {result['backends']['connections']} connections): {shares}"
        )
    profile = result.get("profile")
    if profile is None:
        return
    if "skipped" in profile:
        print(f"load: {label} profile skipped — {profile['skipped']}")
        return
    phases = profile["phases"]
    samples = sum(phases.values()) or 1
    busy = phases.get("Python", 0) + phases.get("PostgreSQL", 0) or 1
    print(
        f"load: py-spy, one gunicorn worker for {PROFILE_SECONDS} s on {label}: {samples} samples — "
        f"Python {phases.get('Python', 0) / samples:.0%}, in PostgreSQL calls "
        f"{phases.get('PostgreSQL', 0) / samples:.0%}, "
        f"idle between requests {phases.get('idle', 0) / samples:.0%}"
    )
    for rank, (frame, n) in enumerate(profile["top"], start=1):
        print(f"load: py-spy own time #{rank}: {n / busy:5.1%} of request time  {frame}")
    for frame, n in profile["queries"]:
        print(f"load: py-spy in PostgreSQL calls from {frame}: {n / busy:.1%} of request time")


# --- The load (the --locust process; gevent-patched) ---------------------------------------------------


def locust_main(spec_file: Path) -> int:
    spec = json.loads(spec_file.read_text())
    assert spec["host"] == "127.0.0.1", "the load test talks to 127.0.0.1 only"
    import re

    import gevent
    from locust import HttpUser, constant, events, task
    from locust.env import Environment
    from locust.exception import StopUser

    paths, slot = spec["paths"], str(spec["pk_slot"])
    report_link = re.compile(re.escape(paths["report"]).replace(slot, r"(\d+)") + '"')
    accept_link = re.compile(re.escape(paths["accept"]).replace(slot, r"(\d+)") + '"')
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    htmx = {"HX-Request": "true"}
    logins: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    window = {"open": False}
    samples: list[tuple[str, float, bool]] = []
    queues = {role: list(reversed(names)) for role, names in spec["users"].items()}
    # Checkpoints taken, per role, by any of this process's users: schools answering for the same activity
    # see the same checkpoints, and two coordinators reporting one would collide.
    claimed: dict[str, set[str]] = {role: set() for role in spec["users"]}

    class Person(HttpUser):
        abstract = True
        host = f"http://127.0.0.1:{spec['port']}"
        wait_time = constant(0)
        role = ""

        def on_start(self) -> None:
            username = queues[self.role].pop()
            ok = False
            try:
                page = self.client.get(paths["login"], name="login", timeout=spec["timeout"])
                found = token.search(page.text)
                response = self.client.post(
                    paths["login"],
                    data={
                        "username": username,
                        "password": spec["password"],
                        "csrfmiddlewaretoken": found.group(1) if found else "",
                    },
                    headers=self._headers(),
                    name="login",
                    allow_redirects=False,
                    timeout=spec["timeout"],
                )
                ok = response.status_code == 302 and "sessionid" in self.client.cookies
            finally:
                logins["done"] += 1
                logins["ok" if ok else "failed"] += 1
            if not ok:
                raise StopUser

        def _headers(self, extra: dict | None = None) -> dict:
            # With DEBUG off the portal's cookies are Secure, which requests never sends over plain HTTP;
            # the benchmark talks plain HTTP to 127.0.0.1 only, so it sends them itself (as bench_pages does).
            cookies = "; ".join(f"{c.name}={c.value}" for c in self.client.cookies)
            return {"Cookie": cookies, **(extra or {})}

        def _call(self, method: str, path: str, name: str, headers: dict | None = None, **kwargs):
            """One request: 200 and 302 (not to the login page) are handled, anything else an error."""
            with self.client.request(
                method,
                path,
                name=name,
                headers=self._headers(headers),
                catch_response=True,
                allow_redirects=False,
                timeout=spec["timeout"],
                **kwargs,
            ) as response:
                if response.status_code == 302 and response.headers.get("Location", "").startswith(
                    paths["login"]
                ):
                    response.failure("sent to the login page")
                elif response.status_code in (200, 302):
                    response.success()
                else:
                    response.failure(f"HTTP {response.status_code}")
                return response

        def _form_post(self, path: str, name: str, page_text: str, data: dict):
            found = token.search(page_text)
            data = {"csrfmiddlewaretoken": found.group(1) if found else "", **data}
            return self._call("POST", path, name, data=data, headers=htmx)

        def _next(self, pattern: re.Pattern, text: str) -> str | None:
            for pk in pattern.findall(text):
                if pk not in claimed[self.role]:
                    claimed[self.role].add(pk)
                    return pk
            return None

    class Coordinator(Person):
        fixed_count = len(spec["users"].get("coordinator", []))
        role = "coordinator"

        @task
        def report(self) -> None:
            page = self._call("GET", paths["my"], "my-checkpoints")
            pk = self._next(report_link, page.text) if page.status_code == 200 else None
            if pk is None:
                outcomes["nothing to report"] += 1
                return
            path = paths["report"].replace(slot, pk)
            form = self._call("GET", path, "report form", headers=htmx)
            if form.status_code != 200:
                return
            answer = self._form_post(
                path, "report", form.text, {"actual_date": spec["today"], "result": spec["result"]}
            )
            if answer.status_code == 200:
                outcomes["reported" if 'class="cp flash"' in answer.text else "report refused"] += 1

    class Staff(Person):
        fixed_count = len(spec["users"].get("staff", []))
        role = "staff"

        @task
        def accept(self) -> None:
            page = self._call("GET", paths["queue"], "verification-queue")
            pk = self._next(accept_link, page.text) if page.status_code == 200 else None
            if pk is None:
                return
            answer = self._form_post(paths["accept"].replace(slot, pk), "accept", page.text, {})
            if answer.status_code == 200:
                outcomes["accepted" if "resolved" in answer.text.split(">", 1)[0] else "accept refused"] += 1

    class Analyst(Person):
        fixed_count = len(spec["users"].get("analyst", []))
        role = "analyst"

        @task
        def look(self) -> None:
            self._call("GET", paths["dashboard"], "dashboard")
            self._call("GET", paths["roadmaps"], "roadmap-list")

    @events.request.add_listener
    def _record(name: str, response_time: float, exception=None, **_) -> None:
        if window["open"] and name != "login":
            samples.append((name, response_time, exception is not None))

    classes = [c for c in (Coordinator, Staff, Analyst) if c.fixed_count]
    users = sum(c.fixed_count for c in classes)
    env = Environment(user_classes=classes, events=events)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=8)
    deadline = time.monotonic() + spec["login_limit"]
    while logins["done"] < users and time.monotonic() < deadline:
        gevent.sleep(0.2)
    window["open"] = True
    print("measuring", flush=True)
    started = time.perf_counter()
    gevent.sleep(spec["seconds"])
    window["open"] = False
    seconds = time.perf_counter() - started
    print("measured", flush=True)
    runner.quit()
    result = {
        "seconds": seconds,
        "total": _summary(samples, seconds),
        "endpoints": {},
        "outcomes": dict(outcomes),
        "logins": f"{logins['ok']}/{users}",
        "exceptions": sum(e["count"] for e in runner.exceptions.values()),
        "client_cpu_warning": bool(getattr(runner, "cpu_warning_emitted", False)),
    }
    for name in dict.fromkeys(s[0] for s in samples):
        result["endpoints"][name] = _summary([s for s in samples if s[0] == name], seconds)
    print(json.dumps(result), flush=True)
    return 0


def _summary(samples: list[tuple[str, float, bool]], seconds: float) -> dict:
    times = sorted(s[1] for s in samples)

    def percentile(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))] if times else 0.0

    return {
        "count": len(times),
        "errors": sum(1 for s in samples if s[2]),
        "rps": len(times) / seconds if seconds else 0.0,
        "p50": percentile(0.50),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
    }


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--locust":
        sys.exit(locust_main(Path(sys.argv[2])))
    if len(sys.argv) > 3 and sys.argv[1] == "--data-set":
        sys.exit(data_set_main(sys.argv[2], Path(sys.argv[3]), profile="--profile" in sys.argv[4:]))
    sys.exit(main())
