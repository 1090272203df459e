"""What the benchmarks of a running portal share: production-like settings and a gunicorn on 127.0.0.1.

Not a benchmark itself (bench/run.py runs only bench_*.py).
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION_LIKE = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 32,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "CONN_MAX_AGE": "60",
    "LOG_LEVEL": "WARNING",
    # WhiteNoise warns that collectstatic has not run; the bench measures pages, not static files.
    "PYTHONWARNINGS": "ignore:No directory at",
}


def _redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


# As in production, the web workers share one cache when Redis is there (a database of its own, 3).
if _redis_answers():
    PRODUCTION_LIKE["CACHE_URL"] = "redis://127.0.0.1:6379/3"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bench: gunicorn did not answer /healthz in time")


@contextmanager
def gunicorn(workers: int = 2, log: IO | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """A gunicorn of `workers` sync workers on a free port of 127.0.0.1, with this process's environment.

    Yields (port, the master process) once /healthz answers; the server is stopped however the block ends.
    Its log (stderr) goes to `log` if given, else where this process's goes.
    """
    port = free_port()
    executable = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(executable),
            "config.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stderr=log,
    )
    try:
        wait_until_up(port)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
