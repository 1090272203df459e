"""The parsing half of the importer is plain Python: reading a document imports no Django."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DJANGO_FACING = {"save", "uploads", "preview"}
# writers.py writes files rather than reading them, and imports ``config`` (whose package loads Celery
# and Django settings); it is kept out of this check.
NOT_PARSING = {"writers"}


def test_the_parsing_modules_import_no_django():
    modules = sorted(
        f"roadmaps.importing.{path.stem}"
        for path in (ROOT / "roadmaps" / "importing").glob("*.py")
        if path.stem not in DJANGO_FACING | NOT_PARSING and path.stem != "__init__"
    )
    code = (
        "import importlib, sys\n"
        "import roadmaps.importing\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    command = [sys.executable, "-c", code]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert {"roadmaps.importing.reader", "roadmaps.importing.structure"} <= set(modules)
