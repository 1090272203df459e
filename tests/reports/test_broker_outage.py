"""A report requested while the broker is down or silent (issue 15): the request answers within a few
seconds, the run is failed with a Russian reason the run page shows, and nothing stays «в очереди».

Each case runs in a fresh portal process (tests/outage.py) whose CELERY_BROKER_URL points at the outage:
a closed port, and a real listener that accepts the connection and never answers.
"""

import html
from contextlib import nullcontext

import pytest

from reports.services.runs import QUEUE_UNAVAILABLE
from tests.outage import closed_port, copy_of, migrated_sqlite, run_scenario, silent_listener

# BROKER_TIMEOUT (2 s) per attempt, two attempts, and the rest of the request.
ANSWER_SECONDS = 5.5


@pytest.fixture(scope="module")
def portal_database(tmp_path_factory):
    return migrated_sqlite(tmp_path_factory.mktemp("broker-outage"))


@pytest.mark.parametrize("outage", ["closed port", "silent listener"])
def test_report_requested_while_the_broker_is_away_fails_fast_with_a_russian_reason(
    outage, portal_database, tmp_path
):
    with silent_listener() if outage == "silent listener" else nullcontext(closed_port()) as port:
        result = run_scenario(
            "request_report",
            DATABASE_URL=copy_of(portal_database, tmp_path),
            CELERY_BROKER_URL=f"redis://127.0.0.1:{port}/0",
        )

    answer = result["request"]
    assert answer["status"] == 302 and answer["location"].startswith("/reports/runs/")
    assert answer["seconds"] < ANSWER_SECONDS
    assert result["runs"] == [{"status": "failed", "error": QUEUE_UNAVAILABLE}]
    assert QUEUE_UNAVAILABLE in html.unescape(result["page"])
