"""The broker and report-run times come from the environment, with defaults that keep a request short and
a visibility timeout past the stale time (config/settings.py, issue 15)."""

import runpy
from pathlib import Path

import pytest

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
NAMES = [
    "BROKER_TIMEOUT",
    "BROKER_VISIBILITY_TIMEOUT",
    "REPORT_HEARTBEAT_SECONDS",
    "REPORT_STALE_SECONDS",
    "REPORT_QUEUE_GRACE_SECONDS",
    "REPORT_SWEEP_SECONDS",
    "REPORT_TIME_LIMIT",
]


def _load_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_defaults_bound_the_broker_wait_and_outlast_the_stale_time_with_the_visibility_timeout(monkeypatch):
    parsed = _load_settings(monkeypatch)

    assert parsed["CELERY_BROKER_CONNECTION_TIMEOUT"] == 2.0
    assert parsed["CELERY_BROKER_TRANSPORT_OPTIONS"] == {
        "visibility_timeout": 600,
        "socket_connect_timeout": 2.0,
        "socket_timeout": 2.0,
        "max_retries": 1,
    }
    assert parsed["CELERY_TASK_PUBLISH_RETRY_POLICY"]["max_retries"] == 1
    assert parsed["CELERY_REDIS_SOCKET_TIMEOUT"] == parsed["CELERY_REDIS_SOCKET_CONNECT_TIMEOUT"] == 2.0
    assert (parsed["REPORT_HEARTBEAT_SECONDS"], parsed["REPORT_STALE_SECONDS"]) == (10, 300)
    assert (parsed["REPORT_SWEEP_SECONDS"], parsed["REPORT_QUEUE_GRACE_SECONDS"]) == (120, 120)


def test_the_environment_sets_every_time(monkeypatch):
    parsed = _load_settings(
        monkeypatch,
        BROKER_TIMEOUT="0.5",
        REPORT_STALE_SECONDS="30",
        REPORT_HEARTBEAT_SECONDS="2",
        REPORT_SWEEP_SECONDS="15",
        REPORT_QUEUE_GRACE_SECONDS="20",
    )

    options = parsed["CELERY_BROKER_TRANSPORT_OPTIONS"]
    assert (options["socket_timeout"], options["socket_connect_timeout"], options["visibility_timeout"]) == (
        0.5,
        0.5,
        60,
    )
    assert (parsed["REPORT_HEARTBEAT_SECONDS"], parsed["REPORT_SWEEP_SECONDS"]) == (2, 15)
    assert parsed["REPORT_QUEUE_GRACE_SECONDS"] == 20


def test_an_explicit_visibility_timeout_wins(monkeypatch):
    parsed = _load_settings(monkeypatch, BROKER_VISIBILITY_TIMEOUT="7200")

    assert parsed["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] == 7200


def test_report_builds_are_stopped_after_the_time_limit_with_a_russian_reason(settings):
    from celery.exceptions import SoftTimeLimitExceeded

    from reports.services import friendly_error
    from reports.tasks import generate_report_run

    assert settings.REPORT_TIME_LIMIT == 3600
    assert (generate_report_run.soft_time_limit, generate_report_run.time_limit) == (3600, 3660)
    assert "формирование заняло больше допустимых 60 мин. и было остановлено" in friendly_error(
        SoftTimeLimitExceeded()
    )
