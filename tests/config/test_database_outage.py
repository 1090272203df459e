"""A database that accepts connections and never answers (issue 15): /healthz answers 503 and pages a
Russian 503 page within DB_CONNECT_TIMEOUT (5 s), instead of hanging until gunicorn kills the worker.

Each case runs in a fresh portal process (tests/outage.py) whose DATABASE_URL points at the outage — a
real listener on 127.0.0.1 that accepts and stays silent, or a closed port — so it needs no PostgreSQL.
"""

import json
from contextlib import nullcontext

import pytest

from tests.outage import closed_port, run_scenario, silent_listener

UNREACHABLE_TEXT = "База данных сейчас не отвечает"
ANSWER_SECONDS = 6.5  # the 5 s connect timeout and the rest of the request


@pytest.fixture(scope="module", params=["silent listener", "closed port"])
def answers(request) -> dict:
    with silent_listener() if request.param == "silent listener" else nullcontext(closed_port()) as port:
        return run_scenario("database_pages", DATABASE_URL=f"postgres://portal@127.0.0.1:{port}/portal")


def test_healthz_answers_503_with_the_database_state_within_the_connect_timeout(answers):
    answer = answers["healthz"]

    assert answer["status"] == 503
    assert answer["seconds"] < ANSWER_SECONDS
    assert json.loads(answer["body"])["database"] == "error: OperationalError"


@pytest.mark.parametrize("case", ["healthz with a session", "page with a session"])
def test_request_with_a_session_gets_the_russian_503_page_within_the_connect_timeout(answers, case):
    answer = answers[case]

    assert answer["status"] == 503
    assert answer["seconds"] < ANSWER_SECONDS
    assert UNREACHABLE_TEXT in answer["body"]
    assert '<html lang="ru">' in answer["body"]
