"""DEBUG is off unless asked for, and without DEBUG the portal refuses to start with no SECRET_KEY.

Each case loads the settings in a fresh interpreter: the test run itself has DEBUG=true (pyproject's
pytest `env`), and settings are read once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.DEBUG, settings.SECRET_KEY.startswith('django-insecure'))"
)


def _load_settings(**environment: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS"}
    }
    env.update(environment, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(autouse=True)
def _no_local_env_file():
    if (BASE_DIR / ".env").exists():
        pytest.skip("a local .env file would decide these settings")


def test_debug_is_off_by_default_and_then_a_secret_key_is_required():
    result = _load_settings(ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG is off (the default), so set SECRET_KEY" in result.stderr


def test_debug_false_without_a_secret_key_refuses_to_start():
    result = _load_settings(DEBUG="false", ALLOWED_HOSTS="portal.example.org")
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_with_a_secret_key_debug_stays_off_and_no_insecure_key_is_used():
    result = _load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


def test_local_development_asks_for_debug_and_gets_the_local_key():
    result = _load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


def test_the_migration_check_runs_without_any_settings_in_the_environment():
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}
    }
    checked = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr[-500:]
    assert "No changes detected" in checked.stdout
