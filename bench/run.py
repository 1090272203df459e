"""`make bench`: run every bench/bench_*.py in its own process; each prints one line per figure.

Benchmarks run on PostgreSQL: DATABASE_URL if set, else a `roadmap_bench` database on 127.0.0.1:5432.
bench_seed.py runs first and (re)builds the `seed_demo --scale bench` data set the page benchmarks read;
then national.py makes sure the `national` data set is there (reused while its generator is unchanged),
so the load and scale benchmarks measure both.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/roadmap_bench"


def _postgres_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return False
    return True


def main() -> int:
    env = dict(os.environ)
    if "DATABASE_URL" not in env and _postgres_reachable():
        env["DATABASE_URL"] = LOCAL_POSTGRES
    scripts = sorted(BENCH_DIR.glob("bench_*.py"), key=lambda p: (p.stem != "bench_seed", p.stem))
    if env.get("DATABASE_URL", "").startswith("postgres"):
        scripts.insert(1, BENCH_DIR / "national.py")
    scripts.append(BENCH_DIR / "probe.py")  # issue 15's hostile cases, one line per family
    failures = 0
    for script in scripts:
        completed = subprocess.run([sys.executable, str(script)], cwd=BENCH_DIR.parent, env=env, check=False)
        if completed.returncode != 0:
            print(f"{script.stem}: FAILED (exit {completed.returncode})")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
