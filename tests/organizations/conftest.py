from tests.reports.conftest import eager_tasks, real_broker  # noqa: F401
