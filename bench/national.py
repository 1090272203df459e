"""Keep a PostgreSQL database `roadmap_national` holding the national data set of the current generator.

`manage.py seed_demo --scale national` (roadmaps/demo/national/) takes minutes, so the data set is
built once and reused while nothing it depends on changes. Its fingerprint — the sha256 of
roadmaps/demo/national/, of the deadline parser it uses (roadmaps/deadlines/) and of the latest migration
of every app — is kept in the database's comment (COMMENT ON DATABASE) with when it was built and its
counts. When the database is missing, has no
comment (say, an interrupted build) or another fingerprint, it is dropped, created, migrated and seeded,
and only then commented.

Run from the project root; it prints one line on stdout (the build's progress goes to stderr):

    python bench/national.py            # national: reused data set (built …) | national: built in N s; …
    python bench/national.py --rebuild  # build even when the fingerprint matches

From a benchmark script run as `python bench/bench_x.py` (so bench/ is on sys.path):

    from national import ensure_national_database
    env = {**os.environ, "DATABASE_URL": ensure_national_database()}

The logins and their password are KNOWN_LOGINS and NATIONAL_PASSWORD in roadmaps/demo/national/.
NATIONAL_DATABASE_URL chooses another database (default postgres://postgres@127.0.0.1:5432/roadmap_national);
its user must be allowed to drop, create and comment on it. Two callers at once build it once: the check
and the build hold an advisory lock on the server.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GENERATOR = ROOT / "roadmaps" / "demo" / "national"
# The generator parses its deadline wordings with the portal's parser: a parser change changes the data.
GENERATOR_INPUTS = (GENERATOR, ROOT / "roadmaps" / "deadlines")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/roadmap_national"
SUMMARY_PREFIX = "seed_demo national:"
# Printed by a child process so that the caller's own Django settings, if any, stay untouched.
LEAF_MIGRATIONS = """
import django
from django.db.migrations.loader import MigrationLoader
django.setup()
for app, name in sorted(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()):
    print(app, name)
"""


def database_url() -> str:
    return os.environ.get("NATIONAL_DATABASE_URL", DEFAULT_URL)


def fingerprint() -> str:
    """sha256 of the generator's source and the latest migration of every app."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    leaves = subprocess.run(
        [sys.executable, "-c", LEAF_MIGRATIONS], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    sources = b"".join(
        path.read_bytes() for folder in GENERATOR_INPUTS for path in sorted(folder.glob("*.py"))
    )
    return hashlib.sha256(sources + b"\n" + leaves.encode()).hexdigest()


def ensure_national_database(*, rebuild: bool = False) -> str:
    """Build the national data set unless the database already holds this generator's; returns its URL."""
    import psycopg2

    url = database_url()
    name = url.rsplit("/", 1)[1]
    wanted = fingerprint()
    server = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"national data set {name}"])
            stamp = _stamp(cursor, name)
            if not rebuild and stamp.get("fingerprint") == wanted:
                built = f"built {stamp['built_at']} in {stamp['seconds']} s"
                print(f"national: reused data set ({built}; {stamp['counts']})")
                return url
            stamp = _build(cursor, name, url, wanted)
            print(f"national: built in {stamp['seconds']} s; {stamp['counts']}")
            return url
    finally:
        server.close()  # releases the lock too


def _stamp(cursor, name: str) -> dict:
    cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name])
    row = cursor.fetchone()
    try:
        return json.loads(row[0]) if row and row[0] else {}
    except ValueError:
        return {}


def _build(cursor, name: str, url: str, wanted: str) -> dict:
    from psycopg2 import sql

    started = time.perf_counter()
    database = sql.Identifier(name)
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
    cursor.execute(sql.SQL("CREATE DATABASE {}").format(database))
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    counts = _seed(env)
    stamp = {
        "fingerprint": wanted,
        "built_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "seconds": round(time.perf_counter() - started),
        "counts": counts,
    }
    cursor.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(database, sql.Literal(json.dumps(stamp))))
    return stamp


def _seed(env: dict) -> str:
    """Run seed_demo --scale national, passing its progress to stderr; returns the counts it reports."""
    command = [sys.executable, "manage.py", "seed_demo", "--scale", "national"]
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) as seeding:
        summary = ""
        for line in seeding.stdout:
            print(line, end="", file=sys.stderr, flush=True)
            if line.startswith(SUMMARY_PREFIX):
                summary = line.split(";", 1)[1].strip()
    if seeding.returncode != 0 or not summary:
        raise SystemExit(f"national: seed_demo --scale national failed (exit {seeding.returncode})")
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rebuild", action="store_true", help="build even when the fingerprint matches")
    ensure_national_database(rebuild=parser.parse_args().rebuild)
    return 0


if __name__ == "__main__":
    sys.exit(main())
