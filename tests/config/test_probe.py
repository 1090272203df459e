"""bench/probe.py reruns issue 15's hostile cases against a running portal; one family here, so the probe
cannot rot between benchmark runs (`make bench` runs them all)."""

import re
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parents[2] / "bench" / "probe.py"


def test_probe_brute_force_family_refuses_every_attempt_and_reports_one_line():
    completed = subprocess.run(
        [sys.executable, str(PROBE), "brute-force"], capture_output=True, text=True, timeout=240, check=False
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr[-3000:]
    [line] = completed.stdout.splitlines()
    tried, refused, failed = map(
        int,
        re.fullmatch(
            r"probe: brute-force: tried (\d+), refused correctly (\d+), failed (\d+)", line
        ).groups(),
    )
    assert tried == refused > 0 and failed == 0


def test_probe_refuses_an_unknown_family():
    completed = subprocess.run(
        [sys.executable, str(PROBE), "no-such-family"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 2
    assert "brute-force" in completed.stderr
