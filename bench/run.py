"""`make bench`: run every bench/bench_*.py in its own process; each prints one line per figure."""

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def main() -> int:
    failures = 0
    for script in sorted(BENCH_DIR.glob("bench_*.py")):
        completed = subprocess.run([sys.executable, str(script)], cwd=BENCH_DIR.parent, check=False)
        if completed.returncode != 0:
            print(f"{script.stem}: FAILED (exit {completed.returncode})")
            failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
