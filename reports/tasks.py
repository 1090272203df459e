"""Celery tasks: they take ids, re-read, call one service and own their retries."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from reports import services


class ReportRunTask(Task):
    """Marks the run failed when the task gives up (retries exhausted or an unexpected error)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        run_id = args[0] if args else kwargs.get("run_id")
        if run_id is not None:
            services.report_run_mark_failed(run_id=run_id, error=services.friendly_error(exc))


@shared_task(
    bind=True,
    base=ReportRunTask,
    name="reports.tasks.generate_report_run",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=3,
    acks_late=True,
    reject_on_worker_lost=True,
    # A build stuck in a live worker (its heartbeat would go on) is stopped: the soft limit fails the run
    # with the reason; the hard one kills the process, and the redeliveries count towards MAX_ATTEMPTS.
    soft_time_limit=settings.REPORT_TIME_LIMIT,
    time_limit=settings.REPORT_TIME_LIMIT + 60,
    # The run row is the result: sending then needs only the broker, not a result-store subscription too.
    ignore_result=True,
)
def generate_report_run(self, run_id: int) -> str:
    return services.report_run_execute(run_id=run_id).status


@shared_task(
    name="reports.tasks.notify_report_run",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def notify_report_run(run_id: int) -> bool:
    return services.report_run_notify(run_id=run_id)


@shared_task(name="reports.tasks.enqueue_due_schedules")
def enqueue_due_schedules() -> int:
    return len(services.report_schedules_enqueue_due(today=timezone.localdate()))


@shared_task(name="reports.tasks.sweep_report_runs")
def sweep_report_runs() -> dict[str, int]:
    result = services.report_runs_sweep()
    return {"requeued": result.requeued, "failed": result.failed}


@shared_task(
    name="reports.tasks.send_deadline_reminders",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def send_deadline_reminders() -> int:
    return services.deadline_reminders_send(today=timezone.localdate())


@shared_task(
    name="reports.tasks.send_weekly_overdue_summary",
    autoretry_for=services.TRANSIENT_ERRORS,
    retry_backoff=True,
    max_retries=3,
)
def send_weekly_overdue_summary() -> int:
    return services.weekly_overdue_summary_send(today=timezone.localdate())
