"""Actions run at the same moment, each in its own thread and database connection (the race tests)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import connection


def race(
    *actions: Callable[[], object], refused: tuple[type[BaseException], ...] = (ValidationError,)
) -> list[str]:
    """Run the actions at once; each ends "ok" or "refused" (any other error, a deadlock say, fails)."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[str] = [""] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            action()
            outcomes[index] = "ok"
        except refused:
            outcomes[index] = "refused"
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return sorted(outcomes)
