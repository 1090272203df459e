"""Every write in the reports app goes through these functions."""

from reports.services.reminders import deadline_reminders_send, weekly_overdue_summary_send
from reports.services.runs import (
    TRANSIENT_ERRORS,
    friendly_error,
    report_run_execute,
    report_run_mark_failed,
    report_run_notify,
    report_run_request,
    report_scope_of,
)
from reports.services.schedules import report_schedule_save, report_schedules_enqueue_due
from reports.services.sweep import report_runs_sweep

__all__ = [
    "TRANSIENT_ERRORS",
    "deadline_reminders_send",
    "friendly_error",
    "report_run_execute",
    "report_run_mark_failed",
    "report_run_notify",
    "report_run_request",
    "report_runs_sweep",
    "report_schedule_save",
    "report_schedules_enqueue_due",
    "report_scope_of",
    "weekly_overdue_summary_send",
]
