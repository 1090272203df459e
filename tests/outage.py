"""Outages to point a client at: a listener that accepts connections and never answers, and a closed port.

Used by the outage tests and by bench/probe.py; bound to 127.0.0.1 only.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def silent_listener() -> Iterator[int]:
    """A port on 127.0.0.1 that accepts every connection and never sends a byte; yields the port."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])  # kept open, never read: the peer waits for an answer
            except TimeoutError:
                continue
            except OSError:
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=2)
        for sock in accepted:
            sock.close()
        server.close()


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound for a moment to pick it, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def migrated_sqlite(folder: Path) -> Path:
    """A throwaway SQLite database with the portal's tables, made once per folder."""
    path = folder / "portal.sqlite3"
    if not path.exists():
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{path}"}
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
        )
    return path


def copy_of(database: Path, folder: Path) -> str:
    """A DATABASE_URL for a fresh copy of `database` in `folder`."""
    copy = folder / "scenario.sqlite3"
    shutil.copyfile(database, copy)
    return f"sqlite:///{copy}"


def run_scenario(name: str, *, timeout: float = 60, **env: str) -> dict:
    """Run tests/outage_scenarios.py's `name` in a fresh portal process with `env`; returns its JSON."""
    completed = subprocess.run(
        [sys.executable, "-m", "tests.outage_scenarios", name],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "true", "LOG_LEVEL": "CRITICAL", **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"scenario {name} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
