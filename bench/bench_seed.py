"""Rebuild the bench data set on PostgreSQL and print how long `seed_demo --scale bench` took."""

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _recreate_database(url: str) -> None:
    import psycopg2

    name = url.rsplit("/", 1)[-1]
    connection = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("seed: skipped — the bench data set is built on PostgreSQL (set DATABASE_URL)")
        return 0
    _recreate_database(url)
    python = sys.executable
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    started = time.perf_counter()
    output = subprocess.run(
        [python, "manage.py", "seed_demo", "--scale", "bench"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seconds = time.perf_counter() - started
    # Autovacuum may be off here: without statistics the planner guesses, and without the visibility map
    # it cannot answer from an index alone, so pages would be timed on a database no production runs.
    subprocess.run(
        [python, "manage.py", "dbshell", "--", "-c", "VACUUM (ANALYZE)"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    counts = next(line for line in output.splitlines() if line.startswith("seed_demo bench:")).split(";", 1)[
        1
    ]
    print(f"seed: seed_demo --scale bench in {seconds:.1f} s (PostgreSQL);{counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
