"""Tasks run in-process in the roadmap tests even where a broker is configured, unless a test asks for
the real broker (the same rule as the report tests)."""

from tests.reports.conftest import eager_tasks, real_broker  # noqa: F401
